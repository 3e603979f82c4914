"""The follow-up rules of an award: tranches, regional spend, de minimis, co-funders."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from filiere.engine.awards import (
    Aid,
    AwardsError,
    SpendLine,
    SpendRule,
    cofunder_shares,
    de_minimis,
    regional_spend,
    tranche_amounts,
)

D = Decimal
RULE_150 = SpendRule(required_ratio=D("1.5"))


def _codes(call):
    with pytest.raises(AwardsError) as caught:
        call()
    return caught.value.code, caught.value.params


# --- Tranches -------------------------------------------------------------------------------------


def test_tranches_follow_the_shares_of_the_issue_example():
    assert tranche_amounts(D("100000"), [D(50), D(30), D(20)]) == [
        D("50000.00"),
        D("30000.00"),
        D("20000.00"),
    ]


def test_the_last_tranche_takes_the_rounding():
    amounts = tranche_amounts(D("100000.01"), [D(50), D(30), D(20)])
    assert amounts == [D("50000.00"), D("30000.00"), D("20000.01")]
    thirds = tranche_amounts(D("100"), [D("33.33"), D("33.33"), D("33.34")])
    assert thirds == [D("33.33"), D("33.33"), D("33.34")]
    assert sum(tranche_amounts(D("0.05"), [D("16.7")] * 5 + [D("16.5")])) == D("0.05")


def test_amounts_come_back_with_two_decimals():
    assert [str(a) for a in tranche_amounts(D(10), [D(100)])] == ["10.00"]


@pytest.mark.parametrize(
    ("shares", "code"),
    [
        ([], "shares_empty"),
        ([D(50), D(40)], "shares_not_100"),
        ([D(60), D(50)], "shares_not_100"),
        ([D(100), D(0)], "share_not_positive"),
        ([D(110), D(-10)], "share_not_positive"),
        ([D("NaN")], "number_invalid"),
        ([0.5], "number_invalid"),
    ],
)
def test_bad_shares_are_refused_with_a_code(shares, code):
    assert _codes(lambda: tranche_amounts(D(1000), shares))[0] == code


def test_absurd_shares_are_refused_without_crashing():
    code, params = _codes(lambda: tranche_amounts(D(1000), [D("1e40"), D(1)]))
    assert code == "shares_not_100"
    assert params["total"] > 100


def test_shares_not_100_says_the_total():
    assert _codes(lambda: tranche_amounts(D(1000), [D(50), D("40.5")])) == (
        "shares_not_100",
        {"total": D("90.5")},
    )


@pytest.mark.parametrize(
    ("total", "code"),
    [
        (D("-1"), "amount_negative"),
        (D("10.001"), "amount_too_many_decimals"),
        (D("Infinity"), "amount_invalid"),
        (1000.0, "amount_invalid"),
        (D("1e15"), "amount_too_large"),
    ],
)
def test_bad_totals_name_the_field(total, code):
    got, params = _codes(lambda: tranche_amounts(total, [D(100)]))
    assert got == code
    assert params["field"] == "total"


# --- Regional spend -------------------------------------------------------------------------------


def test_met_when_eligible_spend_reaches_the_requirement():
    lines = [SpendLine(D(100000), True, "crew"), SpendLine(D(50000), True, "post")]
    outcome = regional_spend(D(100000), D(20000), lines, RULE_150)
    assert outcome.met
    assert outcome.required == D("150000.00")
    assert outcome.ratio == D("1.5000")
    assert outcome.shortfall == D("0.00")
    assert outcome.award_reduction == D("0.00")
    assert outcome.final_tranche == D("20000.00")
    assert outcome.steps == ("eligible_spend_summed", "required_from_ratio", "requirement_met")


def test_the_documented_worked_example():
    lines = [
        SpendLine(D(100000), True, "crew"),
        SpendLine(D(35000), True, "studio"),
        SpendLine(D(12000), False, "crew"),
    ]
    outcome = regional_spend(D(100000), D(20000), lines, RULE_150)
    assert not outcome.met
    assert outcome.eligible_spend == D("135000.00")
    assert outcome.declared_spend == D("147000.00")
    assert outcome.ratio == D("1.3500")
    assert outcome.shortfall == D("15000.00")
    # 100 000 x (1 - 1.35 / 1.5) = 10 000
    assert outcome.award_reduction == D("10000.00")
    assert outcome.computed_reduction == D("10000.00")
    assert outcome.final_tranche == D("10000.00")
    assert outcome.final_tranche_before == D("20000.00")
    assert outcome.award_after == D("90000.00")
    assert outcome.eligible_by_category == (("crew", D("100000.00")), ("studio", D("35000.00")))
    assert outcome.steps == (
        "eligible_spend_summed",
        "required_from_ratio",
        "requirement_missed",
        "award_reduced_proportionally",
        "final_tranche_reduced",
    )


def test_the_reduction_never_reclaims_what_was_already_paid():
    outcome = regional_spend(D(100000), D(20000), [SpendLine(D(90000), True)], RULE_150)
    assert outcome.computed_reduction == D("40000.00")
    assert outcome.award_reduction == D("20000.00")
    assert outcome.final_tranche == D("0.00")
    assert "reduction_capped_at_final_tranche" in outcome.steps


def test_no_spend_at_all_loses_the_whole_final_tranche():
    outcome = regional_spend(D(50000), D(10000), [], SpendRule(D(1)))
    assert outcome.eligible_spend == D("0.00")
    assert outcome.ratio == D("0.0000")
    assert outcome.computed_reduction == D("50000.00")
    assert outcome.final_tranche == D("0.00")


def test_the_100_percent_rule():
    outcome = regional_spend(D(80000), D(16000), [SpendLine(D(60000), True)], SpendRule(D(1)))
    assert outcome.required == D("80000.00")
    assert outcome.shortfall == D("20000.00")
    assert outcome.award_reduction == D("16000.00")  # 80 000 x 20 000 / 80 000 capped
    outcome = regional_spend(D(80000), D(40000), [SpendLine(D(60000), True)], SpendRule(D(1)))
    assert outcome.award_reduction == D("20000.00")
    assert outcome.final_tranche == D("20000.00")


def test_the_requirement_is_rounded_up_and_the_reduction_down():
    outcome = regional_spend(D("100.01"), D("100.01"), [], SpendRule(D("1.5")))
    assert outcome.required == D("150.02")  # 150.015 is never lowered to 150.01
    outcome = regional_spend(D(100), D(100), [SpendLine(D("0.01"), True)], SpendRule(D(3)))
    # 100 x 299.99 / 300 = 99.99666... -> 99.99
    assert outcome.award_reduction == D("99.99")


def test_the_ratio_is_rounded_down_so_it_never_shows_met_early():
    outcome = regional_spend(D(3), D(1), [SpendLine(D("4.49"), True)], RULE_150)
    assert outcome.ratio == D("1.4966")
    assert not outcome.met


def test_the_none_rule_records_the_shortfall_without_reducing():
    rule = SpendRule(D("1.5"), reduction="none")
    outcome = regional_spend(D(100000), D(20000), [SpendLine(D(90000), True)], rule)
    assert not outcome.met
    assert outcome.shortfall == D("60000.00")
    assert outcome.award_reduction == D("0.00")
    assert outcome.final_tranche == D("20000.00")
    assert outcome.steps[-1] == "no_reduction_rule"


def test_a_floor_above_the_ratio_is_the_requirement():
    rule = SpendRule(D(1), floor=D(250000))
    outcome = regional_spend(D(100000), D(30000), [SpendLine(D(200000), True)], rule)
    assert outcome.required == D("250000.00")
    assert "required_from_floor" in outcome.steps
    assert outcome.award_reduction == D("20000.00")  # 100 000 x 50 000 / 250 000


def test_a_zero_final_tranche_is_never_negative():
    outcome = regional_spend(D(100000), D(0), [], RULE_150)
    assert outcome.final_tranche == D("0.00")
    assert outcome.award_reduction == D("0.00")
    assert "final_tranche_reduced" not in outcome.steps


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: regional_spend(D(0), D(0), [], RULE_150), "award_not_positive"),
        (lambda: regional_spend(D(10), D(11), [], RULE_150), "final_tranche_above_award"),
        (lambda: regional_spend(D(10), D(1), [], SpendRule(D(0))), "required_ratio_not_positive"),
        (lambda: regional_spend(D(10), D(1), [], SpendRule(D(1), "half")), "unknown_reduction"),
        (
            lambda: regional_spend(D(10), D(1), [], SpendRule(D("1e30"))),
            "required_ratio_too_large",
        ),
        (
            lambda: regional_spend(D(10), D(1), [SpendLine(D(-5), True)], RULE_150),
            "amount_negative",
        ),
    ],
)
def test_bad_spend_input_is_refused_with_a_code(call, code):
    assert _codes(call)[0] == code


def test_a_bad_line_says_its_position():
    lines = [SpendLine(D(5), True), SpendLine(D("5.555"), True)]
    code, params = _codes(lambda: regional_spend(D(10), D(1), lines, RULE_150))
    assert code == "amount_too_many_decimals"
    assert params == {"field": "line", "value": "5.555", "position": 2}


# --- De minimis -----------------------------------------------------------------------------------


def _aid(day, amount, company="acme", source=""):
    return Aid(company, day, D(amount), source)


def test_the_rolling_window_of_three_years_ends_on_the_new_aid():
    aids = [
        _aid(date(2023, 3, 15), 100000, source="too old"),
        _aid(date(2023, 3, 16), 150000, source="first day in"),
        _aid(date(2026, 3, 15), 20000, source="same day"),
        _aid(date(2026, 3, 16), 99999, source="later"),
        _aid(date(2025, 1, 1), 99999, company="other"),
    ]
    outcome = de_minimis("acme", aids, date(2026, 3, 15), D(60000))
    assert (outcome.window_start, outcome.window_end) == (date(2023, 3, 16), date(2026, 3, 15))
    assert [a.source for a in outcome.counted] == ["first day in", "same day"]
    assert outcome.total_before == D("170000.00")
    assert outcome.total_after == D("230000.00")
    assert outcome.ceiling == D("300000.00")
    assert outcome.headroom == D("130000.00")
    assert not outcome.exceeded


def test_exceeded_only_above_the_ceiling():
    aids = [_aid(date(2025, 6, 1), 250000)]
    assert not de_minimis("acme", aids, date(2026, 1, 1), D(50000)).exceeded
    over = de_minimis("acme", aids, date(2026, 1, 1), D("50000.01"))
    assert over.exceeded
    assert over.headroom == D("50000.00")


def test_the_headroom_is_never_negative():
    aids = [_aid(date(2025, 6, 1), 350000)]
    outcome = de_minimis("acme", aids, date(2026, 1, 1), D(0))
    assert outcome.exceeded
    assert outcome.headroom == D("0.00")


def test_the_ceiling_is_a_parameter():
    outcome = de_minimis("acme", [], date(2026, 1, 1), D(250000), ceiling=D(200000))
    assert outcome.exceeded
    assert outcome.ceiling == D("200000.00")


def test_three_fiscal_years_when_asked():
    aids = [_aid(date(2023, 12, 31), 10), _aid(date(2024, 1, 1), 20), _aid(date(2026, 12, 3), 40)]
    outcome = de_minimis("acme", aids, date(2026, 12, 3), D(0), fiscal_year_start=(1, 1))
    assert (outcome.window_start, outcome.window_end) == (date(2024, 1, 1), date(2026, 12, 3))
    assert outcome.total_before == D("60.00")


def test_a_fiscal_year_starting_in_april():
    before_april = de_minimis("acme", [], date(2026, 3, 31), D(0), fiscal_year_start=(4, 1))
    assert before_april.window_start == date(2023, 4, 1)
    from_april = de_minimis("acme", [], date(2026, 4, 1), D(0), fiscal_year_start=(4, 1))
    assert from_april.window_start == date(2024, 4, 1)


def test_29_february_three_years_back():
    outcome = de_minimis("acme", [], date(2028, 2, 29), D(0))
    assert outcome.window_start == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"company": " "}, "company_empty"),
        ({"proposed": D(-1)}, "amount_negative"),
        ({"fiscal_year_start": (13, 1)}, "fiscal_year_start_invalid"),
        ({"fiscal_year_start": (2, 29)}, "fiscal_year_start_invalid"),
        ({"aids": [_aid(date(2025, 1, 1), "1.001")]}, "amount_too_many_decimals"),
        ({"on": datetime(2026, 1, 1, 12, 0)}, "date_invalid"),
        ({"aids": [Aid("acme", "2025-01-01", D(1))]}, "date_invalid"),
    ],
)
def test_bad_de_minimis_input(kwargs, code):
    arguments = {"company": "acme", "aids": [], "on": date(2026, 1, 1), "proposed": D(1)}
    arguments.update(kwargs)
    assert _codes(lambda: de_minimis(**arguments))[0] == code


# --- Co-funders -----------------------------------------------------------------------------------


def test_cofunders_pay_their_share_within_their_envelope():
    parts = cofunder_shares(
        D(40000), [("Lille Métropole", D(25), D(20000)), ("Wallimage", D(30), D(5000))]
    )
    assert parts == {"Lille Métropole": D("10000.00"), "Wallimage": D("5000.00"), "": D("25000.00")}
    assert list(parts) == ["Lille Métropole", "Wallimage", ""]


def test_the_fund_keeps_the_rounding():
    parts = cofunder_shares(D("100.01"), [("A", D(50), D(1000)), ("B", D(50), D(1000))])
    assert parts == {"A": D("50.00"), "B": D("50.00"), "": D("0.01")}


def test_no_cofunder_leaves_everything_to_the_fund():
    assert cofunder_shares(D(1234), []) == {"": D("1234.00")}


@pytest.mark.parametrize(
    ("cofunders", "code"),
    [
        ([("", D(10), D(10))], "cofunder_name_empty"),
        ([("A", D(10), D(10)), ("A", D(5), D(10))], "cofunder_duplicate"),
        ([("A", D(-1), D(10))], "share_negative"),
        ([("A", D(60), D(10)), ("B", D("40.01"), D(10))], "cofunder_shares_over_100"),
        ([("A", D(10), D(-10))], "amount_negative"),
    ],
)
def test_bad_cofunders_are_refused(cofunders, code):
    assert _codes(lambda: cofunder_shares(D(1000), cofunders))[0] == code
