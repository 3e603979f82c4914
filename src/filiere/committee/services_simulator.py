"""Writes of the envelope simulator: the staff ask for a scenario (rules, envelope, applications
forced in or out), the background task runs the engine's selection on the session's agenda and
stores the result.

``request_simulation`` checks the input, creates the scenario (waiting) and publishes
:class:`ScenarioRequested` in its transaction; ``tasks_simulator`` enqueues ``run_scenario`` once
it has committed, which calls :func:`execute_scenario`: the agenda's candidates
(``selectors_simulator.agenda``), the engine's ``select``, the result as JSON on the scenario.
The engine is never re-implemented here: its reasons, changes and diagnosis are stored as codes
and put in words when read (``phrases_simulator``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from filiere.accounts.models import User
from filiere.audit.services import record
from filiere.calls import events
from filiere.engine.selection import SelectionError, SelectionResult, select
from filiere.errors import Invalid, NotAllowed

from .models import Scenario, Session
from .permissions import runs_committee
from .selectors_simulator import agenda, engine_rules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScenarioRequested:
    """A scenario was asked for; its task is enqueued once the transaction commits."""

    scenario_id: int


@transaction.atomic
def request_simulation(
    *,
    session: Session,
    by: User,
    envelope: Decimal,
    rules: Mapping[str, Any],
    forced_in: Iterable[int] = (),
    forced_out: Iterable[int] = (),
) -> Scenario:
    """Queue a run of the engine's selection on ``session``'s agenda. ``rules`` is the scenario's
    JSON (see ``models.Scenario``); forced applications must be candidates of the agenda."""
    if not runs_committee(by, session):
        raise NotAllowed("committee.not_call_staff")
    if envelope is None or not envelope > 0:
        raise Invalid("committee.simulation.envelope_invalid", field="envelope")
    try:
        engine = engine_rules(rules)
    except (ValueError, TypeError, KeyError) as error:
        raise Invalid("committee.simulation.rules_invalid", {"problem": str(error)}) from error
    if sum(c.envelope for c in engine.cofunders) > float(envelope):
        raise Invalid("committee.simulation.cofunders_exceed_envelope", field="envelope")
    ins, outs = sorted({int(i) for i in forced_in}), sorted({int(i) for i in forced_out})
    if set(ins) & set(outs):
        raise Invalid("committee.simulation.forced_twice", field="forced_out")
    candidates = {row.application_id for row in agenda(session).rows if row.candidate}
    if not candidates:
        raise Invalid("committee.simulation.nothing_to_run")
    if (set(ins) | set(outs)) - candidates:
        raise Invalid("committee.simulation.forced_unknown", field="forced_in")
    scenario = Scenario.objects.create(
        session=session,
        envelope=envelope,
        rules=dict(rules),
        forced_in=ins,
        forced_out=outs,
        created_by=by,
    )
    record(
        actor=by,
        action="committee.simulation.requested",
        obj=session,
        data={
            "scenario": scenario.pk,
            "envelope": str(envelope),
            "rules": dict(rules),
            "forced_in": ins,
            "forced_out": outs,
        },
    )
    events.publish(ScenarioRequested(scenario_id=scenario.pk))
    return scenario


def execute_scenario(*, scenario_id: int) -> str:
    """The background part: run the engine, store the result; returns the scenario's status.
    An engine refusal (``SelectionError``) fails the scenario with its code; anything else is
    logged and fails it with ``failed``."""
    # Claim the scenario in one update: a worker and a script never both compute it.
    claimed = Scenario.objects.filter(pk=scenario_id, status=Scenario.Status.PENDING).update(
        status=Scenario.Status.RUNNING
    )
    scenario = Scenario.objects.select_related("session__call").get(pk=scenario_id)
    if not claimed:
        return scenario.status
    try:
        result = simulate(scenario)
    except SelectionError as error:
        return _finish(scenario, Scenario.Status.FAILED, error=error.code)
    except Exception:
        logger.exception("simulation %s failed", scenario.pk)
        return _finish(scenario, Scenario.Status.FAILED, error="failed")
    return _finish(scenario, Scenario.Status.DONE, result=result)


def _finish(scenario: Scenario, status: str, **fields: Any) -> str:
    Scenario.objects.filter(pk=scenario.pk).update(
        status=status, finished_at=timezone.now(), **fields
    )
    return status


def simulate(scenario: Scenario) -> dict[str, Any]:
    """The engine's answer for ``scenario``, as the JSON stored on it."""
    started = time.perf_counter()
    rows = agenda(scenario.session).rows
    candidates = [row for row in rows if row.candidate]
    proposals = [row.proposal() for row in candidates]
    outcome = select(
        proposals,
        float(scenario.envelope),
        engine_rules(scenario.rules or {}),
        forced_in=[str(i) for i in scenario.forced_in],
        forced_out=[str(i) for i in scenario.forced_out],
    )
    by_id = {p.id: p for p in proposals}
    data = as_json(outcome, by_id)
    data["unscored"] = [row.application_id for row in rows if not row.candidate]
    data["wall_seconds"] = round(time.perf_counter() - started, 3)
    return data


def as_json(outcome: SelectionResult, proposals: Mapping[str, Any]) -> dict[str, Any]:
    """The engine's result with application ids as integers; each row keeps the score and
    request it was computed with."""
    baseline = outcome.baseline
    return {
        "status": outcome.status,
        "objective": outcome.objective,
        "gap": outcome.gap,
        "envelope": outcome.envelope,
        "total": round(outcome.total_amount, 2),
        "merit": round(outcome.merit, 2),
        "seconds": round(outcome.seconds, 3),
        "solves": outcome.solves,
        "rows": [
            {
                "application": int(d.id),
                "rank": d.rank,
                "score": proposals[d.id].score,
                "request": proposals[d.id].amount,
                "selected": d.selected,
                "amount": round(d.amount, 2),
                "reason": d.reason,
                "detail": d.detail,
                "missing": d.missing_amount,
                "baseline_selected": d.baseline_selected,
            }
            for d in outcome.decisions
        ],
        "baseline": {
            "selected": [int(i) for i in baseline.selected],
            "total": round(baseline.total_amount, 2),
            "merit": round(baseline.merit, 2),
            "cutoff_rank": baseline.cutoff_rank,
            "violations": list(baseline.violations),
        },
        "changes": [
            {
                "application": int(c.id),
                "rank": c.rank,
                "change": c.change,
                "forced_by": c.forced_by,
                "detail": c.detail,
            }
            for c in outcome.changes
        ],
        "diagnosis": [
            {
                "code": d.code,
                "rule": d.rule,
                "limit": d.limit,
                "achievable": d.achievable,
                "shortfall": d.shortfall,
            }
            for d in outcome.diagnosis
        ],
    }
