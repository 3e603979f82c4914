"""Split awards into payment tranches by percentage shares, to the exact cent (last takes the rest).

``tranches --total 100000 --shares 50,30,20`` prints the amounts; ``tranches --awards A.csv
--shares 50,30,20 --out T.csv`` reads ``id,amount`` (optional ``shares``, ``;``-separated, for
that award) and writes ``id,position,share,amount``. See docs/engine/cli.md and
docs/engine/awards.md.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from filiere.engine.awards import AwardsError, tranche_amounts
from filiere.engine.cli.awards_input import amount, decimal, money_text, read_rows, refused
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import required_text, write_csv

OUT_COLUMNS = ("id", "position", "share", "amount")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--total", help="one award's amount, e.g. 100000 (prints the tranches)")
    source.add_argument("--awards", help="CSV or .jsonl: id,amount[,shares]")
    parser.add_argument("--shares", help="shares in %% summing to 100, e.g. 50,30,20")
    parser.add_argument("--out", help="CSV written: " + ",".join(OUT_COLUMNS))


def run(args: argparse.Namespace) -> dict[str, Any]:
    default = _shares("--shares", args.shares, ",") if args.shares else None
    if args.total is not None:
        if default is None:
            raise InputError("--shares", "required with --total")
        total = amount("--total", args.total)
        rows = [("", total, default)]
    else:
        if not args.out:
            raise InputError("--out", "required with --awards")
        rows = _read_awards(args.awards, default)
    out: list[tuple[str, int, str, str]] = []
    for award_id, total, shares in rows:
        try:
            amounts = tranche_amounts(total, shares)
        except AwardsError as error:
            raise refused(args.awards or "--shares", error) from None
        out.extend(
            (award_id, position, str(share), money_text(value))
            for position, (share, value) in enumerate(zip(shares, amounts, strict=True), start=1)
        )
    if args.out:
        write_csv(args.out, OUT_COLUMNS, out)
    summary: dict[str, Any] = {
        "command": "tranches",
        "status": "ok",
        "awards": len(rows),
        "tranches": len(out),
        "total": money_text(sum((total for _, total, _ in rows), Decimal(0))),
        "out": args.out,
    }
    if args.total is not None:
        summary["amounts"] = [amount_text for _, _, _, amount_text in out]
    return summary


def _read_awards(
    path: str, default: list[Decimal] | None
) -> list[tuple[str, Decimal, list[Decimal]]]:
    rows: list[tuple[str, Decimal, list[Decimal]]] = []
    seen: dict[str, int] = {}
    for line, row in read_rows(path, ("id", "amount")):
        award_id = required_text(path, line, "id", row["id"])
        if award_id in seen:
            raise InputError(
                path, f"duplicate id '{award_id}' (first on line {seen[award_id]})", line, "id"
            )
        seen[award_id] = line
        total = amount(path, row["amount"], line=line, field="amount")
        own = (row.get("shares") or "").strip()
        shares = _shares(path, own, ";", line=line) if own else default
        if shares is None:
            raise InputError(path, "no shares here and no --shares", line=line, field="shares")
        try:
            tranche_amounts(total, shares)
        except AwardsError as error:
            raise refused(path, error, line=line, field="shares") from None
        rows.append((award_id, total, shares))
    if not rows:
        raise InputError(path, "no awards in file")
    return rows


def _shares(where: str, text: str, separator: str, *, line: int | None = None) -> list[Decimal]:
    parts = [part.strip() for part in text.split(separator)]
    return [decimal(where, part, line=line, field="shares") for part in parts]
