"""De minimis check: a company's aids over three years plus a proposed aid, against the ceiling.

``de-minimis --aids A.csv --company ID --on 2026-03-15 --proposed 60000`` reads
``company,granted_on,amount`` (optional ``source``) and prints the window, the total before and
after, the headroom and whether the ceiling (default 300 000, Regulation (EU) 2023/2831) is
exceeded. See docs/engine/cli.md and docs/engine/awards.md.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from filiere.engine.awards import (
    DEFAULT_DE_MINIMIS_CEILING,
    Aid,
    AwardsError,
    DeMinimisOutcome,
    de_minimis,
)
from filiere.engine.cli.awards_input import amount, iso_date, money_text, read_rows, refused
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import required_text

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--aids", required=True, help="CSV or .jsonl: company,granted_on,amount[,source]"
    )
    parser.add_argument("--company", required=True, help="the company's id as in the aids file")
    parser.add_argument("--on", required=True, help="date the new aid is granted (YYYY-MM-DD)")
    parser.add_argument("--proposed", required=True, help="the proposed aid, e.g. 60000")
    parser.add_argument(
        "--ceiling",
        default=str(DEFAULT_DE_MINIMIS_CEILING),
        help=f"ceiling in euros (default {DEFAULT_DE_MINIMIS_CEILING})",
    )
    parser.add_argument(
        "--fiscal-year-start",
        help="MM-DD: count three fiscal years instead of the rolling three years (e.g. 01-01)",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    on = iso_date("--on", args.on)
    proposed = amount("--proposed", args.proposed)
    ceiling = amount("--ceiling", args.ceiling)
    fiscal = _month_day(args.fiscal_year_start) if args.fiscal_year_start else None
    aids = read_aids(args.aids)
    company = args.company.strip()
    if not company:
        raise InputError("--company", "a company id is required")
    try:
        outcome = de_minimis(company, aids, on, proposed, ceiling=ceiling, fiscal_year_start=fiscal)
    except AwardsError as error:
        raise refused("--fiscal-year-start", error) from None
    return summary(outcome, company, len(aids))


def read_aids(path: str) -> list[Aid]:
    aids: list[Aid] = []
    for line, row in read_rows(path, ("company", "granted_on", "amount")):
        aids.append(
            Aid(
                company=required_text(path, line, "company", row["company"]),
                granted_on=iso_date(path, row["granted_on"], line=line, field="granted_on"),
                amount=amount(path, row["amount"], line=line, field="amount"),
                source=(row.get("source") or "").strip(),
            )
        )
    return aids


def summary(outcome: DeMinimisOutcome, company: str, aids: int) -> dict[str, Any]:
    return {
        "command": "de-minimis",
        "status": "exceeded" if outcome.exceeded else "within",
        "company": company,
        "aids_read": aids,
        "window_start": outcome.window_start.isoformat(),
        "window_end": outcome.window_end.isoformat(),
        "counted": [
            {
                "granted_on": aid.granted_on.isoformat(),
                "amount": money_text(aid.amount),
                "source": aid.source,
            }
            for aid in outcome.counted
        ],
        "total_before": money_text(outcome.total_before),
        "proposed": money_text(outcome.proposed),
        "total_after": money_text(outcome.total_after),
        "ceiling": money_text(outcome.ceiling),
        "headroom": money_text(outcome.headroom),
        "exceeded": outcome.exceeded,
    }


def _month_day(text: str) -> tuple[int, int]:
    match = _MONTH_DAY.match(text.strip())
    if match is None:
        raise InputError("--fiscal-year-start", f"'{text}' is not MM-DD")
    return int(match.group(1)), int(match.group(2))
