"""Why an assignment instance has no solution, as codes with parameters.

Completeness. A set of pairs giving every proposal exactly R' experts and every expert lo'..hi'
proposals exists if and only if (a) one exists with exactly R' per proposal and at most hi' per
expert, and (b) one exists with at most R' per proposal and at least lo' per expert. This is the
linking property of bipartite degree-constrained subgraphs (Schrijver, *Combinatorial
Optimization*, ch. 21). Each of (a) and (b) is a max-flow question, and when one fails its
minimum cut names a *group*: proposals whose eligible experts cannot give them enough reviews
(Hall's condition), or experts whose minimum loads the proposals they may review cannot fill.
So every infeasible instance gets at least one group issue; the simple per-node and total
issues come first because they are the easiest to act on.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow

from filiere.engine.assignment.model import Issue

__all__ = ["diagnose"]

LISTED = 50  # per-node issues listed before a "more_issues" summary
GROUP_IDS = 20  # ids named in a group issue


def _cut(
    n_proposals: int,
    n_experts: int,
    arc_proposal: NDArray[np.int64],
    arc_expert: NDArray[np.int64],
    need: NDArray[np.int64],
    expert_capacity: NDArray[np.int64],
) -> tuple[int, NDArray[np.bool_]]:
    """Max flow source→proposals→experts→sink and the source side of a minimum cut."""
    source, sink = n_proposals + n_experts, n_proposals + n_experts + 1
    proposals = np.arange(n_proposals, dtype=np.int64)
    experts = n_proposals + np.arange(n_experts, dtype=np.int64)
    tails = np.concatenate([np.full(n_proposals, source, dtype=np.int64), arc_proposal, experts])
    heads = np.concatenate(
        [proposals, n_proposals + arc_expert, np.full(n_experts, sink, dtype=np.int64)]
    )
    capacities = np.concatenate(
        [need, np.ones(arc_proposal.shape[0], dtype=np.int64), expert_capacity]
    ).astype(np.int64)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(tails, heads, capacities)
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:  # pragma: no cover - only on int64 overflow
        raise RuntimeError(f"max flow failed with status {status}")
    side = np.zeros(n_proposals + n_experts + 2, dtype=np.bool_)
    side[np.asarray(flow.get_source_side_min_cut(), dtype=np.int64)] = True
    return int(flow.optimal_flow()), side


def diagnose(
    proposal_ids: tuple[str, ...],
    expert_ids: tuple[str, ...],
    arc_proposal: NDArray[np.int64],
    arc_expert: NDArray[np.int64],
    need: NDArray[np.int64],
    low: NDArray[np.int64],
    high: NDArray[np.int64],
) -> list[Issue]:
    """Issues explaining why no assignment meets the reviews and loads on the eligible arcs."""
    n_proposals, n_experts = len(proposal_ids), len(expert_ids)
    issues: list[Issue] = []
    demand = int(need.sum())
    eligible_p = np.bincount(arc_proposal, minlength=n_proposals)
    eligible_e = np.bincount(arc_expert, minlength=n_experts)

    per_node: list[Issue] = []
    for p in np.flatnonzero(eligible_p < need):
        per_node.append(
            Issue(
                "too_few_eligible_experts",
                {
                    "proposal_id": proposal_ids[p],
                    "needed": int(need[p]),
                    "eligible": int(eligible_p[p]),
                },
            )
        )
    for e in np.flatnonzero(eligible_e < low):
        per_node.append(
            Issue(
                "expert_cannot_reach_min_load",
                {
                    "expert_id": expert_ids[e],
                    "min_load": int(low[e]),
                    "eligible": int(eligible_e[e]),
                },
            )
        )
    issues.extend(per_node[:LISTED])
    if len(per_node) > LISTED:
        issues.append(Issue("more_issues", {"count": len(per_node) - LISTED}))

    capacity = int(np.minimum(high, eligible_e).sum())
    if capacity < demand:
        issues.append(
            Issue(
                "capacity_short",
                {"demand": demand, "capacity": capacity, "missing": demand - capacity},
            )
        )
    if int(low.sum()) > demand:
        issues.append(
            Issue(
                "min_loads_exceed_demand",
                {
                    "demand": demand,
                    "min_load_total": int(low.sum()),
                    "excess": int(low.sum()) - demand,
                },
            )
        )

    args = (n_proposals, n_experts, arc_proposal, arc_expert, need)
    served, side = _cut(*args, high)
    if served < demand:
        group = np.flatnonzero(side[:n_proposals] & (need > 0))
        group_demand = int(need[group].sum())
        issues.append(
            Issue(
                "group_capacity_short",
                {
                    "proposals": tuple(proposal_ids[p] for p in group[:GROUP_IDS]),
                    "proposal_count": int(group.shape[0]),
                    "demand": group_demand,
                    "capacity": group_demand - (demand - served),
                    "missing": demand - served,
                },
            )
        )
    required = int(low.sum())
    filled, side = _cut(*args, low)
    if filled < required:
        group = np.flatnonzero(~side[n_proposals : n_proposals + n_experts] & (low > 0))
        group_required = int(low[group].sum())
        issues.append(
            Issue(
                "group_min_load_short",
                {
                    "experts": tuple(expert_ids[e] for e in group[:GROUP_IDS]),
                    "expert_count": int(group.shape[0]),
                    "min_load_total": group_required,
                    "available": group_required - (required - filled),
                    "missing": required - filled,
                },
            )
        )
    if not issues:  # pragma: no cover - excluded by the linking property
        issues.append(Issue("infeasible_combination"))
    return issues
