"""Properties of the award rules on random input: exact sums, bounds, monotony."""

import math
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from filiere.engine.awards import (
    STEPS,
    Aid,
    AwardsError,
    SpendLine,
    SpendRule,
    cofunder_shares,
    de_minimis,
    regional_spend,
    tranche_amounts,
)

CENT = Decimal("0.01")
amounts = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) * CENT)
positive_amounts = st.integers(min_value=1, max_value=10**11).map(lambda c: Decimal(c) * CENT)
# Shares in hundredths of a percent, then fixed so that they sum to exactly 100.
share_lists = st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=8).map(
    lambda parts: _to_100(parts)
)
ratios = st.sampled_from([Decimal("0.5"), Decimal(1), Decimal("1.5"), Decimal("1.6"), Decimal(3)])


def _to_100(parts):
    """Scale integer weights to shares (2 decimals, each > 0) summing exactly to 100."""
    total = sum(parts)
    hundredths = [max(1, p * 10_000 // total) for p in parts]
    hundredths[-1] += 10_000 - sum(hundredths)
    if hundredths[-1] <= 0:
        return [Decimal(100)]
    return [Decimal(h) / 100 for h in hundredths]


@given(amounts, share_lists)
def test_tranches_sum_exactly_to_the_total_and_none_is_negative(total, shares):
    result = tranche_amounts(total, shares)
    assert sum(result) == total
    assert len(result) == len(shares)
    assert all(a >= 0 and a == a.quantize(CENT) for a in result)
    # Each tranche is within a cent per tranche of its exact share.
    for amount, share in zip(result, shares, strict=True):
        assert abs(amount - total * share / 100) <= CENT * len(shares)


@st.composite
def spend_cases(draw):
    award = draw(positive_amounts)
    final_cents = draw(st.integers(min_value=0, max_value=int(award * 100)))
    lines = draw(
        st.lists(st.tuples(amounts, st.booleans()), max_size=6).map(
            lambda rows: [SpendLine(a, e) for a, e in rows]
        )
    )
    rule = SpendRule(
        draw(ratios),
        reduction=draw(st.sampled_from(["proportional", "none"])),
        floor=draw(st.one_of(st.just(Decimal(0)), amounts)),
    )
    return award, Decimal(final_cents) * CENT, lines, rule


@given(spend_cases())
def test_the_reduction_is_never_negative_nor_above_the_final_tranche(case):
    award, final, lines, rule = case
    outcome = regional_spend(award, final, lines, rule)
    assert Decimal(0) <= outcome.award_reduction <= final
    assert outcome.final_tranche >= 0
    assert outcome.final_tranche + outcome.award_reduction == final
    assert outcome.award_reduction <= outcome.computed_reduction <= award
    assert outcome.met == (outcome.eligible_spend >= outcome.required)
    assert outcome.shortfall == max(Decimal(0), outcome.required - outcome.eligible_spend)
    assert outcome.eligible_spend == sum((line.amount for line in lines if line.eligible), 0)
    if outcome.met or rule.reduction == "none":
        assert outcome.award_reduction == 0


@given(spend_cases())
def test_the_reduction_is_the_documented_formula(case):
    award, final, lines, rule = case
    outcome = regional_spend(award, final, lines, rule)
    required = max(_ceil_cents(award * rule.required_ratio), rule.floor)
    assert outcome.required == required
    eligible = sum((line.amount for line in lines if line.eligible), Decimal(0))
    if eligible >= required or rule.reduction == "none":
        assert outcome.computed_reduction == 0
    else:
        exact = Fraction(award) * (1 - Fraction(eligible) / Fraction(required))
        assert outcome.computed_reduction == Decimal(math.floor(exact * 100)) / 100
        assert outcome.award_reduction == min(outcome.computed_reduction, final)
    # The steps are always a subsequence of the documented order.
    positions = [STEPS.index(step) for step in outcome.steps]
    assert positions == sorted(positions)


def _ceil_cents(value):
    return Decimal(math.ceil(Fraction(value) * 100)) / 100


@given(spend_cases(), amounts)
@settings(max_examples=200)
def test_more_eligible_spend_never_increases_the_reduction(case, extra):
    award, final, lines, rule = case
    before = regional_spend(award, final, lines, rule)
    after = regional_spend(award, final, [*lines, SpendLine(extra, True)], rule)
    assert after.computed_reduction <= before.computed_reduction
    assert after.award_reduction <= before.award_reduction
    assert after.final_tranche >= before.final_tranche
    assert after.ratio >= before.ratio


@given(spend_cases(), amounts)
def test_ineligible_spend_changes_nothing(case, extra):
    award, final, lines, rule = case
    before = regional_spend(award, final, lines, rule)
    after = regional_spend(award, final, [*lines, SpendLine(extra, False)], rule)
    assert after.award_reduction == before.award_reduction
    assert after.ratio == before.ratio


days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(
    st.lists(st.tuples(days, amounts, st.sampled_from(["a", "b"])), max_size=10),
    days,
    amounts,
    st.sampled_from([None, (1, 1), (4, 1), (7, 1)]),
)
def test_de_minimis_counts_only_the_company_inside_its_window(rows, on, proposed, fiscal):
    aids = [Aid(company, day, amount) for day, amount, company in rows]
    outcome = de_minimis("a", aids, on, proposed, fiscal_year_start=fiscal)
    expected = sum(
        (
            aid.amount
            for aid in aids
            if aid.company == "a" and outcome.window_start <= aid.granted_on <= on
        ),
        Decimal(0),
    )
    assert outcome.total_before == expected
    assert outcome.total_after == expected + proposed
    assert outcome.exceeded == (outcome.total_after > outcome.ceiling)
    assert outcome.headroom == max(Decimal(0), outcome.ceiling - expected)
    # The window is about three years: never more, and at least two years and a day.
    assert outcome.window_end == on
    assert on - timedelta(days=3 * 366) <= outcome.window_start <= on - timedelta(days=2 * 365)


@given(
    amounts,
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=2_500), amounts), max_size=4
    ),  # shares in hundredths of a percent (at most 25 % each: the sum stays under 100)
)
def test_cofunder_parts_sum_to_the_award_within_envelopes(award, rows):
    cofunders = [
        (f"c{i}", Decimal(share) / 100, envelope) for i, (share, envelope) in enumerate(rows)
    ]
    parts = cofunder_shares(award, cofunders)
    assert sum(parts.values()) == award
    assert parts[""] >= 0
    for name, share, envelope in cofunders:
        assert 0 <= parts[name] <= envelope
        assert parts[name] <= award * share / 100


any_decimals = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**40), max_value=10**40, places=3),
    st.integers(min_value=-(10**20), max_value=10**20).map(Decimal),
)


@given(any_decimals, st.lists(any_decimals, max_size=4), any_decimals, any_decimals)
def test_any_decimal_input_gives_a_result_or_a_code(total, shares, ratio, floor):
    """Whatever numbers come in, the rules answer or refuse with a code: never a crash."""
    for call in (
        lambda: tranche_amounts(total, shares),
        lambda: regional_spend(
            total, floor, [SpendLine(floor, True)], SpendRule(ratio, floor=floor)
        ),
        lambda: cofunder_shares(total, [(f"c{i}", s, floor) for i, s in enumerate(shares)]),
        lambda: de_minimis("a", [Aid("a", date(2025, 1, 1), floor)], date(2026, 1, 1), total),
    ):
        try:
            call()
        except AwardsError as error:
            assert error.code
