"""Budget (devis) and financing plan: chapter templates, totals and the checks staff rely on.

The default audiovisual template follows the CNC summary budget (docs/domain.md): nine numbered
chapters, then overheads and contingency (and, optionally, producer's fee and financial costs).
The games template follows the way game budgets are usually presented: preproduction/prototype,
production staff by role, marketing, porting/localisation. Chapter codes are stable machine codes
stored on each budget line; their names are translated at the edge.

:func:`check_financing` returns :class:`Finding` codes with parameters, never text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Final

from filiere.engine.money import (
    Money,
    ParamValue,
    money_sum,
    percent_of,
    percentage,
    share_percent,
)

__all__ = [
    "AUDIOVISUAL_CHAPTERS",
    "GAME_CHAPTERS",
    "GAME_GENRES",
    "TEMPLATES",
    "BudgetChapter",
    "BudgetLine",
    "BudgetTotals",
    "FinancingKind",
    "FinancingPolicy",
    "FinancingSource",
    "Finding",
    "RegionalSpendRule",
    "check_financing",
    "required_regional_spend",
    "summarise",
    "template_for_genre",
]


_ZERO: Final = Money(0)


@dataclass(frozen=True)
class Finding:
    """A problem found by a check: a stable ``code`` and the ``params`` of its message."""

    code: str
    params: Mapping[str, ParamValue] = field(default_factory=dict)


@dataclass(frozen=True)
class BudgetChapter:
    code: str
    #: The CNC chapter number ("1" … "9") where there is one.
    number: str = ""
    is_overheads: bool = False
    is_contingency: bool = False
    optional: bool = False


AUDIOVISUAL_CHAPTERS: Final[tuple[BudgetChapter, ...]] = (
    BudgetChapter("rights", "1"),  # Droits artistiques
    BudgetChapter("crew", "2"),  # Personnel
    BudgetChapter("cast", "3"),  # Interprétation
    BudgetChapter("social_charges", "4"),  # Charges sociales
    BudgetChapter("sets_costumes", "5"),  # Décors et costumes
    BudgetChapter("transport_expenses", "6"),  # Transports, défraiements, régie
    BudgetChapter("technical_means", "7"),  # Moyens techniques
    BudgetChapter("media_post_production", "8"),  # Pellicules / supports et laboratoires
    BudgetChapter("insurance_misc", "9"),  # Assurances et divers
    BudgetChapter("overheads", is_overheads=True),  # Frais généraux
    BudgetChapter("contingency", is_contingency=True),  # Imprévus
    BudgetChapter("producer_fee", optional=True),  # Rémunération producteur
    BudgetChapter("financial_costs", optional=True),  # Frais financiers
)

GAME_CHAPTERS: Final[tuple[BudgetChapter, ...]] = (
    BudgetChapter("preproduction_prototype"),
    BudgetChapter("staff_design"),
    BudgetChapter("staff_programming"),
    BudgetChapter("staff_art"),
    BudgetChapter("staff_audio"),
    BudgetChapter("staff_qa"),
    BudgetChapter("marketing"),
    BudgetChapter("porting_localisation"),
    BudgetChapter("overheads", is_overheads=True),
    BudgetChapter("contingency", is_contingency=True),
)

TEMPLATES: Final[Mapping[str, tuple[BudgetChapter, ...]]] = {
    "audiovisual": AUDIOVISUAL_CHAPTERS,
    "games": GAME_CHAPTERS,
}

#: Genres (platform genre codes) whose budget follows the games template.
GAME_GENRES: Final[frozenset[str]] = frozenset({"serious-game", "video-game"})


def template_for_genre(genre: str | None) -> str:
    """The budget template of a project of ``genre``: ``games`` for serious games and video
    games, the CNC's audiovisual chapters for every other genre and when none is chosen yet."""
    return "games" if genre in GAME_GENRES else "audiovisual"


class FinancingKind:
    """Financing source kinds, the same codes as the platform's ``FinancingSource.Kind``."""

    OWN_FUNDS: Final = "own_funds"
    PUBLIC_AID: Final = "public_aid"
    BROADCASTER: Final = "broadcaster"
    COPRODUCER: Final = "coproducer"
    PRIVATE: Final = "private"
    THIS_CALL: Final = "this_call"  # the amount requested from this call
    OTHER: Final = "other"


@dataclass(frozen=True)
class BudgetLine:
    chapter: str
    label: str
    amount: Money
    #: Part of ``amount`` expected to be spent in the funder's territory (docs/domain.md).
    regional_amount: Money = _ZERO  # Money is immutable: sharing it is safe


@dataclass(frozen=True)
class FinancingSource:
    name: str
    kind: str
    amount: Money
    secured: bool = False


@dataclass(frozen=True)
class RegionalSpendRule:
    """Territorial spend: at least ``ratio_percent`` % of the aid, and at least ``floor``.

    Wallimage "effet régional ≥ 150 %" is ``RegionalSpendRule(Decimal(150))``; Screen Flanders
    (≥ 1 € per 1 € of aid and ≥ 250 000 € in Flanders) is ``RegionalSpendRule(100, 250 000 €)``.
    """

    ratio_percent: Decimal
    floor: Money = _ZERO  # Money is immutable: sharing it is safe


@dataclass(frozen=True)
class FinancingPolicy:
    """What a call requires of the plan; ``None`` switches a check off."""

    #: Share of the budget already secured at filing, the requested aid excluded (e.g. 40).
    min_secured_percent: Decimal | None = None
    #: Overheads as a share of the budget before overheads and contingency (e.g. 10).
    overheads_cap_percent: Decimal | None = None
    #: Largest accepted gap between budget and financing totals.
    balance_tolerance: Money = _ZERO  # Money is immutable: sharing it is safe
    regional_spend: RegionalSpendRule | None = None


@dataclass(frozen=True)
class BudgetTotals:
    budget_total: Money
    financing_total: Money
    secured_total: Money
    #: Secured sources other than this call's request.
    secured_excluding_request: Money
    requested_in_plan: Money
    overheads: Money
    contingency: Money
    #: Budget before overheads and contingency: the base for the overheads cap.
    direct_costs: Money
    regional_spend: Money
    by_chapter: Mapping[str, Money]

    @property
    def difference(self) -> Money:
        """Financing minus budget: negative when the plan is short."""
        return self.financing_total - self.budget_total


def _chapter_index(template: Sequence[BudgetChapter]) -> dict[str, BudgetChapter]:
    return {chapter.code: chapter for chapter in template}


def summarise(
    budget_lines: Iterable[BudgetLine],
    financing_sources: Iterable[FinancingSource],
    *,
    template: Sequence[BudgetChapter] = AUDIOVISUAL_CHAPTERS,
) -> BudgetTotals:
    """Totals by chapter and overall, in template order then unknown chapters sorted."""
    lines = list(budget_lines)
    sources = list(financing_sources)
    chapters = _chapter_index(template)
    by_chapter: dict[str, Money] = {}
    for code in [c.code for c in template] + sorted({ln.chapter for ln in lines} - set(chapters)):
        amounts = [ln.amount for ln in lines if ln.chapter == code]
        if amounts:
            by_chapter[code] = money_sum(amounts)

    def chapter_sum(flag: str) -> Money:
        return money_sum(
            amount
            for code, amount in by_chapter.items()
            if code in chapters and getattr(chapters[code], flag)
        )

    budget_total = money_sum(ln.amount for ln in lines)
    overheads = chapter_sum("is_overheads")
    contingency = chapter_sum("is_contingency")
    secured = [s for s in sources if s.secured]
    return BudgetTotals(
        budget_total=budget_total,
        financing_total=money_sum(s.amount for s in sources),
        secured_total=money_sum(s.amount for s in secured),
        secured_excluding_request=money_sum(
            s.amount for s in secured if s.kind != FinancingKind.THIS_CALL
        ),
        requested_in_plan=money_sum(s.amount for s in sources if s.kind == FinancingKind.THIS_CALL),
        overheads=overheads,
        contingency=contingency,
        direct_costs=budget_total - overheads - contingency,
        regional_spend=money_sum(ln.regional_amount for ln in lines),
        by_chapter=by_chapter,
    )


def required_regional_spend(aid: Money, rule: RegionalSpendRule) -> Money:
    """``max(ratio × aid, floor)``; the ratio part is rounded up so rounding never lowers it."""
    return max(percentage(aid, rule.ratio_percent, rounding=ROUND_CEILING), rule.floor)


def _eur(amount: Money) -> Decimal:
    return amount.to_decimal()


def _pct(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def check_financing(
    budget_lines: Iterable[BudgetLine],
    financing_sources: Iterable[FinancingSource],
    requested_amount: Money | None,
    *,
    policy: FinancingPolicy = FinancingPolicy(),
    template: Sequence[BudgetChapter] | None = AUDIOVISUAL_CHAPTERS,
    expected_regional_spend: Money | None = None,
) -> list[Finding]:
    """Check a budget and its financing plan; an empty list means everything holds.

    Findings, in this order:

    - ``budget.empty`` — no line, or a zero total (nothing else is checked then);
    - ``budget.negative_line`` (``chapter``, ``label``, ``amount``);
    - ``budget.unknown_chapter`` (``chapter``) — a line outside ``template`` (skip: ``None``);
    - ``budget.regional_above_line`` (``chapter``, ``label``, ``amount``, ``regional_amount``);
    - ``financing.unbalanced`` (``budget_total``, ``financing_total``, ``difference`` =
      financing − budget);
    - ``financing.request_not_in_plan`` (``requested``, ``in_plan``) — the ``this_call`` sources
      do not add up to the requested amount;
    - ``financing.secured_share_below`` (``required_percent``, ``actual_percent`` rounded down,
      ``secured_total``, ``budget_total``) — secured sources other than this call's request;
    - ``overheads.above_cap`` (``cap_percent``, ``actual_percent`` rounded up, ``overheads``,
      ``base``, ``allowed``) — base is the budget before overheads and contingency;
    - ``regional_spend.below_required`` (``required``, ``expected``, ``ratio_percent``,
      ``floor``, ``aid``) — ``expected_regional_spend`` defaults to the lines' regional parts.

    Amounts are ``Decimal`` euros with two places, percentages ``Decimal`` with two places.
    """
    lines = list(budget_lines)
    sources = list(financing_sources)
    totals = summarise(lines, sources, template=template or ())
    if not lines or not totals.budget_total:
        return [Finding("budget.empty")]

    findings: list[Finding] = []
    for line in lines:
        if line.amount.is_negative:
            findings.append(
                Finding(
                    "budget.negative_line",
                    {"chapter": line.chapter, "label": line.label, "amount": _eur(line.amount)},
                )
            )
    if template is not None:
        known = {chapter.code for chapter in template}
        for chapter in sorted({ln.chapter for ln in lines} - known):
            findings.append(Finding("budget.unknown_chapter", {"chapter": chapter}))
    for line in lines:
        if line.amount.is_negative:
            continue  # already reported
        if line.regional_amount > line.amount or line.regional_amount.is_negative:
            findings.append(
                Finding(
                    "budget.regional_above_line",
                    {
                        "chapter": line.chapter,
                        "label": line.label,
                        "amount": _eur(line.amount),
                        "regional_amount": _eur(line.regional_amount),
                    },
                )
            )

    if abs(totals.difference) > policy.balance_tolerance:
        findings.append(
            Finding(
                "financing.unbalanced",
                {
                    "budget_total": _eur(totals.budget_total),
                    "financing_total": _eur(totals.financing_total),
                    "difference": _eur(totals.difference),
                },
            )
        )

    if requested_amount is not None and totals.requested_in_plan != requested_amount:
        findings.append(
            Finding(
                "financing.request_not_in_plan",
                {"requested": _eur(requested_amount), "in_plan": _eur(totals.requested_in_plan)},
            )
        )

    if policy.min_secured_percent is not None:
        secured = totals.secured_excluding_request
        if percent_of(secured, totals.budget_total) < Fraction(policy.min_secured_percent):
            findings.append(
                Finding(
                    "financing.secured_share_below",
                    {
                        "required_percent": _pct(policy.min_secured_percent),
                        "actual_percent": share_percent(
                            secured, totals.budget_total, rounding=ROUND_FLOOR
                        ),
                        "secured_total": _eur(secured),
                        "budget_total": _eur(totals.budget_total),
                    },
                )
            )

    if policy.overheads_cap_percent is not None and totals.overheads:
        base = totals.direct_costs
        over = base.cents <= 0 or (
            percent_of(totals.overheads, base) > Fraction(policy.overheads_cap_percent)
        )
        if over:
            findings.append(
                Finding(
                    "overheads.above_cap",
                    {
                        "cap_percent": _pct(policy.overheads_cap_percent),
                        "actual_percent": share_percent(
                            totals.overheads, base, rounding=ROUND_CEILING
                        )
                        if base.cents > 0
                        else Decimal("100.00"),
                        "overheads": _eur(totals.overheads),
                        "base": _eur(base),
                        "allowed": _eur(
                            percentage(base, policy.overheads_cap_percent, rounding=ROUND_FLOOR)
                            if base.cents > 0
                            else Money(0)
                        ),
                    },
                )
            )

    rule = policy.regional_spend
    if rule is not None and requested_amount is not None:
        required = required_regional_spend(requested_amount, rule)
        expected = (
            expected_regional_spend
            if expected_regional_spend is not None
            else totals.regional_spend
        )
        if expected < required:
            findings.append(
                Finding(
                    "regional_spend.below_required",
                    {
                        "required": _eur(required),
                        "expected": _eur(expected),
                        "ratio_percent": _pct(rule.ratio_percent),
                        "floor": _eur(rule.floor),
                        "aid": _eur(requested_amount),
                    },
                )
            )
    return findings
