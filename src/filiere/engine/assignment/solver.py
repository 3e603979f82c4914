"""``assign(request)``: reviewer assignment, optimal or fair, with a diagnosis when infeasible."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from filiere.engine.assignment.diagnosis import diagnose
from filiere.engine.assignment.model import (
    AssignedPair,
    AssignmentRequest,
    AssignmentResult,
    Issue,
    Status,
)
from filiere.engine.assignment.network import solve_flow

__all__ = ["Prepared", "assign", "prepare"]


@dataclass(frozen=True, eq=False)
class Prepared:
    """The request turned into arrays: free arcs (eligible, not forced), forced arcs, bounds."""

    request: AssignmentRequest
    free: NDArray[np.int64]  # positions in the affinity arrays of the arcs left to the solver
    forced: NDArray[np.int64]  # positions of forced pairs
    existing: NDArray[np.bool_]  # per affinity position: pair of the previous run
    reviews: NDArray[np.int64]  # R_p, before forced pairs
    need: NDArray[np.int64]  # R'_p = R_p - forced pairs of p
    low: NDArray[np.int64]  # lo'_e = max(0, lo_e - forced pairs of e)
    high: NDArray[np.int64]  # hi'_e = hi_e - forced pairs of e
    issues: tuple[Issue, ...]

    @property
    def weights(self) -> NDArray[np.float64]:
        """The objective weight of each free arc: affinity plus the churn bonus if kept."""
        request = self.request
        bonus = self.existing[self.free] * float(request.churn_penalty)
        return request.affinity.scores[self.free] + bonus


def _keys(
    pairs: Iterable[tuple[str, str]], proposals: Mapping[str, int], experts: Mapping[str, int]
) -> tuple[NDArray[np.int64], list[tuple[str, str]]]:
    """Integer keys p * E + e of the pairs whose ids are known; the unknown pairs apart."""
    width = max(len(experts), 1)
    keys: list[int] = []
    unknown: list[tuple[str, str]] = []
    for pid, eid in pairs:
        p, e = proposals.get(pid), experts.get(eid)
        if p is None or e is None:
            unknown.append((pid, eid))
        else:
            keys.append(p * width + e)
    return np.asarray(sorted(set(keys)), dtype=np.int64), unknown


def prepare(request: AssignmentRequest) -> Prepared:
    """Check the request, remove conflicted pairs, apply forced pairs to reviews and loads."""
    affinity = request.affinity
    n_p, n_e = len(affinity.proposal_ids), len(affinity.expert_ids)
    proposals = {pid: i for i, pid in enumerate(affinity.proposal_ids)}
    experts = {eid: i for i, eid in enumerate(affinity.expert_ids)}
    if request.reviews < 0 or request.min_load < 0 or request.max_load < request.min_load:
        raise ValueError("reviews >= 0 and 0 <= min_load <= max_load are required")
    if request.churn_penalty < 0:
        raise ValueError("churn_penalty must be non-negative")

    reviews = np.full(n_p, request.reviews, dtype=np.int64)
    for pid, count in request.reviews_for.items():
        if pid not in proposals or count < 0:
            raise ValueError(f"reviews_for: unknown proposal or negative count for {pid!r}")
        reviews[proposals[pid]] = count
    low = np.full(n_e, request.min_load, dtype=np.int64)
    high = np.full(n_e, request.max_load, dtype=np.int64)
    for eid, (minimum, maximum) in request.loads_for.items():
        if eid not in experts or not 0 <= minimum <= maximum:
            raise ValueError(f"loads_for: unknown expert or bad bounds for {eid!r}")
        low[experts[eid]], high[experts[eid]] = minimum, maximum

    keys = affinity.proposal_index * max(n_e, 1) + affinity.expert_index
    conflict_keys, _ = _keys(request.conflicts, proposals, experts)
    eligible = ~np.isin(keys, conflict_keys) if conflict_keys.size else np.ones_like(keys, bool)

    issues: list[Issue] = []
    forced_keys, unknown = _keys(request.forced, proposals, experts)
    forced_mask = np.isin(keys, forced_keys) if forced_keys.size else np.zeros_like(keys, bool)
    present = set(keys[forced_mask].tolist())
    width = max(n_e, 1)
    missing = unknown + [
        (affinity.proposal_ids[k // width], affinity.expert_ids[k % width])
        for k in forced_keys.tolist()
        if k not in present
    ]
    for pid, eid in sorted(missing):
        issues.append(Issue("forced_pair_not_in_affinity", {"proposal_id": pid, "expert_id": eid}))
    for k in np.flatnonzero(forced_mask & ~eligible):
        issues.append(
            Issue(
                "forced_pair_conflicted",
                {
                    "proposal_id": affinity.proposal_ids[affinity.proposal_index[k]],
                    "expert_id": affinity.expert_ids[affinity.expert_index[k]],
                },
            )
        )
    forced = np.flatnonzero(forced_mask & eligible)
    forced_p = np.bincount(affinity.proposal_index[forced], minlength=n_p)
    forced_e = np.bincount(affinity.expert_index[forced], minlength=n_e)
    for p in np.flatnonzero(forced_p > reviews):
        issues.append(
            Issue(
                "forced_exceeds_reviews",
                {
                    "proposal_id": affinity.proposal_ids[p],
                    "forced": int(forced_p[p]),
                    "reviews": int(reviews[p]),
                },
            )
        )
    for e in np.flatnonzero(forced_e > high):
        issues.append(
            Issue(
                "forced_exceeds_max_load",
                {
                    "expert_id": affinity.expert_ids[e],
                    "forced": int(forced_e[e]),
                    "max_load": int(high[e]),
                },
            )
        )
    existing_keys, _ = _keys(request.existing, proposals, experts)
    existing = np.isin(keys, existing_keys) if existing_keys.size else np.zeros_like(keys, bool)
    return Prepared(
        request=request,
        free=np.flatnonzero(eligible & ~forced_mask).astype(np.int64),
        forced=forced.astype(np.int64),
        existing=existing,
        reviews=reviews,
        need=np.maximum(reviews - forced_p, 0),
        low=np.maximum(low - forced_e, 0),
        high=np.maximum(high - forced_e, 0),
        issues=tuple(issues),
    )


def _infeasible(
    request: AssignmentRequest, issues: Iterable[Issue], started: float
) -> AssignmentResult:
    return AssignmentResult(
        status="infeasible",
        mode=request.mode,
        pairs=(),
        total_affinity=0.0,
        min_proposal_affinity=0.0,
        seconds=time.perf_counter() - started,
        diagnosis=tuple(issues),
        dropped=len(request.existing),
    )


def proposal_totals(prep: Prepared, positions: NDArray[np.int64]) -> NDArray[np.float64]:
    affinity = prep.request.affinity
    return np.bincount(
        affinity.proposal_index[positions],
        weights=affinity.scores[positions],
        minlength=len(affinity.proposal_ids),
    ).astype(np.float64)


def worst_total(prep: Prepared, totals: NDArray[np.float64]) -> float:
    """The lowest proposal total among proposals that get at least one review."""
    served = prep.reviews > 0
    return float(totals[served].min()) if served.any() else 0.0


def build_result(
    prep: Prepared,
    positions: NDArray[np.int64],
    *,
    status: Status,
    started: float,
    rounding_bound: float,
    details: Mapping[str, int | float | str | bool],
) -> AssignmentResult:
    """The result for the pairs at the given affinity positions (forced ones included)."""
    request, affinity = prep.request, prep.request.affinity
    order = np.lexsort((-affinity.scores[positions], affinity.proposal_index[positions]))
    positions = positions[order]
    forced = np.zeros(affinity.size, dtype=np.bool_)
    forced[prep.forced] = True
    pairs = tuple(
        AssignedPair(affinity.proposal_ids[p], affinity.expert_ids[e], float(s), bool(f))
        for p, e, s, f in zip(
            affinity.proposal_index[positions].tolist(),
            affinity.expert_index[positions].tolist(),
            affinity.scores[positions].tolist(),
            forced[positions].tolist(),
            strict=True,
        )
    )
    kept = int(prep.existing[positions].sum())
    totals = proposal_totals(prep, positions)
    return AssignmentResult(
        status=status,
        mode=request.mode,
        pairs=pairs,
        total_affinity=float(affinity.scores[positions].sum()),
        min_proposal_affinity=worst_total(prep, totals),
        seconds=time.perf_counter() - started,
        kept=kept,
        dropped=len(request.existing) - kept,
        rounding_bound=rounding_bound,
        details=dict(details),
    )


def assign(request: AssignmentRequest) -> AssignmentResult:
    """Assign experts to proposals; see ``AssignmentRequest`` for the rules and the two modes.

    Never raises on an infeasible instance: the result then has status "infeasible" and a
    diagnosis. Raises ValueError only on malformed requests (negative counts, unknown ids in
    the per-proposal / per-expert overrides).
    """
    started = time.perf_counter()
    prep = prepare(request)
    if prep.issues:
        return _infeasible(request, prep.issues, started)
    affinity = request.affinity
    arc_p = affinity.proposal_index[prep.free]
    arc_e = affinity.expert_index[prep.free]
    if int(prep.low.sum()) > int(prep.need.sum()):
        outcome_feasible = False
    else:
        outcome = solve_flow(
            len(affinity.proposal_ids),
            len(affinity.expert_ids),
            arc_p,
            arc_e,
            prep.weights,
            prep.need,
            prep.low,
            prep.high,
        )
        outcome_feasible = outcome.feasible
    if not outcome_feasible:
        issues = diagnose(
            affinity.proposal_ids,
            affinity.expert_ids,
            arc_p,
            arc_e,
            prep.need,
            prep.low,
            prep.high,
        )
        return _infeasible(request, issues, started)
    demand = int(prep.need.sum())
    bound = 0.0 if outcome.exact else demand / outcome.scale
    positions = np.concatenate([prep.forced, prep.free[outcome.chosen]])
    details: dict[str, int | float | str | bool] = {
        "scale": outcome.scale,
        "exact_scale": outcome.exact,
        "arcs": int(prep.free.shape[0]),
        "forced": int(prep.forced.shape[0]),
    }
    if request.mode == "optimal":
        return build_result(
            prep,
            positions,
            status="optimal",
            started=started,
            rounding_bound=bound,
            details=details,
        )
    # Here, not above: only the fair mode needs scipy's MILP (~0.4 s to import), and fair.py
    # builds on this module's Prepared.
    from filiere.engine.assignment.fair import solve_fair

    fair = solve_fair(prep, positions, started=started)
    details.update(fair.details)
    return build_result(
        prep,
        fair.positions,
        status=fair.status,
        started=started,
        rounding_bound=fair.rounding_bound,
        details=details,
    )
