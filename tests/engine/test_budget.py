"""Budget and financing plan: totals and the findings an applicant or a case officer sees."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from filiere.engine.budget import (
    AUDIOVISUAL_CHAPTERS,
    GAME_CHAPTERS,
    BudgetLine,
    FinancingKind,
    FinancingPolicy,
    FinancingSource,
    Finding,
    RegionalSpendRule,
    check_financing,
    required_regional_spend,
    summarise,
)
from filiere.engine.money import Money

E = Money.euros


def _lines() -> list[BudgetLine]:
    return [
        BudgetLine("rights", "Authors", E(40_000), regional_amount=E(10_000)),
        BudgetLine("crew", "Developers", E(150_000), regional_amount=E(120_000)),
        BudgetLine("technical_means", "Servers", E(80_000), regional_amount=E(60_000)),
        BudgetLine("overheads", "Overheads", E(20_000)),
        BudgetLine("contingency", "Contingency", E(10_000)),
    ]


def _sources(request: Money | None = None) -> list[FinancingSource]:
    request = E(100_000) if request is None else request
    return [
        FinancingSource("Producer", FinancingKind.OWN_FUNDS, E(60_000), secured=True),
        FinancingSource("Broadcaster pre-sale", FinancingKind.BROADCASTER, E(80_000), True),
        FinancingSource("CNC", FinancingKind.PUBLIC_AID, E(300_000) - E(140_000) - request),
        FinancingSource("Pôle Images", FinancingKind.THIS_CALL, request),
    ]


def test_budget_chapter_codes_are_stable_and_unique() -> None:
    av = [c.code for c in AUDIOVISUAL_CHAPTERS]
    assert av[:9] == [
        "rights",
        "crew",
        "cast",
        "social_charges",
        "sets_costumes",
        "transport_expenses",
        "technical_means",
        "media_post_production",
        "insurance_misc",
    ]
    assert [c.number for c in AUDIOVISUAL_CHAPTERS[:9]] == [str(n) for n in range(1, 10)]
    assert {"overheads", "contingency"} <= set(av)
    assert len(set(av)) == len(av)
    games = [c.code for c in GAME_CHAPTERS]
    assert "preproduction_prototype" in games
    assert "porting_localisation" in games
    assert len(set(games)) == len(games)


def test_summarise_totals() -> None:
    totals = summarise(_lines(), _sources())
    assert totals.budget_total == E(300_000)
    assert totals.financing_total == E(300_000)
    assert totals.difference == Money(0)
    assert totals.overheads == E(20_000)
    assert totals.contingency == E(10_000)
    assert totals.direct_costs == E(270_000)
    assert totals.secured_excluding_request == E(140_000)
    assert totals.requested_in_plan == E(100_000)
    assert totals.regional_spend == E(190_000)
    assert list(totals.by_chapter) == [
        "rights",
        "crew",
        "technical_means",
        "overheads",
        "contingency",
    ]


def test_a_balanced_plan_has_no_finding() -> None:
    assert check_financing(_lines(), _sources(), E(100_000)) == []


def test_empty_budget() -> None:
    assert check_financing([], _sources(), E(100_000)) == [Finding("budget.empty")]
    zero = [BudgetLine("crew", "Nobody", Money(0))]
    assert check_financing(zero, [], None) == [Finding("budget.empty")]


def test_unbalanced_plan_reports_both_totals_and_the_gap() -> None:
    short = FinancingSource("Pôle Images", FinancingKind.THIS_CALL, E(90_000))
    sources = [*_sources()[:-1], short]
    findings = check_financing(_lines(), sources, E(90_000))
    assert findings == [
        Finding(
            "financing.unbalanced",
            {
                "budget_total": Decimal("300000.00"),
                "financing_total": Decimal("290000.00"),
                "difference": Decimal("-10000.00"),
            },
        )
    ]


def test_one_cent_off_is_unbalanced_unless_tolerated() -> None:
    sources = [*_sources(), FinancingSource("Rounding", FinancingKind.OTHER, Money(1))]
    assert [f.code for f in check_financing(_lines(), sources, E(100_000))] == [
        "financing.unbalanced"
    ]
    tolerant = FinancingPolicy(balance_tolerance=Money(100))
    assert check_financing(_lines(), sources, E(100_000), policy=tolerant) == []


def test_request_missing_from_the_plan() -> None:
    findings = check_financing(_lines(), _sources(), E(120_000))
    assert findings == [
        Finding(
            "financing.request_not_in_plan",
            {"requested": Decimal("120000.00"), "in_plan": Decimal("100000.00")},
        )
    ]


def test_secured_share_below_forty_percent() -> None:
    policy = FinancingPolicy(min_secured_percent=Decimal(50))
    findings = check_financing(_lines(), _sources(), E(100_000), policy=policy)
    assert findings == [
        Finding(
            "financing.secured_share_below",
            {
                "required_percent": Decimal("50.00"),
                "actual_percent": Decimal("46.66"),  # 140 000 / 300 000, rounded down
                "secured_total": Decimal("140000.00"),
                "budget_total": Decimal("300000.00"),
            },
        )
    ]


def test_the_request_itself_never_counts_as_secured() -> None:
    sources = _sources()
    sources[-1] = FinancingSource("Pôle Images", FinancingKind.THIS_CALL, E(100_000), True)
    policy = FinancingPolicy(min_secured_percent=Decimal(40))
    assert check_financing(_lines(), sources, E(100_000), policy=policy) == []
    policy = FinancingPolicy(min_secured_percent=Decimal(47))
    assert [f.code for f in check_financing(_lines(), sources, E(100_000), policy=policy)] == [
        "financing.secured_share_below"
    ]


def test_secured_share_exactly_at_the_threshold_passes() -> None:
    lines = [BudgetLine("crew", "Team", E(100_000))]
    sources = [
        FinancingSource("Own", FinancingKind.OWN_FUNDS, E(40_000), secured=True),
        FinancingSource("Call", FinancingKind.THIS_CALL, E(60_000)),
    ]
    policy = FinancingPolicy(min_secured_percent=Decimal(40))
    assert check_financing(lines, sources, E(60_000), policy=policy) == []


def test_overheads_above_ten_percent_for_a_writing_budget() -> None:
    policy = FinancingPolicy(overheads_cap_percent=Decimal(10))
    lines = [
        BudgetLine("rights", "Authors", E(18_000)),
        BudgetLine("overheads", "Overheads", E(2_000)),
    ]
    sources = [FinancingSource("Call", FinancingKind.THIS_CALL, E(20_000))]
    findings = check_financing(lines, sources, E(20_000), policy=policy)
    assert findings == [
        Finding(
            "overheads.above_cap",
            {
                "cap_percent": Decimal("10.00"),
                "actual_percent": Decimal("11.12"),  # 2 000 / 18 000, rounded up
                "overheads": Decimal("2000.00"),
                "base": Decimal("18000.00"),
                "allowed": Decimal("1800.00"),
            },
        )
    ]


def test_overheads_at_the_cap_pass() -> None:
    policy = FinancingPolicy(overheads_cap_percent=Decimal(10))
    lines = [
        BudgetLine("rights", "Authors", E(18_000)),
        BudgetLine("overheads", "Overheads", E(1_800)),
    ]
    sources = [FinancingSource("Call", FinancingKind.THIS_CALL, E(19_800))]
    assert check_financing(lines, sources, E(19_800), policy=policy) == []


def test_unknown_chapter_and_negative_line() -> None:
    lines = [*_lines(), BudgetLine("catering", "Pizza", E(-100))]
    codes = [f.code for f in check_financing(lines, _sources(), E(100_000))]
    assert codes == ["budget.negative_line", "budget.unknown_chapter", "financing.unbalanced"]


def test_games_template_accepts_game_chapters() -> None:
    lines = [
        BudgetLine("preproduction_prototype", "Vertical slice", E(30_000)),
        BudgetLine("porting_localisation", "Switch port", E(20_000)),
    ]
    sources = [FinancingSource("Call", FinancingKind.THIS_CALL, E(50_000))]
    assert check_financing(lines, sources, E(50_000), template=GAME_CHAPTERS) == []
    assert [f.code for f in check_financing(lines, sources, E(50_000))] == [
        "budget.unknown_chapter",
        "budget.unknown_chapter",
    ]


def test_regional_spend_rule_like_wallimage() -> None:
    rule = RegionalSpendRule(ratio_percent=Decimal(150))
    assert required_regional_spend(E(100_000), rule) == E(150_000)
    policy = FinancingPolicy(regional_spend=rule)
    assert check_financing(_lines(), _sources(), E(100_000), policy=policy) == []
    findings = check_financing(
        _lines(), _sources(), E(100_000), policy=policy, expected_regional_spend=E(149_999)
    )
    assert findings == [
        Finding(
            "regional_spend.below_required",
            {
                "required": Decimal("150000.00"),
                "expected": Decimal("149999.00"),
                "ratio_percent": Decimal("150.00"),
                "floor": Decimal("0.00"),
                "aid": Decimal("100000.00"),
            },
        )
    ]


def test_regional_spend_floor_like_screen_flanders() -> None:
    rule = RegionalSpendRule(ratio_percent=Decimal(100), floor=E(250_000))
    assert required_regional_spend(E(100_000), rule) == E(250_000)
    assert required_regional_spend(E(400_000), rule) == E(400_000)


def test_regional_spend_part_cannot_exceed_its_line() -> None:
    lines = [BudgetLine("crew", "Team", E(100), regional_amount=E(101))]
    sources = [FinancingSource("Call", FinancingKind.THIS_CALL, E(100))]
    assert [f.code for f in check_financing(lines, sources, E(100))] == [
        "budget.regional_above_line"
    ]


@given(st.lists(st.integers(min_value=1, max_value=10**10), min_size=1, max_size=30))
def test_a_plan_that_mirrors_the_budget_is_always_balanced(cents: list[int]) -> None:
    lines = [BudgetLine("crew", f"line {i}", Money(c)) for i, c in enumerate(cents)]
    sources = [FinancingSource(f"source {i}", "other", Money(c)) for i, c in enumerate(cents)]
    assert check_financing(lines, sources, None) == []
    assert summarise(lines, sources).budget_total == Money(sum(cents))
