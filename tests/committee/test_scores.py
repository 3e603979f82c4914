"""The committee's scores: raw mean, calibrated score with its interval, spread."""

import pytest

from filiere.committee.selectors_scores import scores_of_call
from tests.committee.factories import expert, open_call, reviewed

pytestmark = pytest.mark.django_db


def test_a_strict_reviewer_is_corrected_and_each_figure_is_shown():
    call = open_call()
    strict, fair, kind = (expert(call.fund) for _ in range(3))
    # The strict expert marks 20 points under the others on every shared application.
    apps = [
        reviewed(call, [50 - 20, 50, 52], experts=[strict, fair, kind]),
        reviewed(call, [60 - 20, 60, 61], experts=[strict, fair, kind]),
        reviewed(call, [70, 71], experts=[fair, kind]),
    ]
    scores = scores_of_call(call)
    assert set(scores) == {a.pk for a in apps}
    first = scores[apps[0].pk]
    assert first.raw_mean == pytest.approx((30 + 50 + 52) / 3, abs=0.01)
    assert first.spread == 22
    assert first.reviews == 3
    assert first.low <= first.calibrated <= first.high
    # The third application was not read by the strict expert: its two readers are lenient
    # compared with the average reviewer, so calibration takes it below its raw mean.
    third = scores[apps[2].pk]
    assert third.raw_mean == 70.5
    assert third.calibrated < third.raw_mean - 3


def test_a_new_review_changes_the_scores_without_waiting_for_the_cache():
    call = open_call()
    first = reviewed(call, [40, 60])
    assert scores_of_call(call)[first.pk].raw_mean == 50
    second = reviewed(call, [80])
    scores = scores_of_call(call)
    assert second.pk in scores
