"""Property-based checks of the assignment against independent solvers on small instances.

* optimal mode = the LP optimum (scipy/HiGHS ``linprog``; the constraint matrix is totally
  unimodular, so the LP optimum is the integer optimum), and infeasible exactly when the LP is;
* optimal and fair modes = brute force over every assignment on tiny instances (fair: the best
  worst-off total, then the best total among the assignments reaching it), forced pairs included;
* every assignment returned respects reviews, loads, conflicts and the sparse pair list.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from filiere.engine.assignment import AffinityMatrix, AssignmentRequest, AssignmentResult, assign

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@dataclass(frozen=True)
class Instance:
    n_p: int
    n_e: int
    scores: dict[tuple[int, int], float]  # only the pairs present
    conflicts: frozenset[tuple[int, int]]
    reviews: tuple[int, ...]
    loads: tuple[tuple[int, int], ...]
    forced: frozenset[tuple[int, int]] = frozenset()
    existing: frozenset[tuple[int, int]] = frozenset()
    churn: float = 0.0

    def eligible(self, p: int, e: int) -> bool:
        return (p, e) in self.scores and (p, e) not in self.conflicts

    def weight(self, p: int, e: int) -> float:
        return self.scores[(p, e)] + (self.churn if (p, e) in self.existing else 0.0)

    def request(self, mode: str = "optimal") -> AssignmentRequest:
        pairs = [(f"p{p}", f"e{e}", s) for (p, e), s in sorted(self.scores.items())]
        affinity = AffinityMatrix.from_pairs(
            pairs,
            proposal_ids=[f"p{p}" for p in range(self.n_p)],
            expert_ids=[f"e{e}" for e in range(self.n_e)],
        )

        def ids(pairs: frozenset[tuple[int, int]]) -> frozenset[tuple[str, str]]:
            return frozenset((f"p{p}", f"e{e}") for p, e in pairs)

        return AssignmentRequest(
            affinity=affinity,
            reviews=0,
            min_load=0,
            max_load=0,
            reviews_for={f"p{p}": r for p, r in enumerate(self.reviews)},
            loads_for={f"e{e}": bounds for e, bounds in enumerate(self.loads)},
            conflicts=ids(self.conflicts),
            forced=ids(self.forced),
            existing=ids(self.existing),
            churn_penalty=self.churn,
            mode=mode,  # type: ignore[arg-type]
        )


@st.composite
def instances(
    draw: st.DrawFn,
    max_p: int = 4,
    max_e: int = 4,
    max_r: int = 2,
    decimals: bool = True,
    with_forced: bool = False,
) -> Instance:
    n_p = draw(st.integers(1, max_p))
    n_e = draw(st.integers(1, max_e))
    cells = [(p, e) for p in range(n_p) for e in range(n_e)]
    present = draw(
        st.lists(
            st.sampled_from([True, True, True, False]), min_size=len(cells), max_size=len(cells)
        )
    )
    if decimals:
        values = st.integers(0, 1000).map(lambda v: v / 1000)
    else:
        values = st.floats(0, 1, allow_nan=False, allow_subnormal=False)
    scores = {cell: draw(values) for cell, keep in zip(cells, present, strict=True) if keep}
    conflicts = frozenset(
        draw(st.lists(st.sampled_from(cells), max_size=len(cells) // 4)) if cells else []
    )
    reviews = tuple(draw(st.integers(0, min(max_r, n_e))) for _ in range(n_p))
    loads = []
    for _ in range(n_e):  # mostly feasible: a minimum load is the exception
        low = draw(st.sampled_from([0, 0, 0, 1, 2]))
        loads.append((low, draw(st.integers(max(low, 1), 3))))
    forced: frozenset[tuple[int, int]] = frozenset()
    if with_forced:
        forced = frozenset(draw(st.lists(st.sampled_from(sorted(scores) or cells), max_size=2)))
    existing = frozenset(draw(st.lists(st.sampled_from(sorted(scores) or cells), max_size=4)))
    churn = draw(st.sampled_from([0.0, 0.1, 0.5, 2.0]))
    return Instance(n_p, n_e, scores, conflicts, reviews, tuple(loads), forced, existing, churn)


def brute_force(instance: Instance) -> list[tuple[float, float, float]]:
    """(weighted total, affinity total, worst proposal affinity) of every feasible assignment."""
    options = []
    for p in range(instance.n_p):
        eligible = [e for e in range(instance.n_e) if instance.eligible(p, e)]
        must = {e for (q, e) in instance.forced if q == p}
        options.append(
            [
                combo
                for combo in itertools.combinations(eligible, instance.reviews[p])
                if must <= set(combo)
            ]
        )
    found = []
    for choice in itertools.product(*options):
        load = [0] * instance.n_e
        for combo in choice:
            for e in combo:
                load[e] += 1
        if any(not lo <= n <= hi for n, (lo, hi) in zip(load, instance.loads, strict=True)):
            continue
        weighted = sum(instance.weight(p, e) for p, combo in enumerate(choice) for e in combo)
        totals = [sum(instance.scores[(p, e)] for e in combo) for p, combo in enumerate(choice)]
        served = [t for t, r in zip(totals, instance.reviews, strict=True) if r > 0]
        found.append((weighted, sum(totals), min(served, default=0.0)))
    return found


def lp_optimum(instance: Instance) -> float | None:
    """The LP relaxation's optimum of the weighted objective, or None when infeasible."""
    arcs = [
        (p, e) for p in range(instance.n_p) for e in range(instance.n_e) if instance.eligible(p, e)
    ]
    if not arcs:
        feasible = all(r == 0 for r in instance.reviews) and all(
            lo == 0 for lo, _ in instance.loads
        )
        return 0.0 if feasible else None
    c = -np.array([instance.weight(p, e) for p, e in arcs])
    a_eq = np.array([[1.0 if q == p else 0.0 for q, _ in arcs] for p in range(instance.n_p)])
    by_expert = np.array([[1.0 if f == e else 0.0 for _, f in arcs] for e in range(instance.n_e)])
    a_ub = np.vstack([by_expert, -by_expert])
    b_ub = np.array([hi for _, hi in instance.loads] + [-lo for lo, _ in instance.loads])
    result = linprog(
        c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=np.array(instance.reviews), bounds=(0, 1)
    )
    if result.status == 2:
        return None
    assert result.status == 0
    return float(-result.fun)


def check_feasible(instance: Instance, result: AssignmentResult) -> None:
    pairs = [(int(a.proposal_id[1:]), int(a.expert_id[1:])) for a in result.pairs]
    assert len(set(pairs)) == len(pairs)
    for p, e in pairs:
        assert instance.eligible(p, e), "only non-conflicted pairs of the affinity input"
    for p in range(instance.n_p):
        assert sum(1 for q, _ in pairs if q == p) == instance.reviews[p]
    for e, (lo, hi) in enumerate(instance.loads):
        assert lo <= sum(1 for _, f in pairs if f == e) <= hi
    assert instance.forced <= set(pairs)
    total = sum(instance.scores[pair] for pair in pairs)
    assert result.total_affinity == pytest.approx(total, abs=1e-9)


def weighted_total(instance: Instance, result: AssignmentResult) -> float:
    return result.total_affinity + instance.churn * result.kept


@FAST
@given(instances(max_p=7, max_e=5, max_r=3))
def test_optimal_mode_equals_lp_optimum_and_detects_infeasibility(instance: Instance) -> None:
    result = assign(instance.request())
    optimum = lp_optimum(instance)
    if optimum is None:
        assert result.status == "infeasible"
        assert result.pairs == ()
        assert result.diagnosis
    else:
        assert result.status == "optimal"
        check_feasible(instance, result)
        assert result.rounding_bound == 0.0
        assert weighted_total(instance, result) == pytest.approx(optimum, abs=1e-7)


@FAST
@given(instances(with_forced=True))
def test_both_modes_equal_brute_force_with_forced_pairs(instance: Instance) -> None:
    solutions = brute_force(instance)
    optimal = assign(instance.request())
    fair = assign(instance.request("fair"))
    if not solutions:
        assert optimal.status == fair.status == "infeasible"
        assert optimal.diagnosis and fair.diagnosis
        return
    assert optimal.status == fair.status == "optimal"
    check_feasible(instance, optimal)
    check_feasible(instance, fair)
    best = max(weighted for weighted, _, _ in solutions)
    assert weighted_total(instance, optimal) == pytest.approx(best, abs=1e-9)
    max_min = max(worst for _, _, worst in solutions)
    assert fair.min_proposal_affinity == pytest.approx(max_min, abs=1e-9)
    best_fair = max(w for w, _, worst in solutions if worst >= max_min - 1e-9)
    assert weighted_total(instance, fair) == pytest.approx(best_fair, abs=1e-9)


@FAST
@given(instances(decimals=False))
def test_optimal_mode_on_arbitrary_floats_stays_within_rounding_bound(instance: Instance) -> None:
    result = assign(instance.request())
    solutions = brute_force(instance)
    if not solutions:
        assert result.status == "infeasible"
        return
    check_feasible(instance, result)
    best = max(weighted for weighted, _, _ in solutions)
    assert weighted_total(instance, result) >= best - result.rounding_bound - 1e-12
    assert weighted_total(instance, result) <= best + 1e-12


@st.composite
def contended(draw: st.DrawFn) -> Instance:
    """Every proposal wants the same few experts, whose loads are tight: fairness matters."""
    n_p = draw(st.integers(2, 5))
    n_e = draw(st.integers(2, 4))
    quality = [draw(st.integers(0, 1000)) for _ in range(n_e)]
    scores = {
        (p, e): min(1000, quality[e] + draw(st.integers(0, 300))) / 1000
        for p in range(n_p)
        for e in range(n_e)
    }
    reviews = tuple(draw(st.integers(1, min(2, n_e))) for _ in range(n_p))
    demand = sum(reviews)
    loads = [(0, draw(st.integers(1, 3))) for _ in range(n_e)]
    while sum(hi for _, hi in loads) < demand:  # keep most instances feasible
        e = draw(st.integers(0, n_e - 1))
        loads[e] = (0, loads[e][1] + 1)
    return Instance(n_p, n_e, scores, frozenset(), reviews, tuple(loads))


@FAST
@given(contended())
def test_fair_mode_equals_brute_force_max_min_under_contention(instance: Instance) -> None:
    solutions = brute_force(instance)
    fair = assign(instance.request("fair"))
    if not solutions:
        assert fair.status == "infeasible"
        return
    check_feasible(instance, fair)
    max_min = max(worst for _, _, worst in solutions)
    assert fair.min_proposal_affinity == pytest.approx(max_min, abs=1e-9)
    best_fair = max(w for w, _, worst in solutions if worst >= max_min - 1e-9)
    assert fair.total_affinity == pytest.approx(best_fair, abs=1e-9)
    assert fair.total_affinity <= assign(instance.request()).total_affinity + 1e-9
