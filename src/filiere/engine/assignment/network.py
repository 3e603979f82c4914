"""The assignment as one min-cost flow, with exact lower bounds and exact integer costs.

Network (P proposals, E experts, one sink T), built with numpy arrays in a single call::

      supply R'_p                  supply -lo'_e
    [proposal p] --(cap 1, cost -S*w_pe)--> [expert e] --(cap hi'_e - lo'_e, cost 0)--> [T]
                                                                       supply -(D - sum lo')

``R'_p`` is the number of reviews still to place for proposal p (after forced pairs), ``lo'_e``
and ``hi'_e`` the expert's minimum and maximum load still open, ``D = sum R'_p``.

Lower bounds. Requiring between lo and hi units on arc e→T is the same as sending lo units on
it unconditionally and letting at most hi - lo more through: the lo units become a demand of
node e (supply -lo) and a supply of T (+lo), the arc keeps capacity hi - lo, and the cost of the
fixed units is a constant (0 here). So a flow of the transformed network is exactly an assignment
in which every expert gets lo..hi proposals, every proposal R' experts; nothing is penalised or
approximated ("big-M" bonuses are not needed). OR-Tools reports INFEASIBLE when no such flow
exists, and the engine then diagnoses why.

Integrality. All capacities and supplies are integers, so the min-cost flow found is integral
(the constraint matrix of a network is totally unimodular): each pair arc carries 0 or 1.

Exact integer costs. Every feasible flow puts exactly D units on pair arcs (each proposal sends
exactly R'_p). Costs are ``round(S * w)`` for a scale S = 10**k. If every weight is a multiple of
10**-k (scores read from a CSV file with at most k decimals, k <= 9) the rounding is exact and the
flow optimum *is* the true optimum. Otherwise each arc's rounding error is at most 1/(2S), any
assignment's objective moves by at most D/(2S), and the optimum found is within D/S of the true
optimum: this bound is returned as ``rounding_bound``. S is capped so that the costs cannot
overflow the solver's int64 arithmetic: OR-Tools multiplies costs by (n + 1) and its potentials
stay within a few n·(n + 1)·max|cost|, so we keep ``max|cost| <= 2**62 / (4 (n + 1)**2)``; should
the solver still report BAD_COST_RANGE, the scale is divided by 1,000 and the flow solved again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import min_cost_flow

__all__ = ["FlowOutcome", "choose_scale", "solve_flow"]

MAX_DECIMALS = 9


@dataclass(frozen=True)
class FlowOutcome:
    feasible: bool
    chosen: NDArray[np.bool_]  # per pair arc: carries flow
    scale: int
    exact: bool


def _multiple_of(values: NDArray[np.float64], scale: int) -> bool:
    scaled = values * scale
    tolerance = 1e-9 + np.abs(scaled) * 1e-15  # a decimal's float error, scaled
    return bool(np.all(np.abs(scaled - np.rint(scaled)) <= tolerance))


def choose_scale(values: NDArray[np.float64], n_nodes: int) -> tuple[int, bool]:
    """The integer scale for the costs and whether it represents every weight exactly."""
    max_abs = float(np.max(np.abs(values))) if values.size else 0.0
    limit = (2**62) // (4 * (n_nodes + 1) ** 2)
    top = max(limit / max(max_abs, 1.0), 1.0)
    sample = values[:4096]
    for k in range(MAX_DECIMALS + 1):
        scale = 10**k
        if scale > top:
            break
        if _multiple_of(sample, scale) and _multiple_of(values, scale):
            return scale, True
    k = max(0, min(MAX_DECIMALS, int(np.floor(np.log10(top)))))
    return 10**k, False


def solve_flow(
    n_proposals: int,
    n_experts: int,
    arc_proposal: NDArray[np.int64],
    arc_expert: NDArray[np.int64],
    weights: NDArray[np.float64],
    need: NDArray[np.int64],
    low: NDArray[np.int64],
    high: NDArray[np.int64],
) -> FlowOutcome:
    """Maximise the total weight of the chosen pair arcs under the loads; one min-cost flow.

    Precondition: ``need.sum() >= low.sum()`` and ``low <= high`` (checked by the caller, which
    reports them as diagnoses).
    """
    n_nodes = n_proposals + n_experts + 1
    scale, exact = choose_scale(weights, n_nodes)
    sink = n_proposals + n_experts
    expert_nodes = n_proposals + np.arange(n_experts, dtype=np.int64)
    tails = np.concatenate([arc_proposal, expert_nodes])
    heads = np.concatenate([n_proposals + arc_expert, np.full(n_experts, sink, dtype=np.int64)])
    capacities = np.concatenate([np.ones(arc_proposal.shape[0], dtype=np.int64), high - low])
    supplies = np.concatenate(
        [need, -low, np.asarray([low.sum() - need.sum()], dtype=np.int64)]
    ).astype(np.int64)
    n_arcs = arc_proposal.shape[0]
    while True:
        costs = np.concatenate(
            [-np.rint(weights * scale).astype(np.int64), np.zeros(n_experts, dtype=np.int64)]
        )
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
        flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int64), supplies)
        status = flow.solve()
        if status == flow.OPTIMAL:
            chosen = flow.flows(np.arange(n_arcs, dtype=np.int64)) > 0
            return FlowOutcome(True, chosen, scale, exact)
        if status == flow.BAD_COST_RANGE and scale >= 1000:
            scale //= 1000
            exact = exact and _multiple_of(weights, scale)
            continue
        if status in (flow.INFEASIBLE, flow.UNBALANCED):
            return FlowOutcome(False, np.zeros(n_arcs, dtype=np.bool_), scale, exact)
        raise RuntimeError(f"min-cost flow failed with status {status}")
