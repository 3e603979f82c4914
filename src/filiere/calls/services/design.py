"""Designing a call (staff): funds, calls, co-funders, criteria, documents, the form builder,
eligibility rules, publication and cloning. Every write is checked, audited and atomic.

Errors are :class:`DesignError` with a code (translated by ``filiere.calls.phrases``), its
parameters and, when it is about one field, the field's name, so the page shows it next to it.
``by=None`` means the platform itself (the demo command); people must be staff.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import CharField, Model, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from filiere import errors
from filiere.accounts.permissions import is_staff
from filiere.audit.services import record
from filiere.engine.eligibility import (
    RuleConfigError,
    experiences_interactives_2009_rules,
    rules_from_json,
    rules_to_json,
)

from ..models import (
    Call,
    CoFunder,
    Criterion,
    DocumentRequirement,
    Fund,
    Genre,
    Question,
    Stage,
)
from .documents import attach_rules_pdf

if TYPE_CHECKING:
    from filiere.accounts.models import User

#: The rows of a call that the design pages edit as lists, and cloning copies.
CallRow = TypeVar("CallRow", CoFunder, Criterion, DocumentRequirement)


class DesignError(errors.Invalid):
    """A refused design change: ``code`` (see ``phrases.MESSAGES``), ``params``, the ``field``
    and, in a list of rows, the ``row`` it is about."""

    def __init__(
        self,
        code: str,
        /,
        *,
        field: str = "",
        row: int | None = None,
        params: Mapping[str, Any] | None = None,
        **more: Any,
    ):
        super().__init__(code, {**(params or {}), **more}, field=field)
        self.row = row


class NotAllowed(errors.NotAllowed):
    """Only staff design calls (``design.staff_only``)."""


#: docs/domain.md (Criteria): the default scoring grid every new call starts with (staff edit it).
DEFAULT_CRITERIA: tuple[tuple[str, str, str, str, int], ...] = (
    (
        "artistic-quality",
        "Qualité artistique et originalité de l'œuvre",
        "Artistic quality and originality of the work",
        "Artistieke kwaliteit en originaliteit van het werk",
        25,
    ),
    (
        "innovation",
        "Innovation, nouvelle forme (nouveaux genres)",
        "Innovation, new form (new genres)",
        "Innovatie, nieuwe vorm (nieuwe genres)",
        15,
    ),
    (
        "team",
        "Fiabilité de l'équipe et du consortium, références",
        "Team and consortium reliability, track record",
        "Betrouwbaarheid van team en consortium, track record",
        15,
    ),
    (
        "feasibility",
        "Faisabilité technique, financière et juridique",
        "Technical, financial and legal feasibility",
        "Technische, financiële en juridische haalbaarheid",
        20,
    ),
    (
        "audience",
        "Public, stratégie de diffusion, potentiel de marché",
        "Audience and distribution strategy, market potential",
        "Publiek en distributiestrategie, marktpotentieel",
        10,
    ),
    (
        "regional-impact",
        "Impact régional : dépenses, emplois, talents locaux, laboratoires",
        "Regional impact: spend, jobs, local talent, research partners",
        "Regionale impact: uitgaven, banen, lokaal talent, onderzoekspartners",
        15,
    ),
)

CALL_FIELDS = (
    "fund",
    "slug",
    "reference_prefix",
    "title_fr",
    "title_en",
    "title_nl",
    "summary_fr",
    "summary_en",
    "summary_nl",
    "rules_fr",
    "rules_en",
    "rules_nl",
    "envelope",
    "ceiling_amount",
    "ceiling_percent",
    "opens_at",
    "closes_at",
)
FUND_FIELDS = (
    "slug",
    "name_fr",
    "name_en",
    "name_nl",
    "description_fr",
    "description_en",
    "description_nl",
)


def default_rules_json() -> list[dict[str, object]]:
    """The engine's 2009 rule set, the starting point of every new call."""
    return rules_to_json(experiences_interactives_2009_rules())


def _check(by: User | None) -> None:
    if by is not None and not is_staff(by):
        raise NotAllowed("design.staff_only")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- Funds ------------------------------------------------------------------------------------


def create_fund(*, by: User | None, data: Mapping[str, Any]) -> Fund:
    _check(by)
    with transaction.atomic():
        if Fund.objects.filter(slug=data["slug"]).exists():
            raise DesignError("fund.slug_taken", field="slug")
        fund = Fund.objects.create(**{k: data.get(k, "") for k in FUND_FIELDS})
        record(actor=by, action="calls.fund_created", obj=fund, data={"slug": fund.slug})
    return fund


def update_fund(*, fund: Fund, by: User | None, data: Mapping[str, Any]) -> Fund:
    _check(by)
    with transaction.atomic():
        if Fund.objects.filter(slug=data["slug"]).exclude(pk=fund.pk).exists():
            raise DesignError("fund.slug_taken", field="slug")
        changed = _assign(fund, data, FUND_FIELDS)
        fund.save()
        record(actor=by, action="calls.fund_updated", obj=fund, data={"changed": changed})
    return fund


def _assign(obj: Model, data: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    changed = {}
    for name in names:
        if name not in data:
            continue
        value = data[name]
        if getattr(obj, name) != value:
            changed[name] = _jsonable(value)
            setattr(obj, name, value)
    return changed


# --- Calls ------------------------------------------------------------------------------------


def _validate_call(data: Mapping[str, Any]) -> None:
    opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DesignError("call.closes_before_opening", field="closes_at")
    envelope = data.get("envelope")
    if envelope is not None and envelope <= 0:
        raise DesignError("call.envelope_not_positive", field="envelope")
    percent = data.get("ceiling_percent")
    if percent is not None and not (Decimal(0) < percent <= Decimal(100)):
        raise DesignError("call.ceiling_percent_range", field="ceiling_percent")


def create_call(
    *,
    by: User | None,
    data: Mapping[str, Any],
    genres: Iterable[Genre] = (),
    stages: Iterable[Stage] = (),
    rules_pdf: File | None = None,
    with_defaults: bool = True,
) -> Call:
    """A new, unpublished call; with the default criteria grid (docs/domain.md) and the 2009 rule
    set unless ``with_defaults`` is false."""
    _check(by)
    _validate_call(data)
    with transaction.atomic():
        if Call.objects.filter(slug=data["slug"]).exists():
            raise DesignError("call.slug_taken", field="slug")
        call = Call(**{k: data[k] for k in CALL_FIELDS if k in data})
        call.created_by = by
        call.eligibility_rules = default_rules_json() if with_defaults else []
        if rules_pdf is not None:
            attach_rules_pdf(call=call, uploaded_file=rules_pdf, name=_pdf_name(call))
        call.save()
        call.genres.set(genres)
        call.stages.set(stages)
        if with_defaults:
            Criterion.objects.bulk_create(
                Criterion(
                    call=call,
                    code=code,
                    label_fr=fr,
                    label_en=en,
                    label_nl=nl,
                    weight=weight,
                    position=position,
                )
                for position, (code, fr, en, nl, weight) in enumerate(DEFAULT_CRITERIA)
            )
        record(
            actor=by,
            action="calls.call_created",
            obj=call,
            data={"slug": call.slug, "fund": call.fund.slug},
        )
    return call


def _pdf_name(call: Call) -> str:
    return f"{call.slug}-rules.pdf"


def update_call(
    *,
    call: Call,
    by: User | None,
    data: Mapping[str, Any],
    genres: Iterable[Genre] | None = None,
    stages: Iterable[Stage] | None = None,
    rules_pdf: File | None = None,
    remove_rules_pdf: bool = False,
) -> Call:
    _check(by)
    merged = {name: data.get(name, getattr(call, name)) for name in CALL_FIELDS}
    _validate_call(merged)
    with transaction.atomic():
        if Call.objects.filter(slug=merged["slug"]).exclude(pk=call.pk).exists():
            raise DesignError("call.slug_taken", field="slug")
        changed = _assign(call, data, CALL_FIELDS)
        if remove_rules_pdf and call.rules_pdf:
            call.rules_pdf = ""
            changed["rules_pdf"] = None
        if rules_pdf is not None:
            attach_rules_pdf(call=call, uploaded_file=rules_pdf, name=_pdf_name(call))
            changed["rules_pdf"] = call.rules_pdf.name
        call.save()
        for name, chosen in (("genres", genres), ("stages", stages)):
            if chosen is not None:
                related = getattr(call, name)
                before = set(related.values_list("code", flat=True))
                related.set(chosen)
                after = {item.code for item in chosen}
                if before != after:
                    changed[name] = sorted(after)
        record(actor=by, action="calls.call_updated", obj=call, data={"changed": changed})
    return call


def set_published(*, call: Call, by: User | None, published: bool) -> Call:
    _check(by)
    with transaction.atomic():
        if published:
            try:
                rules_from_json(call.eligibility_rules)
            except RuleConfigError as error:
                raise DesignError(error.code, params=error.params) from None
        call.published = published
        call.save(update_fields=["published"])
        record(
            actor=by,
            action="calls.call_published" if published else "calls.call_unpublished",
            obj=call,
        )
    return call


# --- Co-funders, criteria, documents (whole lists, edited as formsets) -------------------------


@dataclass
class Row:
    """One row of an edited list: ``pk`` of an existing row (None: new), its values, and
    whether it is to be deleted."""

    values: dict[str, Any]
    pk: int | None = None
    delete: bool = False


def _sync(
    model: type[CallRow], call: Call, rows: Sequence[Row], *, order_field: str | None = None
) -> list[CallRow]:
    """Update, create and delete the call's rows of ``model`` as listed (pk of another call's
    row: ignored)."""
    existing = {obj.pk: obj for obj in model.objects.filter(call=call)}
    kept = []
    for position, row in enumerate(r for r in rows if not r.delete):
        obj = existing.get(row.pk) if row.pk else None
        if obj is None:
            obj = model(call=call)
        for name, value in row.values.items():
            setattr(obj, name, value)
        if order_field:
            setattr(obj, order_field, position)
        obj.save()
        kept.append(obj)
    kept_pks = {obj.pk for obj in kept}
    model.objects.filter(call=call).exclude(pk__in=kept_pks).delete()
    return kept


def _replace_rows(
    model: type[CallRow],
    call: Call,
    rows: Sequence[Row],
    *,
    by: User | None,
    audit: tuple[str, str, Callable[[CallRow], dict[str, Any]]],
    order_field: str | None = None,
) -> list[CallRow]:
    """Save the list as edited and audit it: ``audit`` is the entry's action, the key of the
    list in its data, and what it keeps of each row."""
    action, key, entry = audit
    with transaction.atomic():
        kept = _sync(model, call, rows, order_field=order_field)
        record(actor=by, action=action, obj=call, data={key: [entry(obj) for obj in kept]})
    return kept


def _cofunder_entry(cofunder: CoFunder) -> dict[str, Any]:
    return {
        "name": cofunder.name,
        "amount": str(cofunder.amount),
        "territories": list(cofunder.eligible_partner_territories),
    }


def _document_entry(requirement: DocumentRequirement) -> dict[str, Any]:
    return {
        "type": requirement.document_type.code,
        "stage": requirement.stage.code if requirement.stage else None,
        "genre": requirement.genre.code if requirement.genre else None,
        "required": requirement.required,
    }


def set_cofunders(*, call: Call, by: User | None, rows: Sequence[Row]) -> list[CoFunder]:
    _check(by)
    live = [r for r in rows if not r.delete]
    total = sum((Decimal(r.values.get("amount") or 0) for r in live), Decimal(0))
    if total > call.envelope:
        raise DesignError("call.cofunders_above_envelope", total=total, envelope=call.envelope)
    audit = ("calls.cofunders_set", "cofunders", _cofunder_entry)
    return _replace_rows(CoFunder, call, rows, by=by, audit=audit)


def set_criteria(*, call: Call, by: User | None, rows: Sequence[Row]) -> list[Criterion]:
    _check(by)
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row.delete:
            continue
        weight = row.values.get("weight")
        if weight is None or int(weight) < 1:
            raise DesignError("criterion.weight_not_positive", field="weight", row=index)
        code = row.values.get("code", "")
        if code in seen:
            raise DesignError("criterion.duplicate_code", field="code", row=index, code=code)
        seen.add(code)
    with transaction.atomic():
        # Codes are unique per call: free them before renaming rows into each other's codes.
        Criterion.objects.filter(call=call).update(code=_temporary_code())
        audit = ("calls.criteria_set", "criteria", lambda c: {"code": c.code, "weight": c.weight})
        return _replace_rows(Criterion, call, rows, by=by, audit=audit, order_field="position")


def _temporary_code() -> Concat:
    """``~<pk>``: a code no person can type (codes are slugs), unique within the call."""
    return Concat(Value("~"), Cast("pk", output_field=CharField()), output_field=CharField())


def set_document_requirements(
    *, call: Call, by: User | None, rows: Sequence[Row]
) -> list[DocumentRequirement]:
    _check(by)
    audit = ("calls.documents_set", "documents", _document_entry)
    return _replace_rows(DocumentRequirement, call, rows, by=by, audit=audit)


# --- The form builder ---------------------------------------------------------------------------

CHOICE_KINDS = frozenset({Question.Kind.CHOICE, Question.Kind.MULTIPLE_CHOICE})
LENGTH_KINDS = frozenset({Question.Kind.TEXT})


@dataclass
class QuestionRow:
    """A question as edited: references to its group and its condition by *code*, so that new
    rows may refer to each other."""

    code: str
    kind: str
    label_fr: str
    pk: int | None = None
    delete: bool = False
    label_en: str = ""
    label_nl: str = ""
    help_fr: str = ""
    help_en: str = ""
    help_nl: str = ""
    section: str = ""
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    choices: list[dict[str, str]] = field(default_factory=list)
    group: str = ""
    condition_question: str = ""
    condition_equals: str = ""


def validate_questions(rows: Sequence[QuestionRow]) -> None:
    """Cross-row checks: unique codes, groups that are groups, conditions on known questions."""
    live = [(index, row) for index, row in enumerate(rows) if not row.delete]
    kinds: dict[str, str] = {}
    for index, row in live:
        if row.code in kinds:
            raise DesignError("question.duplicate_code", field="code", row=index, code=row.code)
        kinds[row.code] = row.kind
    for index, row in live:
        lengths = (row.min_length, row.max_length)
        if None not in lengths and lengths[0] > lengths[1]:  # type: ignore[operator]
            raise DesignError("question.length_range", field="min_length", row=index)
        if row.kind in CHOICE_KINDS and len(row.choices) < 2:
            raise DesignError("question.choices_missing", field="choices", row=index)
        is_group = kinds.get(row.group) == Question.Kind.GROUP and row.group != row.code
        if row.group and not is_group:
            raise DesignError("question.group_not_group", field="group", row=index, code=row.group)
        if row.condition_question:
            if row.condition_question == row.code:
                raise DesignError(
                    "question.condition_on_itself", field="condition_question", row=index
                )
            if row.condition_question not in kinds:
                raise DesignError(
                    "question.unknown_condition",
                    field="condition_question",
                    row=index,
                    code=row.condition_question,
                )


def set_questions(*, call: Call, by: User | None, rows: Sequence[QuestionRow]) -> list[Question]:
    """Replace the call's form: rows are updated in place (answers already given stay attached),
    created, or deleted when marked so."""
    _check(by)
    validate_questions(rows)
    with transaction.atomic():
        existing = {q.pk: q for q in Question.objects.filter(call=call)}
        # Free the codes first: rows may swap codes.
        Question.objects.filter(call=call).update(code=_temporary_code(), group=None)
        by_code: dict[str, Question] = {}
        kept: list[Question] = []
        for position, row in enumerate(r for r in rows if not r.delete):
            question = existing.get(row.pk) if row.pk else None
            if question is None:
                question = Question(call=call)
            question.code = row.code
            question.kind = row.kind
            question.section = row.section
            for name in ("label_fr", "label_en", "label_nl", "help_fr", "help_en", "help_nl"):
                setattr(question, name, getattr(row, name))
            question.required = row.required
            question.min_length = row.min_length if row.kind in LENGTH_KINDS else None
            question.max_length = row.max_length if row.kind in LENGTH_KINDS else None
            question.choices = list(row.choices) if row.kind in CHOICE_KINDS else []
            question.condition = (
                {"question": row.condition_question, "equals": row.condition_equals}
                if row.condition_question
                else {}
            )
            question.group = None
            question.position = position
            question.save()
            by_code[row.code] = question
            kept.append(question)
        for row in rows:
            if not row.delete and row.group:
                question = by_code[row.code]
                question.group = by_code[row.group]
                question.save(update_fields=["group"])
        Question.objects.filter(call=call).exclude(pk__in=[q.pk for q in kept]).delete()
        record(
            actor=by,
            action="calls.questions_set",
            obj=call,
            data={"questions": [q.code for q in kept]},
        )
    return kept


# --- Eligibility rules --------------------------------------------------------------------------


def set_eligibility_rules(*, call: Call, by: User | None, rules: Any) -> Call:
    """Store the rules after validating them with the engine (canonical JSON is stored)."""
    _check(by)
    try:
        parsed = rules_from_json(rules)
    except RuleConfigError as error:
        raise DesignError(error.code, params=error.params) from None
    with transaction.atomic():
        before = call.eligibility_rules
        call.eligibility_rules = rules_to_json(parsed)
        call.save(update_fields=["eligibility_rules"])
        record(
            actor=by,
            action="calls.rules_set",
            obj=call,
            data={"before": before, "after": call.eligibility_rules},
        )
    return call


# --- Cloning ------------------------------------------------------------------------------------


def shift_years(moment: dt.datetime, years: int) -> dt.datetime:
    """The same local wall-clock time ``years`` later (29 February → 28 February)."""
    local = timezone.localtime(moment)
    naive = local.replace(tzinfo=None)
    try:
        shifted = naive.replace(year=naive.year + years)
    except ValueError:
        shifted = naive.replace(year=naive.year + years, day=28)
    return timezone.make_aware(shifted)


_YEAR = re.compile(r"(19|20)\d{2}")


def _bump_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), text)


def _shift_rule_dates(
    rules: list[dict[str, Any]], delta: Callable[[dt.datetime], dt.datetime]
) -> list[dict[str, Any]]:
    shifted = []
    for rule in rules:
        rule = dict(rule)
        if rule.get("kind") == "deadline" and rule.get("closes_at"):
            rule["closes_at"] = delta(dt.datetime.fromisoformat(rule["closes_at"])).isoformat()
        shifted.append(rule)
    return shifted


def _copy_rows(model: type[CallRow], source: Call, clone: Call) -> None:
    copies = []
    for obj in model.objects.filter(call=source).order_by("pk"):
        obj.pk = None
        obj.id = None
        obj.call = clone
        copies.append(obj)
    model.objects.bulk_create(copies)


def clone_call(
    *,
    call: Call,
    by: User | None,
    slug: str,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    years: int = 1,
) -> Call:
    """A deep, unpublished copy for the next edition: texts, genres, stages, ceilings,
    co-funders, criteria, documents, questions (groups and conditions re-pointed to the copy's
    questions) and rules. Dates are the ones given, or shifted by ``years``; four-digit years in
    the titles and the reference prefix move by ``years`` either way."""
    _check(by)
    new_opens = opens_at or shift_years(call.opens_at, years)
    new_closes = closes_at or shift_years(call.closes_at, years)
    if new_closes <= new_opens:
        raise DesignError("call.closes_before_opening", field="closes_at")
    year_shift = years
    with transaction.atomic():
        if Call.objects.filter(slug=slug).exists():
            raise DesignError("call.slug_taken", field="slug")
        source = Call.objects.get(pk=call.pk)
        clone = Call.objects.get(pk=call.pk)
        clone.pk = None
        clone.id = None
        clone._state.adding = True
        clone.slug = slug
        clone.published = False
        clone.cloned_from = source
        clone.created_by = by
        clone.opens_at, clone.closes_at = new_opens, new_closes
        if year_shift:
            for name in ("title_fr", "title_en", "title_nl", "reference_prefix"):
                setattr(clone, name, _bump_years(getattr(clone, name), year_shift))
        offset = new_closes - source.closes_at
        clone.eligibility_rules = _shift_rule_dates(
            list(source.eligibility_rules), lambda moment: moment + offset
        )
        try:
            with transaction.atomic():
                clone.save()
        except IntegrityError:
            raise DesignError("call.slug_taken", field="slug") from None
        clone.genres.set(source.genres.all())
        clone.stages.set(source.stages.all())
        _copy_rows(CoFunder, source, clone)
        _copy_rows(Criterion, source, clone)
        _copy_rows(DocumentRequirement, source, clone)
        mapping: dict[int, Question] = {}
        originals = list(Question.objects.filter(call=source).order_by("position", "pk"))
        for question in originals:
            old_pk = question.pk
            group_id = question.group_id
            question.pk = None
            question.id = None
            question.call = clone
            question.group = None
            question._old_group_id = group_id  # type: ignore[attr-defined]
            question.save()
            mapping[old_pk] = question
        for question in mapping.values():
            old_group = question._old_group_id  # type: ignore[attr-defined]
            if old_group:
                question.group = mapping[old_group]
                question.save(update_fields=["group"])
        record(
            actor=by,
            action="calls.call_cloned",
            obj=clone,
            data={"from": source.slug, "slug": clone.slug},
        )
    return clone
