"""Reviewer assignment: exact min-cost flow (optimal and fair modes) against a greedy baseline.

Instances are generated at run time from a seed: proposals and experts are mixtures of 40 topics
(Dirichlet, with a few popular topics, as in a real call where animation or games dominate; the
expert pool is recruited along the same topics), the
affinity is the cosine of the two mixtures plus noise, in [0, 1] with six decimals (what the
affinity command writes). Conflicts: 3 per proposal, drawn among the proposal's 30 closest experts
(conflicts are with colleagues of the same field, which is where they bite).

The greedy baseline, run on the same instance in the same process: proposals in turn (in id
order) take their best available experts (not conflicted, below the maximum load). It ignores
minimum loads; the figures say how many experts it leaves below their minimum and how many
reviews it leaves unplaced.

Each case runs in a fresh spawned process (``bench.memory.measure_in_child``) so that its peak RSS
is its own; CPU seconds are measured with ``time.process_time`` around each solver call only.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench.memory import measure_in_child
from filiere.engine.assignment import AffinityMatrix, AssignmentRequest, assign

TOPICS = 40


def _mixtures(rng: np.random.Generator, count: int, popularity: NDArray[np.float64]) -> Any:
    mixtures = rng.dirichlet(popularity, size=count).astype(np.float32)
    return mixtures / np.linalg.norm(mixtures, axis=1, keepdims=True)


def generate(
    n_proposals: int, n_experts: int, top_k: int | None, seed: int
) -> tuple[AffinityMatrix, frozenset[tuple[str, str]]]:
    """A seeded instance: affinities (dense, or each proposal's top_k experts) and conflicts."""
    rng = np.random.default_rng(seed)
    popularity = 0.3 / (1 + np.arange(TOPICS)) ** 0.7
    proposals = _mixtures(rng, n_proposals, popularity)
    experts = _mixtures(rng, n_experts, popularity)  # the pool follows the call's topics
    breadth = rng.uniform(0.75, 1.0, n_experts).astype(np.float32)  # some experts score higher
    p_ids = [f"P{i:05d}" for i in range(n_proposals)]
    e_ids = [f"E{j:05d}" for j in range(n_experts)]
    rows: list[NDArray[np.int64]] = []
    cols: list[NDArray[np.int64]] = []
    vals: list[NDArray[np.float64]] = []
    conflict_rows: list[NDArray[np.int64]] = []
    conflict_cols: list[NDArray[np.int64]] = []
    block = 1000
    for start in range(0, n_proposals, block):
        sim = proposals[start : start + block] @ experts.T * breadth
        sim += rng.normal(0.0, 0.04, sim.shape).astype(np.float32)
        score = np.clip(0.1 + 0.85 * sim, 0.0, 1.0)
        n = score.shape[0]
        closest = np.argpartition(-score, 30, axis=1)[:, :30]
        picks = np.argsort(rng.random((n, 30)), axis=1)[:, :3]
        conflict_rows.append(np.repeat(np.arange(start, start + n), 3))
        conflict_cols.append(np.take_along_axis(closest, picks, axis=1).ravel())
        if top_k is None:
            cols_block = np.tile(np.arange(n_experts), n)
            rows.append(np.repeat(np.arange(start, start + n), n_experts))
        else:
            best = np.argpartition(-score, top_k, axis=1)[:, :top_k]
            cols_block = best.ravel()
            rows.append(np.repeat(np.arange(start, start + n), top_k))
        cols.append(cols_block.astype(np.int64))
        picked = score[np.repeat(np.arange(n), cols_block.size // n), cols_block]
        vals.append(np.round(picked.astype(np.float64), 6))
    affinity = AffinityMatrix(
        tuple(p_ids),
        tuple(e_ids),
        np.concatenate(rows).astype(np.int64),
        np.concatenate(cols),
        np.concatenate(vals).astype(np.float64),
    )
    conflicts = frozenset(
        (p_ids[p], e_ids[e])
        for p, e in zip(
            np.concatenate(conflict_rows).tolist(),
            np.concatenate(conflict_cols).tolist(),
            strict=True,
        )
    )
    return affinity, conflicts


def greedy(
    affinity: AffinityMatrix,
    conflicts: frozenset[tuple[str, str]],
    reviews: int,
    min_load: int,
    max_load: int,
) -> dict[str, Any]:
    """Each proposal in turn takes its best available experts; figures of the result."""
    n_p, n_e = len(affinity.proposal_ids), len(affinity.expert_ids)
    p_index = {pid: i for i, pid in enumerate(affinity.proposal_ids)}
    e_index = {eid: j for j, eid in enumerate(affinity.expert_ids)}
    keys = affinity.proposal_index * n_e + affinity.expert_index
    banned = np.asarray([p_index[p] * n_e + e_index[e] for p, e in conflicts], dtype=np.int64)
    keep = np.flatnonzero(~np.isin(keys, banned))
    order = keep[np.lexsort((-affinity.scores[keep], affinity.proposal_index[keep]))]
    sorted_p = affinity.proposal_index[order]
    bounds = np.searchsorted(sorted_p, np.arange(n_p + 1))
    load = np.zeros(n_e, dtype=np.int64)
    totals = np.zeros(n_p)
    placed = 0
    for p in range(n_p):
        candidates = order[bounds[p] : bounds[p + 1]]
        experts = affinity.expert_index[candidates]
        take = candidates[load[experts] < max_load][:reviews]
        load[affinity.expert_index[take]] += 1
        totals[p] = affinity.scores[take].sum()
        placed += take.shape[0]
    return {
        "total_affinity": round(float(totals.sum()), 6),
        "min_proposal_affinity": round(float(totals.min()), 6),
        "reviews_unplaced": n_p * reviews - placed,
        "experts_below_min_load": int((load < min_load).sum()),
    }


def case(
    n_proposals: int,
    n_experts: int,
    reviews: int,
    min_load: int,
    max_load: int,
    top_k: int | None,
    fair_time_limit: float | None,
    seed: int,
) -> dict[str, Any]:
    """One benchmark case (runs in a child process): generate, solve, greedy; figures only."""
    started = time.process_time()
    affinity, conflicts = generate(n_proposals, n_experts, top_k, seed)
    figures: dict[str, Any] = {
        "proposals": n_proposals,
        "experts": n_experts,
        "reviews": reviews,
        "loads": [min_load, max_load],
        "pairs": affinity.size,
        "conflicts": len(conflicts),
        "generate_cpu_seconds": round(time.process_time() - started, 3),
    }
    request = AssignmentRequest(
        affinity, reviews=reviews, min_load=min_load, max_load=max_load, conflicts=conflicts
    )
    cpu = time.process_time()
    result = assign(request)
    figures["optimal"] = {
        "status": result.status,
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "wall_seconds": round(result.seconds, 3),
        "total_affinity": round(result.total_affinity, 6),
        "min_proposal_affinity": round(result.min_proposal_affinity, 6),
        "rounding_bound": result.rounding_bound,
    }
    if result.diagnosis:
        figures["optimal"]["diagnosis"] = [issue.as_dict() for issue in result.diagnosis[:5]]
    cpu = time.process_time()
    baseline = greedy(affinity, conflicts, reviews, min_load, max_load)
    baseline["cpu_seconds"] = round(time.process_time() - cpu, 3)
    figures["greedy"] = baseline
    figures["total_ratio_optimal_vs_greedy"] = round(
        result.total_affinity / baseline["total_affinity"], 5
    )
    if fair_time_limit is not None:
        cpu = time.process_time()
        fair_result = assign(
            AssignmentRequest(
                affinity,
                reviews=reviews,
                min_load=min_load,
                max_load=max_load,
                conflicts=conflicts,
                mode="fair",
                time_limit=fair_time_limit,
            )
        )
        figures["fair"] = {
            "status": fair_result.status,
            "cpu_seconds": round(time.process_time() - cpu, 3),
            "wall_seconds": round(fair_result.seconds, 3),
            "total_affinity": round(fair_result.total_affinity, 6),
            "min_proposal_affinity": round(fair_result.min_proposal_affinity, 6),
            "price_of_fairness": round(result.total_affinity - fair_result.total_affinity, 6),
            "details": dict(fair_result.details),
        }
    return figures


def _lp_check(seed: int) -> dict[str, Any]:
    """Optimal mode against the LP optimum (HiGHS) on a medium dense instance."""
    from scipy.optimize import linprog
    from scipy.sparse import csr_array, vstack

    affinity, conflicts = generate(300, 120, None, seed)
    request = AssignmentRequest(affinity, reviews=3, min_load=2, max_load=10, conflicts=conflicts)
    result = assign(request)
    n_e = len(affinity.expert_ids)
    keys = affinity.proposal_index * n_e + affinity.expert_index
    index = {pid: i for i, pid in enumerate(affinity.proposal_ids)}
    e_index = {eid: j for j, eid in enumerate(affinity.expert_ids)}
    banned = np.asarray([index[p] * n_e + e_index[e] for p, e in conflicts])
    keep = np.flatnonzero(~np.isin(keys, banned))
    n = keep.shape[0]
    cols = np.arange(n)
    by_p = csr_array((np.ones(n), (affinity.proposal_index[keep], cols)))
    by_e = csr_array((np.ones(n), (affinity.expert_index[keep], cols)))
    lp = linprog(
        -affinity.scores[keep],
        A_ub=vstack([by_e, -by_e]),
        b_ub=np.concatenate([np.full(n_e, 10), np.full(n_e, -2)]),
        A_eq=by_p,
        b_eq=np.full(len(affinity.proposal_ids), 3),
        bounds=(0, 1),
        method="highs",
    )
    return {
        "instance": "300 x 120 x 3, loads 2..10, dense",
        "flow_total": round(result.total_affinity, 9),
        "lp_total": round(float(-lp.fun), 9),
        "difference": float(abs(result.total_affinity + lp.fun)),
    }


def run(quick: bool) -> dict[str, Any]:
    if quick:
        cases = {
            "dense_300x150x3": (300, 150, 3, 2, 8, None, 1.0, 1),
            "sparse_2000x2000x4_top50": (2000, 2000, 4, 0, 8, 50, None, 2),
        }
    else:
        cases = {
            "dense_2000x1000x3": (2000, 1000, 3, 2, 8, None, 20.0, 1),
            "sparse_20000x20000x4_top200": (20000, 20000, 4, 0, 8, 200, None, 2),
        }
    figures: dict[str, Any] = {"lp_check": _lp_check(3)}
    for name, args in cases.items():
        outcome = measure_in_child(case, *args)
        figures[name] = {
            **outcome["result"],
            "child_peak_rss_mb": round(outcome["peak_rss_mb"], 1),
            "child_cpu_seconds": round(outcome["cpu_seconds"], 3),
        }
    return figures
