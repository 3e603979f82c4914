"""Selection: explanations, ranked-list comparison, what-if re-solves, infeasibility, partials."""

import pytest

from filiere.engine import selection
from filiere.engine.selection import (
    CoFunder,
    Proposal,
    Quota,
    Rules,
    SelectionError,
    select,
)


def proposal(pid, score, amount, org, genre="fiction", territory="hdf", **extra):
    return Proposal(pid, score, amount, org, {"genre": genre, "territory": territory, **extra})


CALL = [
    proposal("A", 18, 50_000, "O1"),
    proposal("B", 17, 40_000, "O1", "documentary"),
    proposal("C", 15, 30_000, "O2", "documentary", "wallonia", partner="wallonia"),
    proposal("D", 14, 60_000, "O3", "games", "flanders"),
    proposal("E", 12, 20_000, "O4", "animation", partner="wallonia"),
    proposal("F", 9, 10_000, "O5"),
]
RULES = Rules(
    quotas=(Quota("genre", "animation", min_count=1),),
    max_per_organisation=1,
    min_score=10,
    objective="ranked",
)


def reasons(result):
    return {d.id: (d.reason, d.detail) for d in result.decisions}


def test_select_explains_every_proposal_and_the_changes_from_the_ranked_list() -> None:
    result = select(CALL, 130_000, RULES)
    assert result.status == "optimal"
    assert result.selected_ids() == {"A", "C", "E"}
    assert result.baseline.selected == ("A", "B", "C")
    assert result.baseline.cutoff_rank == 4
    assert "max_per_organisation:O1" in result.baseline.violations
    assert reasons(result) == {
        "A": ("funded", ""),
        "B": ("max_per_organisation", "O1"),
        "C": ("funded", ""),
        "D": ("envelope_exhausted", "30000.00"),
        "E": ("funded", ""),
        "F": ("below_min_score", "10"),
    }
    missing = {d.id: d.missing_amount for d in result.decisions}
    assert missing["D"] == pytest.approx(30_000)
    changes = {(c.id, c.change, c.forced_by, c.detail) for c in result.changes}
    assert changes == {
        ("B", "dropped", "max_per_organisation", "O1"),
        ("E", "added", "quota", "genre=animation:min"),
    }


def test_select_names_a_full_maximum_quota() -> None:
    rules = Rules(quotas=(Quota("genre", "documentary", max_count=1),), objective="merit")
    result = select(CALL, 1_000_000, rules)
    assert reasons(result)["C"] == ("quota", "genre=documentary:max_count")
    assert "B" in result.selected_ids()


def test_select_what_if_forced_in_and_out_and_a_larger_envelope() -> None:
    base = select(CALL, 130_000, RULES)
    forced = select(CALL, 130_000, RULES, forced_in={"D"}, forced_out={"A"})
    assert "D" in forced.selected_ids() and "A" not in forced.selected_ids()
    assert reasons(forced)["D"] == ("forced_in", "")
    assert reasons(forced)["A"] == ("forced_out", "")
    assert {(c.id, c.forced_by) for c in forced.changes} >= {
        ("A", "forced_out"),
        ("D", "forced_in"),
    }
    richer = select(CALL, 160_000, RULES)
    assert richer.selected_ids() == base.selected_ids() | {"D"}


def test_select_forced_in_overrides_the_minimum_score() -> None:
    result = select(CALL, 200_000, RULES, forced_in={"F"})
    assert reasons(result)["F"] == ("forced_in", "")


def test_select_reports_an_unmeetable_minimum_quota_as_infeasible_with_a_diagnosis() -> None:
    rules = Rules(quotas=(Quota("genre", "games", min_count=2),))
    result = select(CALL, 500_000, rules)
    assert result.status == "infeasible"
    assert [(d.code, d.rule, d.limit, d.achievable, d.shortfall) for d in result.diagnosis] == [
        ("quota_min_count", "genre=games", 2.0, 1.0, 1.0)
    ]
    assert {d.reason for d in result.decisions} == {"infeasible"}


def test_select_diagnoses_an_envelope_too_small_for_a_quota() -> None:
    rules = Rules(quotas=(Quota("territory", "flanders", min_amount=60_000),))
    result = select(CALL, 50_000, rules)
    assert result.status == "infeasible"
    assert {d.code for d in result.diagnosis} & {"budget", "quota_min_amount"}


def test_select_forced_in_and_out_at_once_is_infeasible() -> None:
    result = select(CALL, 100_000, RULES, forced_in={"A"}, forced_out={"A"})
    assert result.status == "infeasible"
    assert result.diagnosis[0].code == "forced_in_and_out"


def test_select_spends_co_funder_money_only_on_eligible_proposals() -> None:
    cofunder = CoFunder("Wallimage", 50_000, "partner", frozenset({"wallonia"}))
    rules = Rules(cofunders=(cofunder,), objective="merit")
    result = select(CALL, 100_000, rules)
    # only 50,000 of the fund's own money may go to proposals without a Walloon partner
    assert result.selected_ids() == {"B", "C", "E", "F"}
    assert reasons(result)["A"] == ("envelope_exhausted", "50000.00")
    assert reasons(result)["D"] == ("envelope_exhausted", "60000.00")


def test_select_partial_awards_stay_between_floor_and_request() -> None:
    rules = Rules(partial_awards=True, partial_floor=0.5, objective="merit")
    result = select(CALL, 120_000, rules)
    by_id = {p.id: p for p in CALL}
    for d in result.decisions:
        if d.selected:
            assert 0.5 * by_id[d.id].amount - 1e-6 <= d.amount <= by_id[d.id].amount + 1e-6
    assert result.total_amount <= 120_000 + 1e-6
    # with partial awards the envelope is used up
    assert result.total_amount == pytest.approx(120_000)


def test_select_merit_amount_prefers_large_projects() -> None:
    merit = select(CALL, 60_000, Rules(objective="merit"))
    by_amount = select(CALL, 60_000, Rules(objective="merit_amount"))
    assert merit.selected_ids() == {"C", "E", "F"}
    assert by_amount.selected_ids() == {"A", "F"}


def test_select_rejects_unknown_objective_and_duplicate_ids() -> None:
    with pytest.raises(SelectionError) as error:
        select(CALL, 1, Rules(objective="lottery"))
    assert error.value.code == "unknown_objective"
    with pytest.raises(SelectionError) as error:
        select([*CALL, CALL[0]], 1)
    assert error.value.code == "duplicate_id"


def test_ranked_keeps_a_forced_in_proposal_ranked_below_the_one_it_tests() -> None:
    # Hypothesis' minimal example: all marks tied, so the rank is the input order. Taking P0
    # fits the envelope only if the forced-in P4 (8,000) is dropped; the territory minimum
    # needs P5 and the genre maximum is filled by P4, so the only choice is {P4, P5}.
    proposals = [
        proposal("P0", 0, 1_000, "O1", "fiction", "wallonia"),
        proposal("P1", 0, 1_000, "O1", "documentary", "hdf"),
        proposal("P2", 0, 1_000, "O1", "fiction", "wallonia"),
        proposal("P3", 0, 1_000, "O1", "fiction", "hdf"),
        proposal("P4", 0, 8_000, "O1", "documentary", "wallonia"),
        proposal("P5", 0, 2_000, "O1", "fiction", "hdf"),
    ]
    rules = Rules(
        quotas=(
            Quota("genre", "documentary", max_count=1),
            Quota("territory", "hdf", min_count=1),
        ),
        objective="ranked",
    )
    result = select(proposals, 10_000, rules, forced_in={"P4"}, forced_out={"P3"})
    assert result.status == "optimal"
    assert result.selected_ids() == {"P4", "P5"}
    assert reasons(result)["P4"] == ("forced_in", "")
    assert reasons(result)["P3"] == ("forced_out", "")


@pytest.fixture
def worst_witness(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every MILP of the ranked procedure minimises its weights: the witnesses are feasible
    sets that fund as little as possible, so the cheap tests and the repair decide more."""
    original = selection._Model.solve

    def solve(self, cost, fixed, time_limit, gap=None, **options):  # type: ignore[no-untyped-def]
        return original(self, -cost, fixed, time_limit, gap, **options)

    monkeypatch.setattr(selection._Model, "solve", solve)


@pytest.mark.usefixtures("worst_witness")
def test_ranked_reserve_test_counts_two_quotas_on_one_group_once() -> None:
    # both minimums are met by the same documentary: P0 (2,000) still leaves room for one
    proposals = [
        proposal("P0", 3, 2_000, "O1", "fiction"),
        proposal("P1", 2, 1_000, "O2", "documentary"),
        proposal("P2", 1, 1_000, "O3", "documentary"),
    ]
    rules = Rules(
        quotas=(
            Quota("genre", "documentary", min_count=1),
            Quota("genre", "documentary", min_count=1),
        ),
        objective="ranked",
    )
    assert select(proposals, 3_000, rules).selected_ids() == {"P0", "P1"}


@pytest.mark.usefixtures("worst_witness")
def test_ranked_reserve_test_counts_the_growth_of_partial_awards() -> None:
    # the territory minimum is met by raising P0 to its full request, not by another proposal
    proposals = [
        proposal("P0", 2, 4_000, "O1", territory="hdf"),
        proposal("P1", 1, 2_000, "O2", territory="wallonia"),
    ]
    rules = Rules(
        quotas=(Quota("territory", "hdf", min_amount=4_000),),
        partial_awards=True,
        partial_floor=0.5,
        objective="ranked",
    )
    result = select(proposals, 5_000, rules)
    assert result.selected_ids() == {"P0", "P1"}
    assert {d.id: d.amount for d in result.decisions if d.selected} == pytest.approx(
        {"P0": 4_000, "P1": 1_000}
    )
