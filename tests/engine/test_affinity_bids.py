"""A bid moves a pair's affinity within [0, 1]; a conflict leaves the pair out."""

import pytest

from filiere.engine.affinity.bids import BID_SHIFT, Bid, adjusted_affinity


def test_no_bid_and_willing_leave_the_score():
    assert adjusted_affinity(0.4, None) == 0.4
    assert adjusted_affinity(0.4, "") == 0.4
    assert adjusted_affinity(0.4, Bid.WILLING) == 0.4


def test_eager_raises_and_not_willing_lowers():
    assert adjusted_affinity(0.4, Bid.EAGER) == pytest.approx(0.55)
    assert adjusted_affinity(0.4, "not_willing") == pytest.approx(0.15)


def test_clamped_to_the_unit_interval():
    assert adjusted_affinity(0.95, Bid.EAGER) == 1.0
    assert adjusted_affinity(0.1, Bid.NOT_WILLING) == 0.0


def test_conflict_excludes_the_pair():
    assert adjusted_affinity(0.9, Bid.CONFLICT) is None


def test_an_eager_expert_overtakes_an_unwilling_one_of_equal_text_affinity():
    assert adjusted_affinity(0.3, Bid.EAGER) > adjusted_affinity(0.3, Bid.NOT_WILLING)


def test_a_bid_does_not_beat_a_much_better_match():
    # Eager on a weak match stays below an unwilling expert who knows the field far better.
    assert adjusted_affinity(0.2, Bid.EAGER) < adjusted_affinity(0.7, Bid.NOT_WILLING)


def test_unknown_bid_is_refused():
    with pytest.raises(ValueError):
        adjusted_affinity(0.5, "maybe")


def test_not_willing_weighs_more_than_eager():
    assert -BID_SHIFT[Bid.NOT_WILLING] > BID_SHIFT[Bid.EAGER]
