"""Reviewer assignment: readable examples of each rule, each mode and each diagnosis."""

from __future__ import annotations

import numpy as np
import pytest

from filiere.engine.assignment import AffinityMatrix, AssignmentRequest, assign
from filiere.engine.assignment.network import choose_scale


def matrix(rows: dict[str, dict[str, float]]) -> AffinityMatrix:
    return AffinityMatrix.from_pairs(
        (pid, eid, score) for pid, row in rows.items() for eid, score in row.items()
    )


SQUARE = matrix(
    {
        "p1": {"a": 0.9, "b": 0.8, "c": 0.1},
        "p2": {"a": 0.85, "b": 0.2, "c": 0.3},
    }
)


def pairs_of(result: object) -> set[tuple[str, str]]:
    return {(p.proposal_id, p.expert_id) for p in result.pairs}  # type: ignore[attr-defined]


def test_assign_optimal_beats_greedy_order() -> None:
    # Greedy (p1 first) would take a, leaving p2 with c: 0.9 + 0.3 = 1.2; optimum is 0.8 + 0.85.
    result = assign(AssignmentRequest(SQUARE, reviews=1, min_load=0, max_load=1))
    assert result.status == "optimal"
    assert pairs_of(result) == {("p1", "b"), ("p2", "a")}
    assert result.total_affinity == pytest.approx(1.65)
    assert result.min_proposal_affinity == pytest.approx(0.8)
    assert result.rounding_bound == 0.0
    assert result.details["scale"] == 100


def test_assign_conflict_is_never_assigned() -> None:
    result = assign(
        AssignmentRequest(
            SQUARE, reviews=1, max_load=1, conflicts=frozenset({("p2", "a"), ("x", "y")})
        )
    )
    assert pairs_of(result) == {("p1", "a"), ("p2", "c")}


def test_assign_only_pairs_of_the_sparse_input() -> None:
    sparse = matrix({"p1": {"a": 0.1}, "p2": {"b": 0.2}})
    result = assign(AssignmentRequest(sparse, reviews=1, max_load=5))
    assert pairs_of(result) == {("p1", "a"), ("p2", "b")}


def test_assign_min_load_is_met_even_when_it_costs_affinity() -> None:
    result = assign(AssignmentRequest(SQUARE, reviews=1, max_load=2, loads_for={"c": (1, 1)}))
    assert ("p2", "c") in pairs_of(result) or ("p1", "c") in pairs_of(result)
    assert pairs_of(result) == {("p1", "a"), ("p2", "c")}


def test_assign_per_proposal_reviews_override() -> None:
    result = assign(
        AssignmentRequest(SQUARE, reviews=1, max_load=2, reviews_for={"p1": 3, "p2": 0})
    )
    assert pairs_of(result) == {("p1", "a"), ("p1", "b"), ("p1", "c")}
    assert result.min_proposal_affinity == pytest.approx(1.8)  # p2 has no review: not counted


def test_assign_forced_pair_is_kept_and_flagged() -> None:
    result = assign(
        AssignmentRequest(SQUARE, reviews=1, max_load=1, forced=frozenset({("p1", "c")}))
    )
    assert pairs_of(result) == {("p1", "c"), ("p2", "a")}
    assert [p.forced for p in result.pairs] == [True, False]


def test_assign_existing_pairs_kept_when_churn_penalty_outweighs_gain() -> None:
    existing = frozenset({("p1", "a"), ("p2", "c")})
    cheap = assign(AssignmentRequest(SQUARE, reviews=1, max_load=1, existing=existing))
    assert (cheap.kept, cheap.dropped) == (0, 2)
    sticky = assign(
        AssignmentRequest(SQUARE, reviews=1, max_load=1, existing=existing, churn_penalty=0.5)
    )
    assert pairs_of(sticky) == existing
    assert (sticky.kept, sticky.dropped) == (2, 0)


def test_assign_rerun_after_withdrawal_keeps_the_others() -> None:
    before = matrix({f"p{i}": {"a": 0.5 + i / 10, "b": 0.5, "c": 0.4} for i in range(3)})
    first = assign(AssignmentRequest(before, reviews=1, max_load=1))
    remaining = {(p.proposal_id, p.expert_id) for p in first.pairs if p.proposal_id != "p2"}
    after = matrix({f"p{i}": {"a": 0.5 + i / 10, "b": 0.5, "c": 0.4} for i in range(2)})
    rerun = assign(
        AssignmentRequest(
            after,
            reviews=1,
            max_load=1,
            existing=frozenset(pairs_of(first)),
            churn_penalty=0.2,
        )
    )
    assert remaining <= pairs_of(rerun)
    assert (rerun.kept, rerun.dropped) == (2, 1)


def test_fair_mode_lifts_the_worst_off_proposal() -> None:
    rows = {
        "p1": {"a": 1.0, "b": 0.4},
        "p2": {"a": 0.5, "b": 0.0},
    }
    optimal = assign(AssignmentRequest(matrix(rows), reviews=1, max_load=1))
    fair = assign(AssignmentRequest(matrix(rows), reviews=1, max_load=1, mode="fair"))
    assert pairs_of(optimal) == {("p1", "a"), ("p2", "b")}
    assert pairs_of(fair) == {("p1", "b"), ("p2", "a")}
    assert (optimal.min_proposal_affinity, fair.min_proposal_affinity) == (0.0, 0.4)
    assert fair.status == "optimal" and fair.details["fair_proven"] is True


def test_infeasible_diagnosis_names_the_proposal_without_experts() -> None:
    rows = {"p1": {"a": 0.9, "b": 0.8}, "p2": {"a": 0.5}}
    result = assign(AssignmentRequest(matrix(rows), reviews=2, max_load=2))
    assert result.status == "infeasible"
    assert result.pairs == ()
    codes = [issue.code for issue in result.diagnosis]
    assert codes == ["too_few_eligible_experts", "capacity_short", "group_capacity_short"]
    assert result.diagnosis[0].params == {"proposal_id": "p2", "needed": 2, "eligible": 1}


def test_infeasible_diagnosis_total_capacity() -> None:
    result = assign(AssignmentRequest(SQUARE, reviews=2, max_load=1))
    codes = {issue.code: issue.params for issue in result.diagnosis}
    assert codes["capacity_short"] == {"demand": 4, "capacity": 3, "missing": 1}
    assert codes["group_capacity_short"]["missing"] == 1


def test_infeasible_diagnosis_group_hall_violation() -> None:
    # p1 and p2 may only use expert a (max 1): each alone is fine, together they are short,
    # although the total capacity (a: 1, b: 2, c: 2) covers the demand (4).
    rows = {"p1": {"a": 0.9}, "p2": {"a": 0.8}, "p3": {"b": 0.1, "c": 0.9}, "p4": {"b": 0.3}}
    result = assign(AssignmentRequest(matrix(rows), reviews=1, max_load=2, loads_for={"a": (0, 1)}))
    (issue,) = result.diagnosis
    assert issue.code == "group_capacity_short"
    assert issue.params == {
        "proposals": ("p1", "p2"),
        "proposal_count": 2,
        "demand": 2,
        "capacity": 1,
        "missing": 1,
    }


def test_infeasible_diagnosis_min_loads() -> None:
    result = assign(AssignmentRequest(SQUARE, reviews=1, min_load=1, max_load=2))
    codes = [issue.code for issue in result.diagnosis]
    assert "min_loads_exceed_demand" in codes and "group_min_load_short" in codes
    conflicted = assign(
        AssignmentRequest(
            SQUARE,
            reviews=1,
            max_load=2,
            loads_for={"c": (1, 1)},
            conflicts=frozenset({("p1", "c"), ("p2", "c")}),
        )
    )
    assert conflicted.diagnosis[0].params == {"expert_id": "c", "min_load": 1, "eligible": 0}


def test_infeasible_diagnosis_forced_pairs() -> None:
    result = assign(
        AssignmentRequest(
            SQUARE,
            reviews=1,
            max_load=1,
            forced=frozenset({("p1", "zz"), ("p2", "a"), ("p1", "a"), ("p1", "b")}),
            conflicts=frozenset({("p2", "a")}),
        )
    )
    assert [issue.as_dict() for issue in result.diagnosis] == [
        {"code": "forced_pair_not_in_affinity", "proposal_id": "p1", "expert_id": "zz"},
        {"code": "forced_pair_conflicted", "proposal_id": "p2", "expert_id": "a"},
        {"code": "forced_exceeds_reviews", "proposal_id": "p1", "forced": 2, "reviews": 1},
    ]


def test_assign_rejects_malformed_requests() -> None:
    with pytest.raises(ValueError, match="min_load"):
        assign(AssignmentRequest(SQUARE, min_load=3, max_load=2))
    with pytest.raises(ValueError, match="reviews_for"):
        assign(AssignmentRequest(SQUARE, reviews_for={"nobody": 1}))
    with pytest.raises(ValueError, match="twice"):
        AffinityMatrix.from_pairs([("p", "e", 1.0), ("p", "e", 0.5)])


def test_empty_instance_is_optimal_and_empty() -> None:
    empty = AffinityMatrix.from_pairs([])
    result = assign(AssignmentRequest(empty))
    assert (result.status, result.pairs, result.total_affinity) == ("optimal", (), 0.0)


def test_choose_scale_exact_for_decimals_bounded_otherwise() -> None:
    assert choose_scale(np.array([0.5, 0.25, 0.125]), 10) == (1000, True)
    assert choose_scale(np.array([0.123456, 1.0]), 10) == (10**6, True)
    scale, exact = choose_scale(np.array([1 / 3]), 10)
    assert (scale, exact) == (10**9, False)
    big_scale, _ = choose_scale(np.array([1 / 3]), 40_000)
    assert big_scale == 10**8  # keeps 4 (n + 1)**2 * max|cost| below 2**62


def test_from_dense_skips_nan_pairs() -> None:
    scores = np.array([[0.5, np.nan], [np.nan, 0.7]])
    affinity = AffinityMatrix.from_dense(["p1", "p2"], ["a", "b"], scores)
    result = assign(AssignmentRequest(affinity, reviews=1, max_load=1))
    assert pairs_of(result) == {("p1", "a"), ("p2", "b")}


def test_fair_mode_on_pruned_candidates_reports_it() -> None:
    rng = np.random.default_rng(7)
    scores = np.round(rng.random((30, 12)) * np.linspace(0.2, 1.0, 12), 3)
    affinity = AffinityMatrix.from_dense(
        [f"p{i}" for i in range(30)], [f"e{j}" for j in range(12)], scores
    )
    request = AssignmentRequest(
        affinity, reviews=2, max_load=6, mode="fair", fair_full_limit=10, fair_candidates=4
    )
    result = assign(request)
    assert result.status in ("optimal", "feasible")
    assert result.details["fair_pruned"] is True
    full = assign(AssignmentRequest(affinity, reviews=2, max_load=6, mode="fair"))
    assert result.min_proposal_affinity <= full.min_proposal_affinity + 1e-9
