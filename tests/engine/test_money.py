"""Money: exact cents, parsing what people type, percentages and ceilings."""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from filiere.engine.money import (
    MAX_CENTS,
    Money,
    MoneyError,
    ceiling_from_percent,
    is_within_ceiling,
    money_sum,
    params_to_json,
    parse_amount,
    percentage,
    share_percent,
)


@pytest.mark.parametrize(
    ("typed", "euros"),
    [
        ("1 400 000", "1400000.00"),
        ("1.400.000,50", "1400000.50"),
        ("1,400,000.50", "1400000.50"),
        ("35000 €", "35000.00"),
        ("€35,000", "35000.00"),
        ("35 000,5 EUR", "35000.50"),
        ("35 000 euros", "35000.00"),
        ("1\u202f400\u00a0000,00\u00a0€", "1400000.00"),
        ("1'400'000", "1400000.00"),
        ("1.400", "1400.00"),
        ("1,400", "1400.00"),
        ("1,4", "1.40"),
        ("0,05", "0.05"),
        ("  150000  ", "150000.00"),
        ("+12", "12.00"),
        ("0", "0.00"),
    ],
)
def test_parse_amount_accepts_french_belgian_and_english_habits(typed: str, euros: str) -> None:
    assert parse_amount(typed).to_decimal() == Decimal(euros)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "money.empty"),
        ("   ", "money.empty"),
        ("abc", "money.invalid"),
        ("1e5", "money.invalid"),
        ("14 00", "money.invalid"),
        ("12.34.56", "money.invalid"),
        ("1.400,000.00", "money.invalid"),
        ("1,", "money.invalid"),
        ("€", "money.invalid"),
        ("12,345,67", "money.invalid"),
        ("0.125", "money.too_many_decimals"),
        ("10,1234", "money.too_many_decimals"),
        ("1.234,567", "money.too_many_decimals"),
        ("-5", "money.negative"),
        ("- 35 000 €", "money.negative"),
        ("9" * 20, "money.too_large"),
        ("1" * 70, "money.invalid"),
    ],
)
def test_parse_amount_rejects_bad_input_with_a_code(typed: str, code: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount(typed)
    assert caught.value.code == code


def test_parse_amount_error_carries_what_was_typed() -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount("12 fr")
    assert caught.value.params == {"value": "12 fr"}


def test_parse_amount_negative_when_allowed() -> None:
    assert parse_amount("-1 250,50 €", allow_negative=True) == Money(-125_050)


def test_too_large_reports_the_maximum() -> None:
    with pytest.raises(MoneyError) as caught:
        parse_amount("1 000 000 000 000")
    assert caught.value.params["maximum"] == Decimal("999999999999.99")


def _french(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", "\u202f") + f",{rest:02d} €"


def _belgian(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"{euros:,}".replace(",", ".") + f",{rest:02d}"


def _english(cents: int) -> str:
    euros, rest = divmod(cents, 100)
    return f"€{euros:,}.{rest:02d}"


@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_parse_amount_round_trips_every_locale_rendering(cents: int) -> None:
    for render in (_french, _belgian, _english, str):
        text = render(cents) if render is not str else str(Money(cents))
        assert parse_amount(text) == Money(cents), text


@given(st.integers(min_value=0, max_value=10**9))
def test_whole_euros_without_separators(euros: int) -> None:
    assert parse_amount(f"{euros} €") == Money.euros(euros)


@given(st.lists(st.integers(min_value=-(10**12), max_value=10**12), max_size=50))
def test_money_sum_is_exact(cents: list[int]) -> None:
    assert money_sum(Money(c) for c in cents) == Money(sum(cents))
    decimal_total = sum((Money(c).to_decimal() for c in cents), Decimal(0))
    assert money_sum(Money(c) for c in cents).to_decimal() == decimal_total


def test_money_sum_of_nothing_is_zero() -> None:
    assert money_sum([]) == Money.zero()


def test_money_arithmetic_and_order() -> None:
    assert Money.euros(10) + Money.euros("0.50") == Money(1050)
    assert Money.euros(10) - Money.euros(11) == Money(-100)
    assert Money(5) < Money(6)
    assert str(Money.euros(150000)) == "150000.00"
    assert not Money.zero()


def test_money_refuses_sub_cents_and_floats() -> None:
    with pytest.raises(MoneyError) as caught:
        Money.from_decimal(Decimal("1.005"))
    assert caught.value.code == "money.too_many_decimals"
    with pytest.raises(TypeError):
        Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Money(True)


def test_from_decimal_round_trips_a_decimal_field_value() -> None:
    assert Money.from_decimal(Decimal("1400000.50")).to_decimal() == Decimal("1400000.50")


def test_percentage_rounds_half_to_even_by_default() -> None:
    assert percentage(Money(1), 50) == Money(0)  # 0.5 cent → 0
    assert percentage(Money(3), 50) == Money(2)  # 1.5 cent → 2
    assert percentage(Money(5), 50) == Money(2)  # 2.5 cent → 2
    assert percentage(Money(-3), 50) == Money(-2)


def test_percentage_floor_and_ceiling() -> None:
    assert percentage(Money(333), Decimal("33.3"), rounding=ROUND_FLOOR) == Money(110)
    assert percentage(Money(333), Decimal("33.3"), rounding=ROUND_CEILING) == Money(111)


@given(
    st.integers(min_value=0, max_value=10**14),
    st.decimals(min_value=0, max_value=1000, places=2),
)
def test_ceiling_from_percent_never_exceeds_the_exact_share(cents: int, pct: Decimal) -> None:
    ceiling = ceiling_from_percent(Money(cents), pct)
    assert Decimal(ceiling.cents) * 100 <= Decimal(cents) * pct
    assert Decimal(ceiling.cents + 1) * 100 > Decimal(cents) * pct


def test_half_of_a_300_000_budget_is_150_000() -> None:
    assert ceiling_from_percent(Money.euros(300_000), 50) == Money.euros(150_000)


def test_is_within_ceiling() -> None:
    assert is_within_ceiling(Money.euros(150_000), Money.euros(150_000))
    assert not is_within_ceiling(Money.euros("150000.01"), Money.euros(150_000))
    assert is_within_ceiling(Money.euros(10**9), None)


def test_share_percent_floor_never_shows_a_shortfall_as_met() -> None:
    assert share_percent(Money(39_996), Money(100_000)) == Decimal("40.00")
    assert share_percent(Money(39_996), Money(100_000), rounding=ROUND_FLOOR) == Decimal("39.99")
    assert share_percent(Money(1), Money.zero()) == Decimal("0.00")


def test_params_to_json() -> None:
    assert params_to_json({"ceiling": Decimal("150000.00"), "missing": ("cv", "synopsis")}) == {
        "ceiling": "150000.00",
        "missing": ["cv", "synopsis"],
    }
