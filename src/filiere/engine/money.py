"""Money as whole euro cents: a small exact value type, user-input parsing and percentages.

Why integer cents rather than ``Decimal``: a ``Money`` cannot hold a fraction of a cent, so a sum
of budget lines is exact by construction and two amounts compare equal only when they are the
same number of cents (``Decimal("1.0") == Decimal("1.00")`` hides scale differences, and
``Decimal("1") / 3`` silently creates sub-cent values). The distinct type also lets mypy tell an
amount from a percentage or a count. The platform stores ``DecimalField(decimal_places=2)``:
convert at the selector with :meth:`Money.from_decimal` and back with :meth:`Money.to_decimal`.

Formatting for people is not done here: the web edge formats :meth:`Money.to_decimal` per locale.
Failures are :class:`MoneyError` with a code and parameters, translated at the edge.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

__all__ = [
    "MAX_CENTS",
    "Money",
    "MoneyError",
    "ParamValue",
    "Params",
    "ceiling_from_percent",
    "is_within_ceiling",
    "money_sum",
    "params_to_json",
    "parse_amount",
    "percent_of",
    "percentage",
    "share_percent",
]

#: Largest amount accepted anywhere: 999 999 999 999.99 € (fits a 64-bit integer and the
#: platform's ``DecimalField(max_digits=12)`` is smaller still, so the edge validates further).
MAX_CENTS: Final = 99_999_999_999_999

CENT: Final = Decimal("0.01")
HUNDRED: Final = Decimal(100)

#: What a code's parameters may hold: amounts and percentages as ``Decimal`` (2 places),
#: datetimes, counts, flags, codes and sorted tuples of codes.
ParamValue = str | int | bool | Decimal | datetime | tuple[str, ...] | None
Params = Mapping[str, ParamValue]


@dataclass(frozen=True)
class MoneyError(ValueError):
    """A bad amount: ``code`` (``money.*``) and ``params`` for the translated message."""

    code: str
    params: dict[str, ParamValue] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.code} {self.params}"


@dataclass(frozen=True, order=True, slots=True)
class Money:
    """An amount in euro cents. ``Money(150_000_00)`` is 150 000.00 €."""

    cents: int

    def __post_init__(self) -> None:
        if isinstance(self.cents, bool) or not isinstance(self.cents, int):
            raise TypeError("Money holds an integer number of cents")

    @classmethod
    def zero(cls) -> Money:
        return cls(0)

    @classmethod
    def euros(cls, value: int | str | Decimal) -> Money:
        """Exact euros: ``Money.euros(150000)``, ``Money.euros("1400.50")``; sub-cents refused."""
        if isinstance(value, bool):
            raise TypeError("a boolean is not an amount")
        if isinstance(value, int):
            return cls(value * 100)
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise MoneyError("money.invalid", {"value": str(value)}) from None
        return cls.from_decimal(number)

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        """From a ``DecimalField`` value in euros; more than two decimal places is an error."""
        if not value.is_finite():
            raise MoneyError("money.invalid", {"value": str(value)})
        cents = value * 100
        if cents != cents.to_integral_value():
            raise MoneyError("money.too_many_decimals", {"value": str(value)})
        return cls(int(cents))

    def to_decimal(self) -> Decimal:
        """Euros with exactly two decimal places (``Decimal("150000.00")``)."""
        return (Decimal(self.cents) / 100).quantize(CENT)

    def __str__(self) -> str:
        """Canonical machine form, ``"150000.00"`` (JSON, logs); never shown to people."""
        return str(self.to_decimal())

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents + other.cents)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        return Money(self.cents - other.cents)

    def __neg__(self) -> Money:
        return Money(-self.cents)

    def __abs__(self) -> Money:
        return Money(abs(self.cents))

    def __bool__(self) -> bool:
        return self.cents != 0

    @property
    def is_negative(self) -> bool:
        return self.cents < 0


def money_sum(amounts: Iterable[Money]) -> Money:
    """Exact sum; ``Money(0)`` for nothing."""
    return Money(sum(amount.cents for amount in amounts))


def _as_fraction(percent: Decimal | int) -> Fraction:
    if isinstance(percent, bool):
        raise TypeError("a boolean is not a percentage")
    return Fraction(percent)


def _round_fraction(value: Fraction, rounding: str) -> int:
    """Round an exact number of cents to whole cents (floor, ceiling or half to even)."""
    quotient, remainder = divmod(value.numerator, value.denominator)  # remainder >= 0
    if remainder == 0 or rounding == ROUND_FLOOR:
        return quotient
    if rounding == ROUND_CEILING:
        return quotient + 1
    twice = 2 * remainder
    if twice < value.denominator:
        return quotient
    if twice > value.denominator:
        return quotient + 1
    return quotient + (quotient % 2)  # exact tie: to the even cent


def percentage(amount: Money, percent: Decimal | int, *, rounding: str = ROUND_HALF_EVEN) -> Money:
    """``percent`` % of ``amount``, rounded to the cent (half to even unless told otherwise).

    Computed on exact fractions, so ``percentage(Money(1), Decimal("50"))`` is a tie resolved to
    0 cents (even) and no binary floating point is ever involved. Use ``ROUND_FLOOR`` for a limit
    that must never be exceeded (a ceiling) and ``ROUND_CEILING`` for an obligation that must never
    be lowered by rounding (a required spend).
    """
    if rounding not in (ROUND_HALF_EVEN, ROUND_FLOOR, ROUND_CEILING):
        raise ValueError("rounding must be ROUND_HALF_EVEN, ROUND_FLOOR or ROUND_CEILING")
    exact = Fraction(amount.cents) * _as_fraction(percent) / 100
    return Money(_round_fraction(exact, rounding))


def share_percent(part: Money, whole: Money, *, rounding: str = ROUND_HALF_EVEN) -> Decimal:
    """``part`` as a percentage of ``whole`` with two decimals, for display in a message.

    Decide with :func:`percent_of` (exact); this rounded figure is only what people read. When a
    message says "below 40 %", pass ``ROUND_FLOOR`` so that 39.996 % reads 39.99 %, not 40.00 %.
    """
    if whole.cents == 0:
        return Decimal("0.00")
    exact = percent_of(part, whole) * 100  # hundredths of a percent
    return (Decimal(_round_fraction(exact, rounding)) / 100).quantize(CENT)


def percent_of(part: Money, whole: Money) -> Fraction:
    """Exact percentage (a ``Fraction``) for comparisons; ``whole`` must not be zero."""
    if whole.cents == 0:
        raise ZeroDivisionError("percentage of a zero amount")
    return Fraction(part.cents * 100, whole.cents)


def ceiling_from_percent(base: Money, percent: Decimal | int) -> Money:
    """The largest amount that stays within ``percent`` % of ``base`` (rounded down to the cent)."""
    return percentage(base, percent, rounding=ROUND_FLOOR)


def is_within_ceiling(amount: Money, ceiling: Money | None) -> bool:
    """``amount <= ceiling``; no ceiling means no limit."""
    return ceiling is None or amount <= ceiling


def params_to_json(params: Params) -> dict[str, object]:
    """Parameters as JSON-ready values: ``Decimal`` → ``"150000.00"``, datetime → ISO 8601."""
    result: dict[str, object] = {}
    for key, value in params.items():
        if isinstance(value, Decimal):
            result[key] = str(value)
        elif isinstance(value, datetime):
            result[key] = value.isoformat()
        elif isinstance(value, tuple):
            result[key] = list(value)
        else:
            result[key] = value
    return result


# --- Parsing what people type -------------------------------------------------------------------

# Spaces people and word processors put between thousands: space, no-break space, narrow no-break
# space (the French typographic one), thin space, figure space; and the Swiss apostrophe.
_GROUP_SPACES: Final = " \u00a0\u202f\u2009\u2007'\u2019"
_CURRENCY = re.compile(r"^(?:€|eur(?:os?)?)\s*|\s*(?:€|eur(?:os?)?)$", re.IGNORECASE)
_DIGITS_AND_SEPARATORS = re.compile(r"^[0-9.,]+$")
_GROUPED: Final = r"^[1-9][0-9]{{0,2}}(?:[{sep}][0-9]{{3}})+$"


def _grouped(integer_part: str, separator: str) -> bool:
    pattern = _GROUPED.format(sep=re.escape(separator))
    return re.match(pattern, integer_part) is not None


def parse_amount(raw: str, *, allow_negative: bool = False) -> Money:
    """Parse an amount as people type it, in French, Belgian or English habits.

    Accepted: ``"1 400 000"``, ``"1.400.000,50"``, ``"1,400,000.50"``, ``"35000 €"``,
    ``"€ 35,000"``, ``"35 000,5 EUR"``, ``"1'400'000"``. Rules: spaces and apostrophes group
    thousands; when both ``.`` and ``,`` appear, the last one is the decimal mark and the other
    must group thousands by three; a single kind of mark appearing once is a decimal mark when
    followed by one or two digits and a thousands mark when followed by exactly three (money has
    two decimals, so ``"1.400"`` and ``"1,400"`` both mean 1 400 €); appearing more than once it
    groups thousands.

    Errors (:class:`MoneyError`): ``money.empty``, ``money.invalid`` (``value``),
    ``money.too_many_decimals`` (``value``), ``money.negative`` (``value``),
    ``money.too_large`` (``value``, ``maximum``).
    """
    text = raw.strip()
    if not text:
        raise MoneyError("money.empty")
    shown = text[:40]
    if len(text) > 60:
        raise MoneyError("money.invalid", {"value": shown})
    negative = False
    for _ in range(2):  # currency before or after the sign
        text = _CURRENCY.sub("", text).strip()
        if text[:1] in ("-", "\u2212"):
            negative = True
            text = text[1:].strip()
        elif text[:1] == "+":
            text = text[1:].strip()
    for space in _GROUP_SPACES:
        text = text.replace(space, " ")
    compact = text
    if " " in compact:
        groups = compact.split(" ")
        # Spaces must group thousands: "1 400 000", never "14 00" nor "1  400".
        if any(not g for g in groups) or any(
            len(re.sub(r"[.,].*$", "", g)) != 3 for g in groups[1:]
        ):
            raise MoneyError("money.invalid", {"value": shown})
        compact = "".join(groups)
    if not compact or not _DIGITS_AND_SEPARATORS.match(compact) or not compact[0].isdigit():
        raise MoneyError("money.invalid", {"value": shown})

    integer_part, fraction_part = _split_decimal(compact, shown)
    if len(fraction_part) > 2:
        raise MoneyError("money.too_many_decimals", {"value": shown})
    cents = int(integer_part) * 100 + int(fraction_part.ljust(2, "0") or "0")
    if negative and cents:
        if not allow_negative:
            raise MoneyError("money.negative", {"value": shown})
        cents = -cents
    if abs(cents) > MAX_CENTS:
        raise MoneyError(
            "money.too_large", {"value": shown, "maximum": Money(MAX_CENTS).to_decimal()}
        )
    return Money(cents)


def _split_decimal(compact: str, shown: str) -> tuple[str, str]:
    """Split ``compact`` (digits, dots, commas) into integer digits and decimal digits."""
    dots, commas = compact.count("."), compact.count(",")
    if compact[-1] in ".,":
        raise MoneyError("money.invalid", {"value": shown})
    if dots and commas:
        decimal_mark = "." if compact.rfind(".") > compact.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        integer_part, _, fraction_part = compact.rpartition(decimal_mark)
        if group_mark in fraction_part or not _grouped(integer_part, group_mark):
            raise MoneyError("money.invalid", {"value": shown})
        if len(fraction_part) > 2:
            raise MoneyError("money.too_many_decimals", {"value": shown})
        return integer_part.replace(group_mark, ""), fraction_part
    mark = "." if dots else "," if commas else ""
    if not mark:
        return compact, ""
    if compact.count(mark) > 1:
        if not _grouped(compact, mark):
            raise MoneyError("money.invalid", {"value": shown})
        return compact.replace(mark, ""), ""
    integer_part, _, fraction_part = compact.partition(mark)
    if len(fraction_part) == 3 and _grouped(compact, mark):
        return integer_part + fraction_part, ""
    if len(fraction_part) > 3 or (len(fraction_part) == 3 and not integer_part):
        raise MoneyError("money.too_many_decimals", {"value": shown})
    if len(fraction_part) == 3:  # e.g. "0.125" can never be a thousands group
        raise MoneyError("money.too_many_decimals", {"value": shown})
    return integer_part, fraction_part
