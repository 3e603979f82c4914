"""The envelope simulator's result: ``GET /api/v1/committee/sessions/{id}/simulation``.

With the permissions of the simulator's page: 403 for whoever has no committee page at all
(neither a committee member nor the staff of a call), 404 for a session the caller is neither
an active member of nor staff of its call (``access.session_for_reader``), and 404 while the
session has no finished simulation. The latest finished simulation: its rules, totals, and for
each application the caller may read (``access.readable_items``: never one they are on the team
of, nor one they are in conflict with as an expert) its rank, calibrated score, request, whether
the ranked list and the optimum fund it, the amount and the reason, as a code and in words (in
the caller's language).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Schema

from filiere.committee import selectors_simulator as selectors
from filiere.committee.access import readable_items, session_for_reader
from filiere.committee.permissions import sees_committee

from .auth import SIGNED_IN, SignedInRequest
from .errors import ErrorOut

router = Router(tags=["committee"])


class SimulationRowOut(Schema):
    rank: int
    application: int
    reference: str
    title: str
    #: The calibrated score (0-100) the simulation used.
    score: float
    request: float
    ranked_list_funds: bool
    optimum_funds: bool
    #: The amount the optimum awards (EUR); 0 when it does not fund it.
    amount: float
    #: The engine's reason code (``funded``, ``quota``, ``envelope_exhausted``…).
    reason: str
    reason_text: str


class ChangeOut(Schema):
    application: str
    rank: int
    #: ``added`` to or ``dropped`` from the ranked list.
    change: str
    text: str


class SimulationOut(Schema):
    session: int
    scenario: int
    created_at: datetime
    finished_at: datetime | None
    #: ``optimal``, ``time_limit`` or ``infeasible``.
    status: str
    status_text: str
    objective: str
    #: The rules as the staff set them (quotas, caps, co-funders…).
    rules: dict[str, Any]
    envelope: float
    total: float
    funded: int
    ranked_list_total: float
    ranked_list_funded: int
    #: The first rank the ranked list cannot fund; null when it funds every application.
    cutoff_rank: int | None
    seconds: float
    rows: list[SimulationRowOut]
    #: Applications of the simulation the caller may not read (not listed).
    not_listed: int
    changes: list[ChangeOut]
    #: When the rules cannot all hold: the least relaxation, rule by rule, in words.
    diagnosis: list[str]
    ranked_list_breaks: list[str]
    forced_in: list[int]
    forced_out: list[int]
    #: References of the applications without a calibrated score or a requested amount.
    not_simulated: list[str]


@router.get(
    "/committee/sessions/{session_id}/simulation",
    response={200: SimulationOut, 403: ErrorOut, 404: ErrorOut},
    auth=SIGNED_IN,
    summary="The envelope simulator's latest result for a committee session",
)
def session_simulation(request: SignedInRequest, session_id: int) -> dict[str, Any]:
    # permission: as the simulator's page: 403 without any committee page (sees_committee); the
    # staff of the session's call and its active members (session_for_reader: 404 for anyone
    # else); only the items the caller may read (readable_items); 404 while none is finished
    if not sees_committee(request.auth):
        raise PermissionDenied
    session, _membership = session_for_reader(request.auth, session_id)
    scenario = selectors.latest_finished(session)
    readable = selectors.agenda(session, readable_items(request.auth, session))
    result = selectors.result_of(scenario, readable) if scenario else None
    if result is None:
        raise Http404
    shown = {row.application_id for row in readable.rows}
    return {
        "session": session.pk,
        "scenario": result.scenario.pk,
        "created_at": result.scenario.created_at,
        "finished_at": result.scenario.finished_at,
        "status": result.status,
        "status_text": result.status_label,
        "objective": result.scenario.rules.get("objective", "merit"),
        "rules": result.scenario.rules,
        "envelope": result.envelope,
        "total": result.total,
        "funded": result.funded_count,
        "ranked_list_total": result.baseline_total,
        "ranked_list_funded": result.baseline_count,
        "cutoff_rank": result.cutoff_rank,
        "seconds": result.seconds,
        "rows": [
            {
                "rank": row.rank,
                "application": row.application_id,
                "reference": row.reference,
                "title": row.title,
                "score": row.score,
                "request": row.request,
                "ranked_list_funds": row.baseline_selected,
                "optimum_funds": row.selected,
                "amount": row.amount,
                "reason": row.reason_code,
                "reason_text": row.reason,
            }
            for row in result.rows
        ],
        "not_listed": result.hidden,
        "changes": [
            {
                "application": change.reference,
                "rank": change.rank,
                "change": "added" if change.added else "dropped",
                "text": change.sentence,
            }
            for change in result.changes
        ],
        "diagnosis": result.diagnosis,
        "ranked_list_breaks": result.violations,
        "forced_in": [pk for pk in result.forced_in if pk in shown],
        "forced_out": [pk for pk in result.forced_out if pk in shown],
        "not_simulated": [row.reference for row in result.unscored],
    }
