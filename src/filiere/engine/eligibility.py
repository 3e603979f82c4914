"""Eligibility rules as data, evaluated on a plain snapshot of an application.

Staff configure a call's rules; the call stores them as JSON (:func:`rules_to_json`) and reads
them back with :func:`rules_from_json`, which validates every field and fails with a code. A
selector turns an application into an :class:`ApplicationSnapshot`; :func:`evaluate` returns one
:class:`RuleResult` per rule, in the configured order, each with a status, a code and parameters
that the web app translates:

- passed → ``<kind>.passed``, not applicable → ``<kind>.not_applicable`` (out of the rule's
  ``when`` scope, or nothing to check yet), failed → a specific code such as
  ``amount.above_ceiling``. The codes are listed in ``docs/engine/rules-and-workflow.md``.

Nothing here reads a clock: the deadline rule compares ``submitted_at`` with ``closes_at``; for a
check before submission, pass the current time as ``submitted_at``.
"""

from __future__ import annotations

import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, ClassVar, Final

from filiere.engine import identifiers
from filiere.engine.budget import (
    TEMPLATES,
    BudgetLine,
    FinancingPolicy,
    FinancingSource,
    Finding,
    RegionalSpendRule,
    check_financing,
    summarise,
)
from filiere.engine.deadline import is_late
from filiere.engine.money import (
    Money,
    MoneyError,
    ParamValue,
    ceiling_from_percent,
    params_to_json,
    parse_amount,
)

__all__ = [
    "RULE_KINDS",
    "AmountCeilingRule",
    "ApplicationSnapshot",
    "DeadlineRule",
    "EligibilityReport",
    "FinancingPlanRule",
    "GenreRule",
    "IdentifierRule",
    "NafCodeRule",
    "OrganisationKindRule",
    "Partner",
    "RequiredDocumentsRule",
    "RequiredPartnerRule",
    "Rule",
    "RuleConfigError",
    "RuleResult",
    "SeatTerritoryRule",
    "StageRule",
    "Status",
    "When",
    "evaluate",
    "experiences_interactives_2009_rules",
    "rules_from_json",
    "rules_to_json",
]


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_APPLICABLE = "not_applicable"


# --- The snapshot an evaluation reads --------------------------------------------------------


@dataclass(frozen=True)
class Partner:
    """A partner organisation of the application's team."""

    name: str
    territory: str | None = None  # platform territory code: mel, wallonia, flanders…
    country: str | None = None  # ISO 3166 alpha-2: FR, BE…
    kind: str | None = None


@dataclass(frozen=True)
class ApplicationSnapshot:
    """What the rules need to know about an application, as plain values."""

    organisation_kind: str | None = None
    seat_territory: str | None = None
    seat_country: str | None = None
    naf_code: str | None = None
    #: The NACE-BEL code (``59.111``) of a Belgian organisation, which has no NAF code.
    nace_code: str | None = None
    identifier_kind: str | None = None  # "siret", "bce", "siren", "rna"
    identifier: str | None = None
    #: An error code computed by the caller (e.g. ``siret.invalid_checksum``); when ``None`` and an
    #: identifier is given, the rule checks it with :mod:`filiere.engine.identifiers`.
    identifier_error: str | None = None
    partners: tuple[Partner, ...] = ()
    genre: str | None = None
    stage: str | None = None
    requested_amount: Money | None = None
    budget_lines: tuple[BudgetLine, ...] = ()
    financing_sources: tuple[FinancingSource, ...] = ()
    documents: frozenset[str] = frozenset()  # document type codes present
    submitted_at: datetime | None = None
    closes_at: datetime | None = None  # the call's deadline


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleResult:
    index: int  # position of the rule in the configured list
    kind: str
    status: Status
    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)
    #: Every finding when a rule checks several things (the financing plan).
    details: tuple[Finding, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "index": self.index,
            "kind": self.kind,
            "status": self.status.value,
            "code": self.code,
            "params": params_to_json(self.params),
            "details": [{"code": d.code, "params": params_to_json(d.params)} for d in self.details],
        }


@dataclass(frozen=True)
class EligibilityReport:
    results: tuple[RuleResult, ...]

    @property
    def is_eligible(self) -> bool:
        return all(result.status is not Status.FAILED for result in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.status is Status.FAILED)

    def to_json(self) -> dict[str, object]:
        """For a ``JSONField`` on the application (results shown to staff and applicants)."""
        return {
            "is_eligible": self.is_eligible,
            "results": [result.to_json() for result in self.results],
        }


class RuleConfigError(ValueError):
    """Invalid rule JSON: ``code`` (``rules.*``) and ``params`` (``index``, ``field``…)."""

    def __init__(self, code: str, **params: ParamValue) -> None:
        super().__init__(f"{code} {params}")
        self.code = code
        self.params: dict[str, ParamValue] = params


# --- Field converters for JSON -----------------------------------------------------------------

_Reader = Callable[[Any, int, str], Any]
_Writer = Callable[[Any], Any]


def _wrong(index: int, name: str, expected: str) -> RuleConfigError:
    return RuleConfigError("rules.wrong_type", index=index, field=name, expected=expected)


def _read_codes(value: Any, index: int, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _wrong(index, name, "list of strings")
    codes = tuple(v.strip() for v in value)
    if any(not code for code in codes):
        raise RuleConfigError("rules.invalid_value", index=index, field=name)
    return codes


def _read_money(value: Any, index: int, name: str) -> Money | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _wrong(index, name, "amount as a string")
    try:
        return parse_amount(value)
    except MoneyError as error:
        raise RuleConfigError(
            "rules.invalid_value", index=index, field=name, reason=error.code
        ) from None


def _read_percent(value: Any, index: int, name: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _wrong(index, name, "number")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise _wrong(index, name, "number") from None
    if not number.is_finite() or number < 0 or number > 1000:
        raise RuleConfigError("rules.invalid_value", index=index, field=name)
    return number


def _read_count(value: Any, index: int, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(index, name, "integer")
    if value < 1:
        raise RuleConfigError("rules.invalid_value", index=index, field=name)
    return value


def _read_datetime(value: Any, index: int, name: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _wrong(index, name, "ISO 8601 date-time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _wrong(index, name, "ISO 8601 date-time") from None
    if moment.tzinfo is None:
        raise RuleConfigError("rules.invalid_value", index=index, field=name, reason="naive")
    return moment


def _read_text(value: Any, index: int, name: str) -> str:
    if not isinstance(value, str):
        raise _wrong(index, name, "string")
    return value


_READERS: Final[Mapping[str, _Reader]] = {
    "codes": _read_codes,
    "money": _read_money,
    "percent": _read_percent,
    "count": _read_count,
    "datetime": _read_datetime,
    "text": _read_text,
}

_WRITERS: Final[Mapping[str, _Writer]] = {
    "codes": list,
    "money": lambda v: None if v is None else str(v),
    "percent": lambda v: None if v is None else str(v),
    "count": lambda v: v,
    "datetime": lambda v: None if v is None else v.isoformat(),
    "text": lambda v: v,
}


#: How each field type of a rule is read from and written to JSON (annotations are strings).
_FIELD_CONVERTERS: Final[Mapping[str, str]] = {
    "tuple[str, ...]": "codes",
    "Money | None": "money",
    "Decimal | None": "percent",
    "int": "count",
    "datetime | None": "datetime",
    "str": "text",
}


def _converter(f: dataclasses.Field[Any]) -> str:
    return _FIELD_CONVERTERS[str(f.type)]


# --- Rules -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """Scope of a rule: empty tuples mean "any". Out of scope → ``not_applicable``."""

    stages: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    organisation_kinds: tuple[str, ...] = ()

    def applies(self, snapshot: ApplicationSnapshot) -> bool:
        pairs = (
            (self.stages, snapshot.stage),
            (self.genres, snapshot.genre),
            (self.organisation_kinds, snapshot.organisation_kind),
        )
        return all(not allowed or value in allowed for allowed, value in pairs)

    def to_json(self) -> dict[str, list[str]]:
        return {name: list(values) for name, values in dataclasses.asdict(self).items() if values}

    @classmethod
    def from_json(cls, data: Any, index: int) -> When:
        if not isinstance(data, dict):
            raise _wrong(index, "when", "object")
        names = {f.name for f in dataclasses.fields(cls)}
        for key in data:
            if key not in names:
                raise RuleConfigError("rules.unknown_field", index=index, field=f"when.{key}")
        return cls(**{key: _read_codes(value, index, f"when.{key}") for key, value in data.items()})


_Outcome = tuple[Status, str, dict[str, ParamValue]]


@dataclass(frozen=True, kw_only=True)
class Rule(ABC):
    """Base of every rule kind; ``kind`` is the JSON discriminator."""

    kind: ClassVar[str] = ""
    when: When = field(default_factory=When)

    @abstractmethod
    def check(self, snapshot: ApplicationSnapshot) -> _Outcome | RuleResult:
        """Evaluate this rule on one application."""

    def passed(self, **params: ParamValue) -> _Outcome:
        return Status.PASSED, f"{self.kind}.passed", params

    def not_applicable(self, **params: ParamValue) -> _Outcome:
        return Status.NOT_APPLICABLE, f"{self.kind}.not_applicable", params

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"kind": self.kind}
        for f in dataclasses.fields(self):
            if f.name == "when":
                continue
            data[f.name] = _WRITERS[_converter(f)](getattr(self, f.name))
        if self.when != When():
            data["when"] = self.when.to_json()
        return data


def _failed(code: str, **params: ParamValue) -> _Outcome:
    return Status.FAILED, code, params


@dataclass(frozen=True, kw_only=True)
class OrganisationKindRule(Rule):
    kind: ClassVar[str] = "organisation_kind"
    allowed: tuple[str, ...]

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        allowed = tuple(self.allowed)
        if not snapshot.organisation_kind:
            return _failed("organisation.kind_missing", allowed=allowed)
        params: dict[str, ParamValue] = {"kind": snapshot.organisation_kind, "allowed": allowed}
        if snapshot.organisation_kind not in self.allowed:
            return _failed("organisation.kind_not_allowed", **params)
        return self.passed(**params)


@dataclass(frozen=True, kw_only=True)
class SeatTerritoryRule(Rule):
    """The applicant's seat is in one of ``territories`` or one of ``countries``."""

    kind: ClassVar[str] = "seat_territory"
    territories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        params: dict[str, ParamValue] = {
            "territory": snapshot.seat_territory,
            "country": snapshot.seat_country,
            "allowed_territories": tuple(self.territories),
            "allowed_countries": tuple(self.countries),
        }
        if not snapshot.seat_territory and not snapshot.seat_country:
            return _failed("seat.missing", **params)
        if snapshot.seat_territory in self.territories or snapshot.seat_country in self.countries:
            return self.passed(**params)
        return _failed("seat.territory_not_allowed", **params)


def _compact_naf(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


@dataclass(frozen=True, kw_only=True)
class NafCodeRule(Rule):
    """The NAF/APE code starts with one of ``prefixes`` ("58", "59.11", "62.01Z"); for a Belgian
    organisation, its NACE-BEL code does (see ``_check_nace_bel``)."""

    kind: ClassVar[str] = "naf_code"
    prefixes: tuple[str, ...]

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        allowed = tuple(self.prefixes)
        if snapshot.seat_country == "BE" and (snapshot.nace_code or not snapshot.naf_code):
            return self._check_nace_bel(snapshot.nace_code, allowed)
        if not snapshot.naf_code:
            return _failed("naf.missing", allowed=allowed)
        params: dict[str, ParamValue] = {"naf": snapshot.naf_code, "allowed": allowed}
        code = _compact_naf(snapshot.naf_code)
        if any(code.startswith(_compact_naf(prefix)) for prefix in self.prefixes):
            return self.passed(**params)
        return _failed("naf.not_allowed", **params)

    def _check_nace_bel(self, nace_code: str | None, allowed: tuple[str, ...]) -> _Outcome:
        """A Belgian organisation's NACE-BEL code, compared with the prefixes at the level of the
        NACE Rev. 2 class both systems share: ``58.21Z`` accepts ``58.210``, ``59`` any 59.xxx.
        A NAF prefix finer than the class (``59.11C``) accepts the whole class for Belgians."""
        if not nace_code:
            return _failed("naf.missing", allowed=allowed, system="nace-bel")
        params: dict[str, ParamValue] = {"naf": nace_code, "allowed": allowed, "system": "nace-bel"}
        digits = "".join(ch for ch in nace_code if ch.isdigit())
        classes = [identifiers.nace_class(prefix) for prefix in self.prefixes]
        if any(cls and digits.startswith(cls) for cls in classes):
            return self.passed(**params)
        return _failed("naf.not_allowed", **params)


@dataclass(frozen=True, kw_only=True)
class IdentifierRule(Rule):
    """A valid SIRET, BCE/KBO number… of one of the ``accepted`` kinds."""

    kind: ClassVar[str] = "valid_identifier"
    accepted: tuple[str, ...] = ("siret", "bce")

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        accepted = tuple(self.accepted)
        if not snapshot.identifier_kind or not (snapshot.identifier or "").strip():
            return _failed("identifier.missing", accepted=accepted)
        kind = snapshot.identifier_kind
        if kind not in self.accepted:
            return _failed("identifier.kind_not_accepted", kind=kind, accepted=accepted)
        error = snapshot.identifier_error
        if error is None:
            checker = identifiers.CHECKS.get(kind)
            if checker is None:
                return _failed("identifier.kind_not_accepted", kind=kind, accepted=accepted)
            error = checker(snapshot.identifier or "").code or None
        if error:
            return _failed("identifier.invalid", kind=kind, reason=error)
        return self.passed(kind=kind)


@dataclass(frozen=True, kw_only=True)
class RequiredPartnerRule(Rule):
    """At least ``min_count`` partners whose territory or country is in the lists."""

    kind: ClassVar[str] = "required_partner"
    min_count: int = 1
    territories: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        matching = [
            p
            for p in snapshot.partners
            if (p.territory is not None and p.territory in self.territories)
            or (p.country is not None and p.country in self.countries)
        ]
        params: dict[str, ParamValue] = {
            "min_count": self.min_count,
            "found": len(matching),
            "territories": tuple(self.territories),
            "countries": tuple(self.countries),
        }
        if len(matching) < self.min_count:
            return _failed("partner.required_missing", **params)
        return self.passed(**params)


@dataclass(frozen=True, kw_only=True)
class AmountCeilingRule(Rule):
    """Requested amount ≤ an absolute ceiling and ≤ a share of the budget; the stricter binds."""

    kind: ClassVar[str] = "amount_ceiling"
    absolute: Money | None = None
    percent_of_budget: Decimal | None = None

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        requested = snapshot.requested_amount
        if requested is None:
            return _failed("amount.missing")
        if requested.cents <= 0:
            return _failed("amount.not_positive", requested=requested.to_decimal())
        budget_total = summarise(snapshot.budget_lines, ()).budget_total
        percent_ceiling: Money | None = None
        if self.percent_of_budget is not None:
            if budget_total.cents <= 0:
                return _failed(
                    "amount.budget_missing",
                    requested=requested.to_decimal(),
                    percent=self.percent_of_budget.quantize(Decimal("0.01")),
                )
            percent_ceiling = ceiling_from_percent(budget_total, self.percent_of_budget)
        candidates = [
            (ceiling, binding)
            for ceiling, binding in ((self.absolute, "absolute"), (percent_ceiling, "percent"))
            if ceiling is not None
        ]
        if not candidates:
            return self.not_applicable(requested=requested.to_decimal())
        ceiling, binding = min(candidates, key=lambda c: c[0])
        params: dict[str, ParamValue] = {
            "requested": requested.to_decimal(),
            "ceiling": ceiling.to_decimal(),
            "binding": binding,
            "absolute_ceiling": None if self.absolute is None else self.absolute.to_decimal(),
            "percent_ceiling": None if percent_ceiling is None else percent_ceiling.to_decimal(),
            "percent": None
            if self.percent_of_budget is None
            else self.percent_of_budget.quantize(Decimal("0.01")),
            "budget_total": budget_total.to_decimal(),
        }
        if requested > ceiling:
            return _failed("amount.above_ceiling", **params)
        return self.passed(**params)


@dataclass(frozen=True, kw_only=True)
class FinancingPlanRule(Rule):
    """The financing plan is balanced and meets the call's policy (see ``budget.py``)."""

    kind: ClassVar[str] = "financing_plan"
    min_secured_percent: Decimal | None = None
    overheads_cap_percent: Decimal | None = None
    balance_tolerance: Money | None = None
    regional_ratio_percent: Decimal | None = None
    regional_floor: Money | None = None
    #: "audiovisual", "games", or "" to accept any chapter code.
    budget_template: str = ""

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome | RuleResult:
        regional = None
        if self.regional_ratio_percent is not None or self.regional_floor is not None:
            regional = RegionalSpendRule(
                ratio_percent=self.regional_ratio_percent or Decimal(0),
                floor=self.regional_floor or Money(0),
            )
        policy = FinancingPolicy(
            min_secured_percent=self.min_secured_percent,
            overheads_cap_percent=self.overheads_cap_percent,
            balance_tolerance=self.balance_tolerance or Money(0),
            regional_spend=regional,
        )
        findings = check_financing(
            snapshot.budget_lines,
            snapshot.financing_sources,
            snapshot.requested_amount,
            policy=policy,
            template=TEMPLATES.get(self.budget_template),
        )
        totals = summarise(snapshot.budget_lines, snapshot.financing_sources)
        if not findings:
            return self.passed(
                budget_total=totals.budget_total.to_decimal(),
                financing_total=totals.financing_total.to_decimal(),
            )
        first = findings[0]
        return RuleResult(
            index=-1,
            kind=self.kind,
            status=Status.FAILED,
            code=first.code,
            params=dict(first.params),
            details=tuple(findings),
        )


@dataclass(frozen=True, kw_only=True)
class RequiredDocumentsRule(Rule):
    """Every document type in ``documents`` is present (scope it with ``when`` per stage/genre)."""

    kind: ClassVar[str] = "required_documents"
    documents: tuple[str, ...]

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        missing = tuple(code for code in self.documents if code not in snapshot.documents)
        if missing:
            return _failed("documents.missing", missing=missing, required=tuple(self.documents))
        return self.passed(required=tuple(self.documents))


@dataclass(frozen=True, kw_only=True)
class GenreRule(Rule):
    kind: ClassVar[str] = "genre"
    allowed: tuple[str, ...]

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        allowed = tuple(self.allowed)
        if not snapshot.genre:
            return _failed("genre.missing", allowed=allowed)
        if snapshot.genre not in self.allowed:
            return _failed("genre.not_allowed", genre=snapshot.genre, allowed=allowed)
        return self.passed(genre=snapshot.genre, allowed=allowed)


@dataclass(frozen=True, kw_only=True)
class StageRule(Rule):
    kind: ClassVar[str] = "stage"
    allowed: tuple[str, ...]

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        allowed = tuple(self.allowed)
        if not snapshot.stage:
            return _failed("stage.missing", allowed=allowed)
        if snapshot.stage not in self.allowed:
            return _failed("stage.not_allowed", stage=snapshot.stage, allowed=allowed)
        return self.passed(stage=snapshot.stage, allowed=allowed)


@dataclass(frozen=True, kw_only=True)
class DeadlineRule(Rule):
    """Submitted on time (:func:`filiere.engine.deadline.on_time`: the closing second is on
    time); the rule's own ``closes_at`` overrides the call's."""

    kind: ClassVar[str] = "deadline"
    closes_at: datetime | None = None

    def check(self, snapshot: ApplicationSnapshot) -> _Outcome:
        closes_at = self.closes_at or snapshot.closes_at
        if closes_at is None or snapshot.submitted_at is None:
            return self.not_applicable(closes_at=closes_at)
        params: dict[str, ParamValue] = {
            "submitted_at": snapshot.submitted_at,
            "closes_at": closes_at,
        }
        if is_late(snapshot.submitted_at, closes_at):
            late = snapshot.submitted_at - closes_at
            return _failed("deadline.missed", **params, late_by_seconds=int(late.total_seconds()))
        return self.passed(**params)


RULE_KINDS: Final[Mapping[str, type[Rule]]] = {
    cls.kind: cls
    for cls in (
        DeadlineRule,
        OrganisationKindRule,
        SeatTerritoryRule,
        NafCodeRule,
        IdentifierRule,
        GenreRule,
        StageRule,
        RequiredPartnerRule,
        AmountCeilingRule,
        FinancingPlanRule,
        RequiredDocumentsRule,
    )
}


# --- Evaluation --------------------------------------------------------------------------------


def evaluate(rules: Sequence[Rule], snapshot: ApplicationSnapshot) -> EligibilityReport:
    """One result per rule, in the configured order; eligible when none failed."""
    results: list[RuleResult] = []
    for index, rule in enumerate(rules):
        if not rule.when.applies(snapshot):
            status, code, params = rule.not_applicable()
            results.append(RuleResult(index, rule.kind, status, code, params))
            continue
        outcome = rule.check(snapshot)
        if isinstance(outcome, RuleResult):
            results.append(dataclasses.replace(outcome, index=index))
        else:
            status, code, params = outcome
            results.append(RuleResult(index, rule.kind, status, code, params))
    return EligibilityReport(tuple(results))


# --- JSON --------------------------------------------------------------------------------------


def rules_to_json(rules: Iterable[Rule]) -> list[dict[str, object]]:
    return [rule.to_json() for rule in rules]


def _rule_from_json(data: Any, index: int) -> Rule:
    if not isinstance(data, dict):
        raise RuleConfigError("rules.not_an_object", index=index)
    kind = data.get("kind")
    if not isinstance(kind, str):
        raise RuleConfigError("rules.missing_field", index=index, field="kind")
    cls = RULE_KINDS.get(kind)
    if cls is None:
        raise RuleConfigError("rules.unknown_kind", index=index, kind=kind)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "kind":
            continue
        if key not in fields:
            raise RuleConfigError("rules.unknown_field", index=index, field=key)
        if key == "when":
            values["when"] = When.from_json(value, index)
        else:
            values[key] = _READERS[_converter(fields[key])](value, index, key)
    for name, f in fields.items():
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required and name not in values:
            raise RuleConfigError("rules.missing_field", index=index, field=name)
    template = values.get("budget_template")
    if template and template not in TEMPLATES:
        raise RuleConfigError("rules.invalid_value", index=index, field="budget_template")
    return cls(**values)


def rules_from_json(data: Any) -> list[Rule]:
    """Rules from their stored JSON (a list of objects with a ``kind``); raises
    :class:`RuleConfigError`: ``rules.not_a_list``, ``rules.not_an_object`` (``index``),
    ``rules.unknown_kind`` (``index``, ``kind``), ``rules.missing_field`` /
    ``rules.unknown_field`` (``index``, ``field``), ``rules.wrong_type`` (``index``, ``field``,
    ``expected``), ``rules.invalid_value`` (``index``, ``field``, sometimes ``reason``)."""
    if not isinstance(data, list):
        raise RuleConfigError("rules.not_a_list")
    return [_rule_from_json(item, index) for index, item in enumerate(data)]


# --- The 2009 call, as a default ---------------------------------------------------------------

GENRES_2009: Final = (
    "serious-game",
    "web-documentary",
    "animation-series",
    "local-documentary",
    "web-fiction-series",
)
STAGES_2009: Final = ("writing", "development", "production")
TERRITORIES_2009: Final = ("mel", "valenciennes", "porte-du-hainaut", "wallonia", "flanders")


def experiences_interactives_2009_rules(closes_at: datetime | None = None) -> list[Rule]:
    """The rules of an "Expériences interactives"-style call (1.4 M€ envelope, 2009).

    Genres of the seed article, three stages, NAF 59.xx / 58.21Z / 62.01Z for companies, seat in
    one of the cluster's three territories or in Wallonia / Flanders, at most 150 000 € and 50 %
    of the budget, a balanced plan, and the usual documents per stage.
    """
    common_documents = ("synopsis", "note-of-intent", "budget", "financing-plan", "cv")
    return [
        DeadlineRule(closes_at=closes_at),
        OrganisationKindRule(allowed=("company", "association", "research_lab")),
        SeatTerritoryRule(territories=TERRITORIES_2009),
        NafCodeRule(
            prefixes=("59", "58.21Z", "62.01Z"), when=When(organisation_kinds=("company",))
        ),
        IdentifierRule(accepted=("siret", "bce")),
        GenreRule(allowed=GENRES_2009),
        StageRule(allowed=STAGES_2009),
        AmountCeilingRule(absolute=Money.euros(150_000), percent_of_budget=Decimal(50)),
        FinancingPlanRule(overheads_cap_percent=Decimal(10), budget_template=""),
        RequiredDocumentsRule(documents=(*common_documents, "company-extract")),
        RequiredDocumentsRule(
            documents=("rights-contract",), when=When(stages=("writing", "development"))
        ),
        RequiredDocumentsRule(
            documents=("financing-proof", "schedule"), when=When(stages=("production",))
        ),
        RequiredDocumentsRule(
            documents=("game-design-document",), when=When(genres=("serious-game",))
        ),
    ]
