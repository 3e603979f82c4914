"""A review's weighted total and what it lacks: n/a leaves the mean, out-of-scale is missing."""

from filiere.engine.review_score import NOT_APPLICABLE, Scale, missing_scores, weighted_total

CRITERIA = {"artistic": 25, "feasibility": 20, "impact": 15}
SCALE = Scale(maximum=5)


def test_full_marks_make_100_and_zero_makes_0():
    assert weighted_total(dict.fromkeys(CRITERIA, 5), CRITERIA, SCALE) == 100.0
    assert weighted_total(dict.fromkeys(CRITERIA, 0), CRITERIA, SCALE) == 0.0


def test_weights_count():
    scores = {"artistic": 5, "feasibility": 0, "impact": 0}
    assert weighted_total(scores, CRITERIA, SCALE) == round(100 * 25 / 60, 1)


def test_not_applicable_leaves_the_mean_instead_of_counting_zero():
    scores = {"artistic": 4, "feasibility": NOT_APPLICABLE, "impact": 4}
    assert weighted_total(scores, CRITERIA, SCALE) == 80.0


def test_nothing_scored_has_no_total():
    assert weighted_total({}, CRITERIA, SCALE) is None
    assert weighted_total(dict.fromkeys(CRITERIA, NOT_APPLICABLE), CRITERIA, SCALE) is None


def test_missing_lists_unscored_and_out_of_scale_in_order():
    scores = {"artistic": 6, "impact": 3}
    assert missing_scores(scores, CRITERIA, SCALE) == ("artistic", "feasibility")


def test_not_applicable_is_missing_when_the_call_forbids_it():
    strict = Scale(maximum=5, allow_na=False)
    scores = {"artistic": 1, "feasibility": NOT_APPLICABLE, "impact": 2}
    assert missing_scores(scores, CRITERIA, strict) == ("feasibility",)
    assert missing_scores(scores, CRITERIA, SCALE) == ()


def test_booleans_are_not_scores():
    assert not SCALE.accepts(True)
    assert SCALE.accepts(0) and SCALE.accepts(5) and not SCALE.accepts(-1)
