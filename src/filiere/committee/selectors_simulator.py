"""Reads of the envelope simulator: a session's agenda as the engine's proposals, the choices of
the simulator's form, the session's scenarios, and a finished scenario's result in plain words.

An application on the agenda is a *candidate* of the engine when it has a calibrated score
(``selectors_scores.scores_of_call``: at least one submitted review) and a requested amount above
zero; the others are listed apart ("not simulated") and never funded by a scenario.

Every read is a fixed number of queries: the agenda with its applications, organisations,
territories and genres in one; the scores from their cache (one query for the fingerprint).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from filiere.engine.selection import CoFunder, Proposal, Quota, Rules

from . import phrases_simulator as phrases
from .models import AgendaItem, Scenario, Session
from .selectors_scores import Score, scores_of_call

#: The fields a quota or a co-funder may select applications by.
FIELDS = ("genre", "territory")
#: Scenarios listed on the simulator's page.
LATEST = 8


@dataclass(frozen=True)
class Row:
    """One application on the agenda, with what the engine needs."""

    application_id: int
    reference: str
    title: str
    organisation_id: int
    organisation: str
    genre: str  # code, "" when none
    genre_label: str
    territory: str  # the applicant organisation's territory code, "" when none
    territory_label: str
    score: Score | None
    requested: Decimal | None

    @property
    def candidate(self) -> bool:
        return self.score is not None and self.requested is not None and self.requested > 0

    def proposal(self) -> Proposal:
        assert self.score is not None and self.requested is not None
        return Proposal(
            id=str(self.application_id),
            score=self.score.calibrated,
            amount=float(self.requested),
            organisation=str(self.organisation_id),
            attributes={"genre": self.genre, "territory": self.territory},
        )


@dataclass(frozen=True)
class Agenda:
    """A session's applications (those of ``items``), in agenda order."""

    rows: list[Row]

    def proposals(self) -> list[Proposal]:
        return [row.proposal() for row in self.rows if row.candidate]

    @property
    def unscored(self) -> list[Row]:
        return [row for row in self.rows if not row.candidate]

    def by_id(self) -> dict[int, Row]:
        return {row.application_id: row for row in self.rows}

    def names(self) -> dict[str, str]:
        """The engine's keys → what a reader recognises (see ``phrases_simulator``)."""
        names: dict[str, str] = {}
        for row in self.rows:
            names[f"application={row.application_id}"] = row.reference
            names[f"organisation={row.organisation_id}"] = row.organisation
            if row.genre:
                names[f"genre={row.genre}"] = row.genre_label
            if row.territory:
                names[f"territory={row.territory}"] = row.territory_label
        return names

    def choices(self, field: str) -> list[tuple[str, str]]:
        """(code, label) of the genres or territories present on the agenda."""
        seen: dict[str, str] = {}
        for row in self.rows:
            code, label = (
                (row.genre, row.genre_label)
                if field == "genre"
                else (row.territory, row.territory_label)
            )
            if code:
                seen.setdefault(code, label)
        return sorted(seen.items(), key=lambda pair: pair[1].casefold())


def agenda(session: Session, items: QuerySet[AgendaItem] | None = None) -> Agenda:
    """``items`` (default: the whole agenda) as engine rows, in agenda order."""
    if items is None:
        items = AgendaItem.objects.filter(session=session)
    items = items.select_related(
        "application__organisation__territory", "application__genre"
    ).order_by("position", "pk")
    scores = scores_of_call(session.call)
    rows = []
    for item in items:
        application = item.application
        organisation = application.organisation
        territory = organisation.territory
        genre = application.genre
        rows.append(
            Row(
                application_id=application.pk,
                reference=application.reference,
                title=application.title,
                organisation_id=organisation.pk,
                organisation=organisation.name,
                genre=genre.code if genre else "",
                genre_label=genre.label if genre else "",
                territory=territory.code if territory else "",
                territory_label=territory.label if territory else "",
                score=scores.get(application.pk),
                requested=application.requested_amount,
            )
        )
    return Agenda(rows)


# --- Rules: the scenario's JSON ↔ the engine ----------------------------------------------------


def engine_rules(data: Mapping[str, Any]) -> Rules:
    """The engine's rules from a scenario's ``rules`` JSON (see ``models.Scenario``). Raises
    ``ValueError`` (or ``TypeError``/``KeyError``) on a malformed one."""
    quotas = tuple(
        Quota(
            field=str(q["field"]),
            value=str(q["value"]),
            min_count=_int(q.get("min_count")),
            max_count=_int(q.get("max_count")),
            min_amount=_number(q.get("min_amount")),
            max_amount=_number(q.get("max_amount")),
        )
        for q in data.get("quotas") or ()
    )
    cofunders = tuple(
        CoFunder(
            name=str(c["name"]),
            envelope=float(c["envelope"]),
            field=str(c["field"]),
            values=frozenset(str(v) for v in c["values"]),
        )
        for c in data.get("cofunders") or ()
    )
    for q in quotas:
        if q.field not in FIELDS:
            raise ValueError(f"unknown field {q.field}")
    for c in cofunders:
        if c.field not in FIELDS or c.envelope < 0:
            raise ValueError(f"co-funder {c.name}")
    return Rules(
        quotas=quotas,
        max_per_organisation=_int(data.get("max_per_organisation")),
        min_score=_number(data.get("min_score")),
        partial_awards=bool(data.get("partial_awards", False)),
        partial_floor=float(data.get("partial_floor", 0.5)),
        cofunders=cofunders,
        objective=str(data.get("objective", "merit")),
    )


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _number(value: Any) -> float | None:
    return None if value is None or value == "" else float(value)


def quota_limits(data: Mapping[str, Any]) -> dict[str, float]:
    """``genre=fiction:max_count`` → 2, for the sentences that name a quota's figure."""
    limits: dict[str, float] = {}
    for q in data.get("quotas") or ():
        for bound in ("min_count", "max_count", "min_amount", "max_amount"):
            if q.get(bound) is not None:
                limits[f"{q['field']}={q['value']}:{bound}"] = float(q[bound])
    return limits


# --- Scenarios ----------------------------------------------------------------------------------


def latest_scenarios(session: Session) -> list[Scenario]:
    return list(Scenario.objects.filter(session=session).select_related("created_by")[:LATEST])


def latest_finished(session: Session) -> Scenario | None:
    return Scenario.objects.filter(session=session, status=Scenario.Status.DONE).first()


def scenario_of(session: Session, pk: int) -> Scenario:
    """One of ``session``'s scenarios (404 for another session's)."""
    scenario = Scenario.objects.filter(session=session, pk=pk).first()
    if scenario is None:
        raise Http404
    return scenario


# --- A finished scenario, for a reader ----------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    rank: int
    application_id: int
    reference: str
    title: str
    organisation: str
    score: float
    request: float
    baseline_selected: bool
    selected: bool
    amount: float
    reason_code: str
    reason: str


@dataclass(frozen=True)
class ChangeLine:
    reference: str
    rank: int
    added: bool
    sentence: str


@dataclass(frozen=True)
class Result:
    """A finished scenario as a reader sees it: only the applications in ``agenda`` (those the
    reader may read) are listed; the totals are the scenario's."""

    scenario: Scenario
    status: str
    status_label: str
    objective_label: str
    envelope: float
    total: float
    merit: float
    baseline_total: float
    baseline_merit: float
    baseline_count: int
    funded_count: int
    cutoff_rank: int | None
    seconds: float
    rows: list[ResultRow]
    hidden: int
    changes: list[ChangeLine]
    diagnosis: list[str]
    violations: list[str]
    unscored: list[Row]
    forced_in: list[int]
    forced_out: list[int]


def result_of(scenario: Scenario, readable: Agenda) -> Result | None:
    """``scenario``'s result restricted to the applications of ``readable``; ``None`` until it
    is done."""
    data = scenario.result
    if scenario.status != Scenario.Status.DONE or not data:
        return None
    names = readable.names()
    limits = quota_limits(scenario.rules or {})
    rows_by_id = readable.by_id()
    rows: list[ResultRow] = []
    for line in data.get("rows", []):
        row = rows_by_id.get(int(line["application"]))
        if row is None:
            continue
        rows.append(
            ResultRow(
                rank=line["rank"],
                application_id=row.application_id,
                reference=row.reference,
                title=row.title,
                organisation=row.organisation,
                score=line["score"],
                request=line["request"],
                baseline_selected=line["baseline_selected"],
                selected=line["selected"],
                amount=line["amount"],
                reason_code=line["reason"],
                reason=phrases.reason(
                    line["reason"],
                    line.get("detail", ""),
                    line.get("missing"),
                    names=names,
                    limits=limits,
                ),
            )
        )
    changes = [
        ChangeLine(
            reference=rows_by_id[int(c["application"])].reference,
            rank=c["rank"],
            added=c["change"] == "added",
            sentence=phrases.change(
                c["forced_by"],
                c.get("detail", ""),
                names=names,
                limits=limits,
                added=c["change"] == "added",
            ),
        )
        for c in data.get("changes", [])
        if int(c["application"]) in rows_by_id
    ]
    baseline = data.get("baseline", {})
    unscored_ids = set(data.get("unscored", []))
    return Result(
        scenario=scenario,
        status=data["status"],
        status_label=str(phrases.STATUSES.get(data["status"], data["status"])),
        objective_label=str(phrases.OBJECTIVES.get(data["objective"], data["objective"])),
        envelope=data["envelope"],
        total=data["total"],
        merit=data.get("merit", 0.0),
        baseline_total=baseline.get("total", 0.0),
        baseline_merit=baseline.get("merit", 0.0),
        baseline_count=len(baseline.get("selected", [])),
        funded_count=sum(1 for line in data.get("rows", []) if line["selected"]),
        cutoff_rank=baseline.get("cutoff_rank"),
        seconds=data.get("seconds", 0.0),
        rows=rows,
        hidden=len(data.get("rows", [])) - len(rows),
        changes=changes,
        diagnosis=[
            phrases.diagnosis(
                d["code"], d["rule"], d["limit"], d["achievable"], d["shortfall"], names=names
            )
            for d in data.get("diagnosis", [])
        ],
        violations=[
            phrases.violation(v, names=names, limits=limits) for v in baseline.get("violations", [])
        ],
        unscored=[r for r in readable.rows if r.application_id in unscored_ids],
        forced_in=_ids(scenario.forced_in),
        forced_out=_ids(scenario.forced_out),
    )


def _ids(values: Iterable[Any]) -> list[int]:
    return [int(v) for v in values or ()]
