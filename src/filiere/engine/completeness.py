"""What stands between a draft application and its submission, as codes.

The applicant's completeness panel, the dashboard and the submission services ask
:func:`missing_items` with a :class:`Draft` (plain values read from the application) and the
eligibility report of the same file; each :class:`Item` names the step of the application form
where it is fixed, a stable ``code`` and the ``params`` of its sentence (question and document
*codes*, never labels: the web layer translates, ``filiere.calls.phrases``).

Conditional questions: a question with a :class:`Condition` is shown (and required) only while
another question's answer matches; a hidden question needs no answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final

from filiere.engine.budget import Finding
from filiere.engine.eligibility import EligibilityReport
from filiere.engine.money import ParamValue

__all__ = [
    "STEPS",
    "STEP_OF_RULE",
    "Condition",
    "Draft",
    "Item",
    "QuestionSpec",
    "is_blank",
    "missing_items",
    "visible_questions",
]

#: The steps of the application form, in order.
STEPS: Final[tuple[str, ...]] = ("project", "team", "budget", "documents", "questions", "review")

#: The step where the applicant fixes a failed eligibility rule (by the rule's kind); a kind not
#: listed is fixed on the review step.
STEP_OF_RULE: Final[Mapping[str, str]] = {
    "organisation_kind": "project",
    "seat_territory": "project",
    "naf_code": "project",
    "valid_identifier": "project",
    "genre": "project",
    "stage": "project",
    "required_partner": "team",
    "amount_ceiling": "budget",
    "financing_plan": "budget",
    "required_documents": "documents",
    "deadline": "review",
}


@dataclass(frozen=True)
class Condition:
    """Show a question only when the answer to ``question`` equals ``equals``: a value among a
    multiple choice, ``yes``/``true`` or ``no``/``false`` for a yes/no answer, the same text
    otherwise (numbers compared as text)."""

    question: str
    equals: object = None

    @classmethod
    def from_json(cls, data: Mapping[str, object] | None) -> Condition | None:
        """``{"question": "code", "equals": value}`` as stored; ``None`` for no condition."""
        code = (data or {}).get("question")
        if not code or not isinstance(code, str):
            return None
        return cls(question=code, equals=(data or {}).get("equals"))

    def holds(self, answers: Mapping[str, object]) -> bool:
        value = answers.get(self.question)
        if isinstance(value, list):
            return self.equals in value
        if isinstance(value, bool):
            return str(self.equals).lower() in (("yes", "true") if value else ("no", "false"))
        return value is not None and str(value) == str(self.equals)


@dataclass(frozen=True)
class QuestionSpec:
    """One question of the call's form, as far as completeness is concerned."""

    code: str
    required: bool = False
    min_length: int | None = None
    condition: Condition | None = None
    #: The code of the repeatable group the question belongs to; ``None`` at the top level.
    group: str | None = None

    def shown(self, answers: Mapping[str, object]) -> bool:
        return self.condition is None or self.condition.holds(answers)


@dataclass(frozen=True)
class Draft:
    """An application as the completeness check sees it."""

    has_title: bool = False
    has_summary: bool = False
    questions: tuple[QuestionSpec, ...] = ()
    #: Answers by question code (JSON values).
    answers: Mapping[str, object] = field(default_factory=dict)
    #: Codes of the document types required of this application (stage and genre applied), in
    #: the call's order.
    required_documents: tuple[str, ...] = ()
    #: Codes of the document types uploaded, infected files left out (a file waiting for the
    #: antivirus, or whose scan failed, counts: a scanner outage must not block a submission).
    present_documents: frozenset[str] = frozenset()
    #: File names of the uploaded files the antivirus found infected.
    infected_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One thing missing: fixed on ``step``; ``code`` and ``params`` make its sentence, and
    ``details`` are the findings of a rule that checks several things (the financing plan)."""

    step: str
    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    details: tuple[Finding, ...] = ()


def is_blank(value: object) -> bool:
    """No answer: nothing, an empty text, an empty list or an empty mapping."""
    return value is None or value == "" or value == [] or value == {}


def visible_questions(
    questions: Iterable[QuestionSpec], answers: Mapping[str, object]
) -> list[QuestionSpec]:
    """Top-level questions whose display condition holds for ``answers``."""
    return [q for q in questions if q.group is None and q.shown(answers)]


def _answer_items(draft: Draft) -> list[Item]:
    items = []
    for question in visible_questions(draft.questions, draft.answers):
        value = draft.answers.get(question.code)
        if question.required and is_blank(value):
            items.append(Item("questions", "apply.answer_missing", {"question": question.code}))
        elif (
            question.min_length
            and isinstance(value, str)
            and value
            and len(value) < question.min_length
        ):
            items.append(
                Item(
                    "questions",
                    "apply.answer_too_short",
                    {"question": question.code, "minimum": question.min_length},
                )
            )
    return items


def missing_items(draft: Draft, eligibility: EligibilityReport) -> tuple[Item, ...]:
    """Everything missing, step by step: title and summary, answers, documents, infected files,
    then the failed eligibility rules (each once; the deadline is left out, said elsewhere)."""
    items: list[Item] = []
    if not draft.has_title:
        items.append(Item("project", "apply.title_missing"))
    if not draft.has_summary:
        items.append(Item("project", "apply.summary_missing"))
    items.extend(_answer_items(draft))
    items.extend(
        Item("documents", "apply.document_missing", {"document": code})
        for code in draft.required_documents
        if code not in draft.present_documents
    )
    items.extend(
        Item("documents", "apply.document_infected", {"name": name})
        for name in draft.infected_files
    )
    for result in eligibility.failures:
        if result.kind == "deadline":
            continue  # the deadline has its own banner and its own refusal
        item = Item(
            STEP_OF_RULE.get(result.kind, "review"), result.code, result.params, result.details
        )
        if item not in items:  # two rules failing alike are one thing to fix
            items.append(item)
    return tuple(items)
