"""Reads of the regional-spend ledger: an agreement's invoices, where a supplier's place
counts (DOMAIN §1.7: the agreement's territories), and the engine's computation of the
achieved ratio and of the final tranche (``engine.awards.regional_spend``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from filiere.community.models import Commune
from filiere.engine import awards as rules

from .models import Agreement, SpendLine, Tranche


def spend_lines(agreement: Agreement) -> list[SpendLine]:
    """The invoices, each line's ``eligible`` read against the agreement's territories now (an
    amendment may have changed them since the line was declared)."""
    lines = list(
        SpendLine.objects.filter(agreement=agreement)
        .select_related("commune__territory", "declared_by")
        .order_by("invoice_date", "pk")
    )
    for line in lines:
        line.eligible = place_is_eligible(agreement, line.commune, line.region)
    return lines


def place_is_eligible(agreement: Agreement, commune: Commune | None, region: str) -> bool:
    """A supplier counts when its commune's territory, or its Belgian region (a territory
    code), is one of the agreement's territories."""
    codes = set(agreement.spend_territories or [])
    if commune is not None:
        return commune.territory.code in codes
    return bool(region) and region in codes


def final_tranche(agreement: Agreement) -> Tranche | None:
    """The last tranche of the schedule: the one the regional-spend rule may reduce."""
    return Tranche.objects.filter(agreement=agreement).order_by("-position").first()


def spend_rule(agreement: Agreement) -> rules.SpendRule | None:
    """The agreement's rule, or None when it requires no regional spend."""
    if agreement.spend_ratio <= 0 and agreement.spend_floor <= 0:
        return None
    # A floor alone: the engine wants a positive ratio; the smallest one, the floor decides.
    ratio = agreement.spend_ratio if agreement.spend_ratio > 0 else Decimal("0.01")
    return rules.SpendRule(required_ratio=ratio, floor=agreement.spend_floor)


@dataclass(frozen=True)
class SpendComputation:
    rule: rules.SpendRule
    outcome: rules.SpendOutcome
    lines: int


def spend_computation(agreement: Agreement) -> SpendComputation | None:
    """The engine's verdict on the invoices declared so far (None without a rule or an
    amount): the achieved ratio, and what the final tranche becomes."""
    rule = spend_rule(agreement)
    last = final_tranche(agreement)
    if rule is None or last is None or agreement.amount <= 0:
        return None
    codes = set(agreement.spend_territories or [])
    lines = [
        rules.SpendLine(
            amount=amount,
            eligible=(territory in codes) if territory else bool(region) and region in codes,
            category=category,
        )
        for amount, territory, region, category in SpendLine.objects.filter(agreement=agreement)
        .order_by("pk")
        .values_list("amount", "commune__territory__code", "region", "category")
    ]
    outcome = rules.regional_spend(
        agreement.amount, min(last.amount, agreement.amount), lines, rule
    )
    return SpendComputation(rule=rule, outcome=outcome, lines=len(lines))


def computation_record(computation: SpendComputation) -> dict[str, object]:
    """The computation as stored on the final payment request and shown again later."""
    outcome = computation.outcome
    return {
        "required_ratio": str(computation.rule.required_ratio),
        "floor": str(computation.rule.floor),
        "reduction_rule": computation.rule.reduction,
        "lines": computation.lines,
        "award": str(outcome.award),
        "declared_spend": str(outcome.declared_spend),
        "eligible_spend": str(outcome.eligible_spend),
        "required": str(outcome.required),
        "ratio": str(outcome.ratio),
        "met": outcome.met,
        "shortfall": str(outcome.shortfall),
        "computed_reduction": str(outcome.computed_reduction),
        "award_reduction": str(outcome.award_reduction),
        "final_tranche_before": str(outcome.final_tranche_before),
        "final_tranche": str(outcome.final_tranche),
        "steps": list(outcome.steps),
    }


def computation_from_record(data: dict[str, object]) -> SpendComputation | None:
    """A stored computation back as the engine's objects (to put it in words again)."""
    if not data or "steps" not in data:
        return None
    rule = rules.SpendRule(
        required_ratio=Decimal(str(data["required_ratio"])),
        floor=Decimal(str(data["floor"])),
        reduction=str(data["reduction_rule"]),
    )

    def money(key: str) -> Decimal:
        return Decimal(str(data[key]))

    outcome = rules.SpendOutcome(
        award=money("award"),
        required=money("required"),
        eligible_spend=money("eligible_spend"),
        ratio=money("ratio"),
        met=bool(data["met"]),
        shortfall=money("shortfall"),
        award_reduction=money("award_reduction"),
        final_tranche=money("final_tranche"),
        steps=tuple(str(step) for step in data["steps"]),  # type: ignore[attr-defined]
        declared_spend=money("declared_spend"),
        computed_reduction=money("computed_reduction"),
        final_tranche_before=money("final_tranche_before"),
    )
    return SpendComputation(rule=rule, outcome=outcome, lines=int(str(data["lines"])))
