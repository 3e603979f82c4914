"""Calibration: exact recovery on noiseless data, shrinkage, intervals, simulation gain."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.engine.calibration import (
    CalibrationError,
    CalibrationOptions,
    Review,
    calibrate,
    compare_on_simulation,
    kendall_tau,
    simulate,
    weighted_total,
)


@st.composite
def noiseless_calls(draw: st.DrawFn) -> tuple[list[Review], dict[str, float], dict[str, float]]:
    n_r = draw(st.integers(2, 6))
    n_p = draw(st.integers(n_r, 14))
    biases = draw(st.lists(st.integers(-6, 6), min_size=n_r, max_size=n_r))
    mean_bias = sum(biases) / n_r
    bias = {f"E{r}": b - mean_bias for r, b in enumerate(biases)}
    quality = {f"P{p}": float(draw(st.integers(0, 20))) for p in range(n_p)}
    reviews = []
    for p in range(n_p):
        # a chain (p, p+1) keeps every reviewer comparable; extra reviewers at random
        chosen = {p % n_r, (p + 1) % n_r}
        chosen |= set(draw(st.lists(st.integers(0, n_r - 1), max_size=2)))
        for r in sorted(chosen):
            score = quality[f"P{p}"] + bias[f"E{r}"]
            reviews.append(Review(f"P{p}", f"E{r}", score))
    return reviews, quality, bias


@settings(max_examples=40, deadline=None)
@given(noiseless_calls())
def test_calibration_recovers_known_biases_exactly_on_noiseless_data(case) -> None:
    reviews, quality, bias = case
    result = calibrate(reviews)
    for reviewer in result.reviewers:
        assert reviewer.bias == pytest.approx(bias[reviewer.expert_id], abs=1e-7)
    for proposal in result.proposals:
        assert proposal.score == pytest.approx(quality[proposal.proposal_id], abs=1e-7)
    assert result.shrinkage == 0.0


def test_calibrated_ranking_beats_raw_mean_on_every_seed_of_a_biased_simulation() -> None:
    report = compare_on_simulation(range(6), n_proposals=200, n_reviewers=40)
    for raw, calibrated in zip(report.tau_raw, report.tau_calibrated, strict=True):
        assert calibrated > raw
    summary = report.summary()
    assert summary["gain_mean"] > 0.03
    assert 0.8 <= summary["interval_coverage_mean"] <= 0.97


def test_calibration_shrinks_a_reviewer_with_few_reviews_more() -> None:
    # E0 and E1 both score 2 points above E2/E3; E0 reviewed 8 proposals, E1 only one.
    reviews = []
    for p in range(8):
        reviews += [Review(f"P{p}", "E0", 12.0), Review(f"P{p}", "E2", 10.0)]
        reviews += [Review(f"P{p}", "E3", 10.0 + (0.5 if p % 2 else -0.5))]
    reviews.append(Review("P0", "E1", 12.0))
    result = calibrate(reviews, CalibrationOptions(shrinkage=2.0))
    by_id = {b.expert_id: b for b in result.reviewers}
    assert by_id["E0"].n_reviews == 8 and by_id["E1"].n_reviews == 1
    kept_many = by_id["E0"].bias / by_id["E0"].raw_deviation
    kept_few = by_id["E1"].bias / by_id["E1"].raw_deviation
    assert 0 < kept_few < kept_many <= 1


def test_calibration_interval_contains_the_estimate_and_narrows_with_more_reviews() -> None:
    sim = simulate(3, n_proposals=60, n_reviewers=12, reviews_per_proposal=3)
    extra = simulate(3, n_proposals=60, n_reviewers=12, reviews_per_proposal=6)
    narrow = {q.proposal_id: q.high - q.low for q in calibrate(extra.reviews).proposals}
    wide = {q.proposal_id: q.high - q.low for q in calibrate(sim.reviews).proposals}
    for quality in calibrate(sim.reviews).proposals:
        assert quality.low < quality.score < quality.high
    assert sum(narrow.values()) < sum(wide.values())


def test_calibration_centres_biases_in_each_disconnected_group() -> None:
    reviews = [
        Review("P1", "A", 14.0),
        Review("P1", "B", 10.0),
        Review("P2", "A", 12.0),
        Review("P2", "B", 8.0),
        Review("P3", "C", 5.0),
        Review("P3", "D", 7.0),
        Review("P4", "C", 9.0),
        Review("P4", "D", 11.0),
    ]
    result = calibrate(reviews)
    assert result.groups == 2
    bias = {b.expert_id: b.bias for b in result.reviewers}
    assert bias["A"] == pytest.approx(2.0) and bias["B"] == pytest.approx(-2.0)
    assert bias["C"] == pytest.approx(-1.0) and bias["D"] == pytest.approx(1.0)
    assert result.scores()["P1"] == pytest.approx(12.0)


def test_calibration_keeps_raw_means_without_replication() -> None:
    reviews = [Review("P1", "A", 14.0), Review("P2", "B", 8.0), Review("P3", "A", 10.0)]
    result = calibrate(reviews)
    assert result.notes == ("no_residual_degrees_of_freedom",)
    assert result.scores() == pytest.approx({"P1": 14.0, "P2": 8.0, "P3": 10.0}, abs=1e-6)
    assert all(math.isfinite(q.low) and q.low < q.high for q in result.proposals)


def test_calibration_rejects_duplicate_reviews() -> None:
    with pytest.raises(CalibrationError) as error:
        calibrate([Review("P1", "A", 1.0), Review("P1", "A", 2.0)])
    assert error.value.code == "duplicate_review"


def test_weighted_total_is_the_weighted_mean_of_criteria() -> None:
    scores = {"artistic": 16.0, "feasibility": 10.0, "regional": 13.0}
    weights = {"artistic": 3.0, "feasibility": 2.0, "regional": 1.0}
    assert weighted_total(scores, weights) == pytest.approx((48 + 20 + 13) / 6)
    with pytest.raises(CalibrationError):
        weighted_total({"artistic": 1.0}, weights)


def test_kendall_tau_is_one_for_the_same_order() -> None:
    assert kendall_tau({"a": 1, "b": 2, "c": 3}, {"a": 10, "b": 20, "c": 30}) == 1.0
