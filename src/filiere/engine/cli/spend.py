"""Regional spend of an award: achieved ratio, shortfall and the final tranche as the rule says.

``spend --invoices I.csv --award 100000 --final-tranche 20000 --ratio 1.5`` reads
``amount,eligible`` (optional ``category``) and prints the computation (required spend, eligible
spend, ratio, shortfall, reduction, final tranche, step codes). See docs/engine/cli.md and
docs/engine/awards.md.
"""

from __future__ import annotations

import argparse
from typing import Any

from filiere.engine.awards import (
    REDUCTIONS,
    AwardsError,
    SpendLine,
    SpendOutcome,
    SpendRule,
    regional_spend,
)
from filiere.engine.cli.awards_input import amount, decimal, flag, money_text, read_rows, refused


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--invoices", required=True, help="CSV or .jsonl: amount,eligible[,category]"
    )
    parser.add_argument("--award", required=True, help="the award, e.g. 100000")
    parser.add_argument("--final-tranche", required=True, help="the final tranche before reduction")
    parser.add_argument(
        "--ratio", required=True, help="required spend / award, e.g. 1.5 for 150 %%"
    )
    parser.add_argument("--floor", default="0", help="minimum required spend in euros (default 0)")
    parser.add_argument(
        "--reduction", choices=REDUCTIONS, default="proportional", help="default proportional"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    award = amount("--award", args.award)
    final_tranche = amount("--final-tranche", args.final_tranche)
    ratio = decimal("--ratio", args.ratio)
    floor = amount("--floor", args.floor)
    lines = read_invoices(args.invoices)
    try:
        outcome = regional_spend(
            award, final_tranche, lines, SpendRule(ratio, reduction=args.reduction, floor=floor)
        )
    except AwardsError as error:
        raise refused(_option_of(error), error) from None
    return summary(outcome, len(lines))


def read_invoices(path: str) -> list[SpendLine]:
    lines: list[SpendLine] = []
    for line, row in read_rows(path, ("amount", "eligible")):
        lines.append(
            SpendLine(
                amount=amount(path, row["amount"], line=line, field="amount"),
                eligible=flag(path, row["eligible"], line=line, field="eligible"),
                category=(row.get("category") or "").strip(),
            )
        )
    return lines


def summary(outcome: SpendOutcome, invoices: int) -> dict[str, Any]:
    return {
        "command": "spend",
        "status": "met" if outcome.met else "missed",
        "invoices": invoices,
        "award": money_text(outcome.award),
        "required": money_text(outcome.required),
        "declared_spend": money_text(outcome.declared_spend),
        "eligible_spend": money_text(outcome.eligible_spend),
        "ratio": str(outcome.ratio),
        "met": outcome.met,
        "shortfall": money_text(outcome.shortfall),
        "computed_reduction": money_text(outcome.computed_reduction),
        "award_reduction": money_text(outcome.award_reduction),
        "award_after": money_text(outcome.award_after),
        "final_tranche_before": money_text(outcome.final_tranche_before),
        "final_tranche": money_text(outcome.final_tranche),
        "eligible_by_category": {c: money_text(v) for c, v in outcome.eligible_by_category},
        "steps": list(outcome.steps),
    }


def _option_of(error: AwardsError) -> str:
    """The option a refusal is about, for the one-line message."""
    named = {
        "award_not_positive": "--award",
        "final_tranche_above_award": "--final-tranche",
        "required_ratio_not_positive": "--ratio",
        "required_ratio_too_large": "--ratio",
    }
    return named.get(error.code, "--" + str(error.params.get("field", "award")).replace("_", "-"))
