"""The follow-up of an award: tranches, regional spend, de minimis, co-funders' parts.

Four pure rules on plain values, called by the awards app and the command line
(docs/engine/awards.md explains them with worked examples):

* :func:`tranche_amounts`: an award split into payment tranches by shares in %;
* :func:`regional_spend`: the territorial-spend obligation (DOMAIN §1.7, "100 % / 150 %"):
  the achieved ratio, the shortfall and the final tranche reduced when the ratio is missed;
* :func:`de_minimis`: the aid a company received over three years against the ceiling of
  Regulation (EU) 2023/2831 (300 000 €, a parameter);
* :func:`cofunder_shares`: each co-funder's part of an award, within its remaining envelope.

Amounts are ``Decimal`` euros with at most two decimal places, returned with exactly two; the
arithmetic runs on whole cents (:class:`filiere.engine.money.Money`) and exact fractions, so parts
always add up to their whole. Bad input raises :class:`AwardsError` with a stable code and its
parameters, translated by the web layer.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Final

from filiere.engine.budget import RegionalSpendRule, required_regional_spend
from filiere.engine.money import MAX_CENTS, Money, MoneyError, money_sum

__all__ = [
    "DEFAULT_DE_MINIMIS_CEILING",
    "NO_REDUCTION",
    "PROPORTIONAL",
    "REDUCTIONS",
    "STEPS",
    "Aid",
    "AwardsError",
    "DeMinimisOutcome",
    "SpendLine",
    "SpendOutcome",
    "SpendRule",
    "cofunder_shares",
    "de_minimis",
    "regional_spend",
    "tranche_amounts",
]

#: Regulation (EU) 2023/2831, article 3(2): per single undertaking over any period of three years.
DEFAULT_DE_MINIMIS_CEILING: Final = Decimal("300000")

#: How the final tranche is reduced when the spend requirement is missed.
PROPORTIONAL: Final = "proportional"
NO_REDUCTION: Final = "none"
REDUCTIONS: Final = (PROPORTIONAL, NO_REDUCTION)

#: Steps of :func:`regional_spend`, in the order they apply (``SpendOutcome.steps``).
STEP_ELIGIBLE_SUMMED: Final = "eligible_spend_summed"
STEP_REQUIRED_FROM_RATIO: Final = "required_from_ratio"
STEP_REQUIRED_FROM_FLOOR: Final = "required_from_floor"
STEP_MET: Final = "requirement_met"
STEP_MISSED: Final = "requirement_missed"
STEP_REDUCED_PROPORTIONALLY: Final = "award_reduced_proportionally"
STEP_NO_REDUCTION_RULE: Final = "no_reduction_rule"
STEP_CAPPED: Final = "reduction_capped_at_final_tranche"
STEP_FINAL_REDUCED: Final = "final_tranche_reduced"
STEPS: Final = (
    STEP_ELIGIBLE_SUMMED,
    STEP_REQUIRED_FROM_RATIO,
    STEP_REQUIRED_FROM_FLOOR,
    STEP_MET,
    STEP_MISSED,
    STEP_REDUCED_PROPORTIONALLY,
    STEP_NO_REDUCTION_RULE,
    STEP_CAPPED,
    STEP_FINAL_REDUCED,
)

#: Above this, a required ratio is a typing error (10 000 % of the award), not a rule.
MAX_REQUIRED_RATIO: Final = 100

#: The achieved ratio is reported with this many decimals, rounded down (never shows "met" early).
RATIO_PLACES: Final = Decimal("0.0001")
_HUNDRED: Final = Fraction(100)


class AwardsError(ValueError):
    """Input the rules cannot apply to: a stable code and its parameters (see each function)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


# --- Values ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendRule:
    """DOMAIN §1.7: the beneficiary must spend ``required_ratio`` x the award in the territory.

    ``required_ratio`` is 1.0 for "100 %", 1.5 for "150 %"; ``floor`` an optional minimum spend in
    euros (Screen Flanders asks at least 250 000 €); ``reduction`` what happens when the
    requirement is missed: ``"proportional"`` (the award shrinks in proportion to the shortfall,
    taken from the final tranche) or ``"none"`` (recorded, not reduced).
    """

    required_ratio: Decimal
    reduction: str = PROPORTIONAL
    floor: Decimal = Decimal(0)


@dataclass(frozen=True)
class SpendLine:
    """One declared invoice (amount excluding VAT); ``eligible``: it counts for the territory."""

    amount: Decimal
    eligible: bool
    category: str = ""


@dataclass(frozen=True)
class SpendOutcome:
    """The computation of :func:`regional_spend`, every figure a page shows.

    ``ratio`` is eligible spend / award (1.2 = 120 %), rounded down to 4 decimals; ``met`` is
    decided on exact cents. ``award_reduction`` is the reduction applied (capped at the final
    tranche); ``computed_reduction`` the rule's figure before that cap; ``final_tranche`` what is
    left to pay as the final tranche. ``steps`` lists the step codes that applied, in order.
    """

    award: Decimal
    required: Decimal
    eligible_spend: Decimal
    ratio: Decimal
    met: bool
    shortfall: Decimal
    award_reduction: Decimal
    final_tranche: Decimal
    steps: tuple[str, ...]
    declared_spend: Decimal = Decimal("0.00")
    computed_reduction: Decimal = Decimal("0.00")
    final_tranche_before: Decimal = Decimal("0.00")
    #: Eligible spend per category, sorted by category (``""`` for lines without one).
    eligible_by_category: tuple[tuple[str, Decimal], ...] = ()

    @property
    def award_after(self) -> Decimal:
        """The award once reduced: what the beneficiary receives in all."""
        return self.award - self.award_reduction


@dataclass(frozen=True)
class Aid:
    """One aid granted to a company (any fund of the platform, or declared by the company)."""

    company: str
    granted_on: date
    amount: Decimal
    source: str = ""


@dataclass(frozen=True)
class DeMinimisOutcome:
    """The de minimis check of a proposed aid; ``headroom`` is what may still be granted."""

    total_before: Decimal
    proposed: Decimal
    total_after: Decimal
    ceiling: Decimal
    headroom: Decimal
    exceeded: bool
    window_start: date
    window_end: date
    #: The company's aids inside the window, by date: what the total is made of.
    counted: tuple[Aid, ...] = field(default=())


# --- Tranches -------------------------------------------------------------------------------------


def tranche_amounts(total: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Split ``total`` into tranches by ``shares`` (in %, summing to exactly 100).

    Each tranche but the last is its share of the total rounded down to the cent; the last one
    takes the rest, so the amounts add up exactly to ``total`` and none is ever negative
    (``tranche_amounts(Decimal("100000.01"), [50, 30, 20])`` is 50 000.00, 30 000.00,
    20 000.01).

    Errors: ``amount_invalid``, ``amount_too_many_decimals``, ``amount_negative``,
    ``amount_too_large`` (``field="total"``, ``value``); ``shares_empty``;
    ``share_not_positive`` (``position`` from 1, ``value``); ``shares_not_100`` (``total``).
    """
    whole = _money(total, "total")
    fractions = _shares(shares)
    cents = [_floor(Fraction(whole.cents) * share / _HUNDRED) for share in fractions[:-1]]
    cents.append(whole.cents - sum(cents))
    return [Money(c).to_decimal() for c in cents]


def _shares(shares: Sequence[Decimal]) -> list[Fraction]:
    if not shares:
        raise AwardsError("shares_empty")
    fractions: list[Fraction] = []
    for position, share in enumerate(shares, start=1):
        value = _fraction(share, "share", position=position)
        if value <= 0:
            raise AwardsError("share_not_positive", position=position, value=str(share))
        fractions.append(value)
    if sum(fractions) != _HUNDRED:
        raise AwardsError("shares_not_100", total=_decimal_of(sum(fractions, Fraction(0))))
    return fractions


# --- Regional spend -------------------------------------------------------------------------------


def regional_spend(
    award: Decimal, final_tranche: Decimal, lines: Sequence[SpendLine], rule: SpendRule
) -> SpendOutcome:
    """The territorial-spend computation (DOMAIN §1.7) for an award and its declared invoices.

    1. eligible spend = the sum of the eligible lines (``eligible_spend_summed``);
    2. required = ``required_ratio`` x award, rounded up to the cent (an obligation is never
       lowered by rounding; ``required_from_ratio``), or the rule's floor when higher
       (``required_from_floor``);
    3. met when eligible spend >= required (``requirement_met``); otherwise
       (``requirement_missed``) shortfall = required - eligible spend;
    4. with the ``proportional`` rule the award is reduced by award x shortfall / required
       (that is award x (1 - achieved ratio / required ratio) when no floor applies), rounded down
       to the cent (``award_reduced_proportionally``); with ``none`` nothing is reduced
       (``no_reduction_rule``);
    5. the reduction is taken from the final tranche only: what was already paid is never
       reclaimed here, so it is capped at the final tranche (``reduction_capped_at_final_tranche``)
       and the final tranche never goes below zero (``final_tranche_reduced``).

    Example: award 100 000 €, 150 % required (150 000 €), 135 000 € of eligible invoices: ratio
    1.35, shortfall 15 000 €, reduction 100 000 x 15 000 / 150 000 = 10 000 €; a final tranche of
    20 000 € becomes 10 000 €.

    Errors: ``amount_*`` (``field`` = ``award``, ``final_tranche``, ``floor`` or ``line`` with
    ``position``); ``award_not_positive``; ``final_tranche_above_award`` (``final_tranche``,
    ``award``); ``required_ratio_not_positive`` (``value``); ``required_ratio_too_large``
    (``value``, ``maximum``); ``unknown_reduction``
    (``reduction``, ``known``).
    """
    award_m = _money(award, "award")
    if award_m.cents == 0:
        raise AwardsError("award_not_positive")
    final_m = _money(final_tranche, "final_tranche")
    if final_m > award_m:
        raise AwardsError(
            "final_tranche_above_award",
            final_tranche=final_m.to_decimal(),
            award=award_m.to_decimal(),
        )
    ratio_required = _fraction(rule.required_ratio, "required_ratio")
    if ratio_required <= 0:
        raise AwardsError("required_ratio_not_positive", value=str(rule.required_ratio))
    if ratio_required > MAX_REQUIRED_RATIO:
        raise AwardsError(
            "required_ratio_too_large", value=str(rule.required_ratio), maximum=MAX_REQUIRED_RATIO
        )
    if rule.reduction not in REDUCTIONS:
        raise AwardsError("unknown_reduction", reduction=rule.reduction, known=REDUCTIONS)
    floor_m = _money(rule.floor, "floor")

    declared: list[Money] = []
    by_category: dict[str, int] = {}
    eligible_cents = 0
    for position, line in enumerate(lines, start=1):
        amount = _money(line.amount, "line", position=position)
        declared.append(amount)
        if line.eligible:
            eligible_cents += amount.cents
            by_category[line.category] = by_category.get(line.category, 0) + amount.cents
    eligible = Money(eligible_cents)
    steps = [STEP_ELIGIBLE_SUMMED]

    # The same rule as the application's budget check (one place): ratio rounded up, then floor.
    required = required_regional_spend(award_m, RegionalSpendRule(rule.required_ratio * 100))
    steps.append(STEP_REQUIRED_FROM_RATIO)
    if floor_m > required:
        required = floor_m
        steps.append(STEP_REQUIRED_FROM_FLOOR)

    met = eligible >= required
    shortfall = Money(0) if met else required - eligible
    computed = Money(0)
    applied = Money(0)
    if met:
        steps.append(STEP_MET)
    else:
        steps.append(STEP_MISSED)
        if rule.reduction == PROPORTIONAL:
            computed = Money(_floor(Fraction(award_m.cents * shortfall.cents, required.cents)))
            steps.append(STEP_REDUCED_PROPORTIONALLY)
            applied = computed
            if applied > final_m:
                applied = final_m
                steps.append(STEP_CAPPED)
            if applied:
                steps.append(STEP_FINAL_REDUCED)
        else:
            steps.append(STEP_NO_REDUCTION_RULE)

    ratio = Fraction(eligible.cents, award_m.cents)
    return SpendOutcome(
        award=award_m.to_decimal(),
        required=required.to_decimal(),
        eligible_spend=eligible.to_decimal(),
        ratio=_decimal_floor(ratio, RATIO_PLACES),
        met=met,
        shortfall=shortfall.to_decimal(),
        award_reduction=applied.to_decimal(),
        final_tranche=(final_m - applied).to_decimal(),
        steps=tuple(steps),
        declared_spend=money_sum(declared).to_decimal(),
        computed_reduction=computed.to_decimal(),
        final_tranche_before=final_m.to_decimal(),
        eligible_by_category=tuple(
            (category, Money(cents).to_decimal()) for category, cents in sorted(by_category.items())
        ),
    )


# --- De minimis -----------------------------------------------------------------------------------


def de_minimis(
    company: str,
    aids: Sequence[Aid],
    on: date,
    proposed: Decimal,
    *,
    ceiling: Decimal = DEFAULT_DE_MINIMIS_CEILING,
    fiscal_year_start: tuple[int, int] | None = None,
) -> DeMinimisOutcome:
    """Would granting ``proposed`` to ``company`` on ``on`` exceed the de minimis ceiling?

    The window ends on ``on`` (the date the new aid is granted) and covers three years:

    * by default, the rolling period of Regulation (EU) 2023/2831 (article 3(2): "any period of
      three years"): from the day after the same date three years earlier, to ``on`` (for
      15 March 2026: 16 March 2023 to 15 March 2026);
    * with ``fiscal_year_start=(month, day)``, the three fiscal years of the former Regulation
      (EU) 1407/2013 and of schemes still worded that way: the fiscal year containing ``on`` and
      the two before it (``(1, 1)`` for calendar years).

    Only ``company``'s aids granted inside the window count (aids of other companies are ignored,
    so the platform can pass everything it knows). ``exceeded`` when the total with the proposed
    aid is above the ceiling; ``headroom`` = ceiling - total before, never negative.

    Errors: ``amount_*`` (``field`` = ``proposed``, ``ceiling`` or ``aid`` with ``position``);
    ``company_empty``; ``date_invalid`` (``field`` = ``on`` or ``aid`` with ``position``: a
    datetime or anything but a date); ``fiscal_year_start_invalid`` (``month``, ``day``).
    """
    if not company.strip():
        raise AwardsError("company_empty")
    _date(on, "on")
    proposed_m = _money(proposed, "proposed")
    ceiling_m = _money(ceiling, "ceiling")
    window_start, window_end = _window(on, fiscal_year_start)
    counted: list[tuple[Aid, Money]] = []
    for position, aid in enumerate(aids, start=1):
        amount = _money(aid.amount, "aid", position=position)
        _date(aid.granted_on, "aid", position=position)
        if aid.company == company and window_start <= aid.granted_on <= window_end:
            counted.append((aid, amount))
    counted.sort(key=lambda pair: pair[0].granted_on)
    before = money_sum(amount for _, amount in counted)
    after = before + proposed_m
    headroom = ceiling_m - before if before < ceiling_m else Money(0)
    return DeMinimisOutcome(
        total_before=before.to_decimal(),
        proposed=proposed_m.to_decimal(),
        total_after=after.to_decimal(),
        ceiling=ceiling_m.to_decimal(),
        headroom=headroom.to_decimal(),
        exceeded=after > ceiling_m,
        window_start=window_start,
        window_end=window_end,
        counted=tuple(aid for aid, _ in counted),
    )


def _window(on: date, fiscal_year_start: tuple[int, int] | None) -> tuple[date, date]:
    if fiscal_year_start is None:
        return _years_before(on, 3) + timedelta(days=1), on
    month, day = fiscal_year_start
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(2001, month)[1]):
        # 2001 is not a leap year: a fiscal year cannot start on 29 February.
        raise AwardsError("fiscal_year_start_invalid", month=month, day=day)
    start_this_year = date(on.year, month, day)
    current_start = start_this_year if on >= start_this_year else date(on.year - 1, month, day)
    return date(current_start.year - 2, month, day), on


def _years_before(day: date, years: int) -> date:
    """The same calendar date ``years`` earlier; 29 February becomes 28 February."""
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


# --- Co-funders -----------------------------------------------------------------------------------


def cofunder_shares(
    award: Decimal, cofunders: Sequence[tuple[str, Decimal, Decimal]]
) -> dict[str, Decimal]:
    """Each co-funder's part of ``award``: ``(name, share_percent, remaining_envelope)``.

    A co-funder pays its share of the award, rounded down to the cent, but never more than what
    is left of its envelope; the fund keeps the rest under the key ``""``. The values add up
    exactly to ``award`` and keep the co-funders' order, the fund last (always present).

    Example: 40 000 € with ("Lille Métropole", 25, 20 000) and ("Wallimage", 30, 5 000):
    10 000 € and 5 000 € (capped), the fund 25 000 €.

    Errors: ``amount_*`` (``field`` = ``award`` or ``envelope`` with ``position``);
    ``cofunder_name_empty`` (``position``); ``cofunder_duplicate`` (``name``);
    ``share_negative`` (``position``, ``value``); ``cofunder_shares_over_100`` (``total``).
    """
    award_m = _money(award, "award")
    parts: dict[str, Decimal] = {}
    shares_total = Fraction(0)
    given = 0
    for position, (name, share, envelope) in enumerate(cofunders, start=1):
        if not name.strip():
            raise AwardsError("cofunder_name_empty", position=position)
        if name in parts:
            raise AwardsError("cofunder_duplicate", name=name)
        share_f = _fraction(share, "share", position=position)
        if share_f < 0:
            raise AwardsError("share_negative", position=position, value=str(share))
        shares_total += share_f
        envelope_m = _money(envelope, "envelope", position=position)
        part = min(_floor(Fraction(award_m.cents) * share_f / _HUNDRED), envelope_m.cents)
        parts[name] = Money(part).to_decimal()
        given += part
    if shares_total > _HUNDRED:
        raise AwardsError("cofunder_shares_over_100", total=_decimal_of(shares_total))
    parts[""] = Money(award_m.cents - given).to_decimal()
    return parts


# --- Helpers --------------------------------------------------------------------------------------


def _money(value: Decimal | int, name: str, **where: object) -> Money:
    """A non-negative amount of whole cents, or an ``amount_*`` error naming the field."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise AwardsError("amount_invalid", field=name, value=str(value), **where)
    try:
        amount = Money.from_decimal(Decimal(value))
    except MoneyError as error:
        too_precise = error.code == "money.too_many_decimals"
        code = "amount_too_many_decimals" if too_precise else "amount_invalid"
        raise AwardsError(code, field=name, value=str(value), **where) from None
    if amount.is_negative:
        raise AwardsError("amount_negative", field=name, value=str(value), **where)
    if amount.cents > MAX_CENTS:
        raise AwardsError("amount_too_large", field=name, value=str(value), **where)
    return amount


def _date(value: object, name: str, **where: object) -> None:
    """A calendar date; a datetime is refused (comparing it with a date is an error)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise AwardsError("date_invalid", field=name, value=str(value), **where)


def _fraction(value: Decimal | int, name: str, **where: object) -> Fraction:
    """An exact finite number (a share or a ratio); floats are refused (not exact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise AwardsError("number_invalid", field=name, value=str(value), **where)
    if isinstance(value, Decimal) and not value.is_finite():
        raise AwardsError("number_invalid", field=name, value=str(value), **where)
    return Fraction(value)


def _floor(value: Fraction) -> int:
    return value.numerator // value.denominator


def _decimal_floor(value: Fraction, places: Decimal) -> Decimal:
    scale = 1 / Fraction(places)
    return (Decimal(_floor(value * scale)) * places).quantize(places)


def _decimal_of(value: Fraction) -> Decimal:
    """A share total for a message: exact when it has a finite decimal form, else 4 decimals."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    try:
        exact = exact.quantize(RATIO_PLACES)
    except InvalidOperation:  # more digits than the context holds: shown as computed
        return exact
    return Decimal(format(exact.normalize(), "f"))  # "90", never "9E+1"
