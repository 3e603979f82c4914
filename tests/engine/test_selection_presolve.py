"""Selection when HiGHS's presolve goes wrong (issue #10): the engine still answers exactly.

The first instance is the one hypothesis found (test_selection_bruteforce): the fiction quota
must be exactly 3,000 but the fiction requests left (P1 is forced out) are 2,000, 5,000 and
2,000, so no funded set exists; HiGHS with presolve answered "Solve error" instead.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from filiere.engine import selection
from filiere.engine.selection import OBJECTIVES, Proposal, Quota, Rules, select


def proposal(pid: str, amount: float, genre: str = "fiction", score: float = 0.0) -> Proposal:
    return Proposal(pid, score, amount, "O1", {"genre": genre, "territory": "hdf"})


PROPOSALS = [
    proposal("P0", 2_000),
    proposal("P1", 1_000),
    proposal("P2", 5_000),
    proposal("P3", 2_000),
    proposal("P4", 1_000, "documentary"),
]


def exact_fiction(amount: float, objective: str) -> Rules:
    return Rules(
        quotas=(Quota("genre", "fiction", min_amount=amount, max_amount=amount),),
        objective=objective,
    )


def fiction_amount(result) -> float:
    by_id = {p.id: p for p in PROPOSALS}
    return sum(
        d.amount for d in result.decisions if d.selected and by_id[d.id].value("genre") == "fiction"
    )


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_an_exact_quota_no_subset_can_meet_is_infeasible_with_a_diagnosis(objective) -> None:
    result = select(PROPOSALS, 9_000, exact_fiction(3_000, objective), forced_out={"P1"})
    assert result.status == "infeasible"
    # the closest fiction amounts are 2,000 and 4,000: either bound is short by 1,000
    assert [(d.rule, d.limit, d.shortfall) for d in result.diagnosis] == [
        ("genre=fiction", 3_000.0, 1_000.0)
    ]
    assert result.diagnosis[0].code in {"quota_min_amount", "quota_max_amount"}
    assert result.diagnosis[0].achievable in {2_000.0, 4_000.0}
    assert {d.reason for d in result.decisions} == {"infeasible"}
    assert result.selected_ids() == frozenset()


@pytest.mark.parametrize("objective", OBJECTIVES)
def test_an_exact_quota_one_subset_meets_is_solved(objective) -> None:
    result = select(PROPOSALS, 9_000, exact_fiction(4_000, objective), forced_out={"P1"})
    assert result.status == "optimal"
    assert {"P0", "P3"} <= result.selected_ids()
    assert "P2" not in result.selected_ids()
    assert fiction_amount(result) == 4_000


def test_the_quota_counts_a_forced_out_proposal_nowhere() -> None:
    # without the staff decision, P0 + P1 meet the quota of 3,000 exactly
    result = select(PROPOSALS, 9_000, exact_fiction(3_000, "ranked"))
    assert result.status == "optimal"
    assert result.selected_ids() == {"P0", "P1", "P4"}


def test_a_point_presolve_returns_that_breaks_a_rule_is_solved_again(monkeypatch) -> None:
    """A presolve bug may also return an "optimal" point that breaks the original rows: the
    engine checks every point and then solves without presolve."""
    real_milp = selection.milp
    calls: list[bool] = []

    def presolve_returns_everything(c, **kwargs):
        calls.append(kwargs["options"]["presolve"])
        res = real_milp(c, **kwargs)
        if kwargs["options"]["presolve"]:
            res.status, res.x, res.fun = 0, np.ones(len(c)), float(np.sum(c))
        return res

    monkeypatch.setattr(selection, "milp", presolve_returns_everything)
    proposals = [
        proposal("P0", 2_000, score=3),
        proposal("P1", 2_000, score=2),
        proposal("P2", 1_000, "documentary", score=1),
    ]
    rules = Rules(quotas=(Quota("genre", "fiction", max_count=1),), objective="merit")
    result = select(proposals, 5_000, rules)
    assert calls == [True, False]
    assert result.status == "optimal"
    assert result.selected_ids() == {"P0", "P2"}


def test_the_solver_call_answers_infeasible_where_presolve_fails() -> None:
    # x0 + 2.5 x1 + x2 = 1.5 over binaries: what HiGHS's presolve fails on
    matrix = sp.csr_matrix(np.array([[1.0, 2.5, 1.0]]))
    res = selection._milp(
        np.zeros(3),
        np.ones(3),
        (np.zeros(3), np.ones(3)),
        (matrix, np.array([1.5]), np.array([1.5])),
        10.0,
        None,
    )
    assert res.status == 2
    assert res.x is None
