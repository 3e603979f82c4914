"""Filing a file with the funder: the first submission and the resubmission after a correction
request, decided on plain facts.

The services lock the row, read the clock once, fetch the application once and pass what they
read here; this module says which refusal applies, in a fixed order, as an ``apply.*`` code with
its params (:class:`FilingRefused`), or returns the workflow transition to fire.

:data:`SUBMIT`: ``apply.already_submitted`` for a file already in, whatever the clock (someone
whose answer was lost and who presses again after the deadline is told the file is in); then
``apply.deadline_passed`` once the call has closed; both are said by :func:`early_refusal` on the
locked row, before anything else is read. Then the workflow (``apply.only_lead_submits``,
``apply.not_submittable``), then completeness (``apply.incomplete`` with the items).

:data:`RESUBMIT`: the workflow first (``apply.only_lead_resubmits``,
``apply.not_resubmittable``: a file with no correction asked for is told so), then the correction
window (``apply.correction_closed``), then completeness.

Deadlines: :func:`filiere.engine.deadline.on_time` (the closing second is on time).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from filiere.engine import workflow
from filiere.engine.completeness import Item
from filiere.engine.deadline import on_time
from filiere.engine.money import ParamValue

__all__ = [
    "RESUBMIT",
    "SUBMIT",
    "Filing",
    "FilingFacts",
    "FilingRefused",
    "decide",
    "early_refusal",
    "refusal",
]


@dataclass(frozen=True)
class Filing:
    """One way of filing: its workflow transition, owning service and refusal codes."""

    transition: str
    service: str
    only_lead: str  # the actor is not the lead
    wrong_state: str  # the state does not allow it
    late: str  # the deadline has passed
    late_param: str  # the name of the deadline in the refusal's params
    #: Said before the workflow (and before the application is read): the submission's
    #: deadline. The correction window is checked after the state, which says more.
    deadline_first: bool


SUBMIT: Final = Filing(
    transition="submit",
    service="submit_application",
    only_lead="apply.only_lead_submits",
    wrong_state="apply.not_submittable",
    late="apply.deadline_passed",
    late_param="closes_at",
    deadline_first=True,
)

RESUBMIT: Final = Filing(
    transition="resubmit",
    service="resubmit_application",
    only_lead="apply.only_lead_resubmits",
    wrong_state="apply.not_resubmittable",
    late="apply.correction_closed",
    late_param="until",
    deadline_first=False,
)


@dataclass(frozen=True)
class FilingRefused(Exception):
    """A refusal: ``code`` (``apply.*``), ``params``, and for ``apply.incomplete`` the items."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    items: tuple[Item, ...] = ()

    def __str__(self) -> str:
        return f"{self.code} {dict(self.params)}"


@dataclass(frozen=True)
class FilingFacts:
    """What the decision reads, as the service found it inside its transaction."""

    state: workflow.State | str
    #: A submission is on record (a withdrawn file keeps its own, but is not "in").
    has_submission: bool
    now: datetime
    #: The call's closing time (submission) or the end of the correction window (resubmission);
    #: ``None``: no window at all.
    deadline: datetime | None
    actor_kinds: frozenset[str] = frozenset()
    missing: tuple[Item, ...] = ()


def _already_in(facts: FilingFacts) -> bool:
    return workflow.State(facts.state) is not workflow.State.WITHDRAWN and facts.has_submission


def _late(filing: Filing, facts: FilingFacts) -> FilingRefused | None:
    if facts.deadline is not None and on_time(facts.now, facts.deadline):
        return None
    return FilingRefused(filing.late, {filing.late_param: facts.deadline, "now": facts.now})


def early_refusal(filing: Filing, facts: FilingFacts) -> FilingRefused | None:
    """The refusals said before the application is read (the first submission's: already in,
    then the deadline); ``None`` when none applies or the filing has none."""
    if not filing.deadline_first:
        return None
    if _already_in(facts):
        return FilingRefused("apply.already_submitted")
    return _late(filing, facts)


def _workflow_refusal(filing: Filing, facts: FilingFacts) -> FilingRefused | None:
    try:
        workflow.check_transition(
            facts.state, filing.transition, facts.actor_kinds, service=filing.service
        )
    except workflow.WorkflowError as error:
        if error.params.get("why") == "actor":
            return FilingRefused(filing.only_lead)
        if filing.deadline_first and _already_in(facts):
            return FilingRefused("apply.already_submitted")
        return FilingRefused(filing.wrong_state)
    return None


def refusal(filing: Filing, facts: FilingFacts) -> FilingRefused | None:
    """The first refusal that applies, in the order of the module's docstring, or ``None``."""
    found = early_refusal(filing, facts) or _workflow_refusal(filing, facts)
    if found is None and not filing.deadline_first:
        found = _late(filing, facts)
    if found is None and facts.missing:
        found = FilingRefused("apply.incomplete", {"count": len(facts.missing)}, facts.missing)
    return found


def decide(filing: Filing, facts: FilingFacts) -> workflow.Transition:
    """The transition to fire; raises :class:`FilingRefused` with the first refusal."""
    found = refusal(filing, facts)
    if found is not None:
        raise found
    return workflow.TRANSITIONS_BY_CODE[filing.transition]
