"""Select the funded proposals under the envelope (exact MILP) and explain every decision.

``select --proposals S.csv --budget B [--rules rules.json] --out D.csv`` reads
``id,score,amount,organisation,genre,territory`` (extra columns become fields usable in quotas
and co-funder eligibility; an optional ``floor`` column sets a partial award's minimum) and writes
``id,selected,amount,reason`` in rank order. See docs/engine/selection-and-calibration.md for
the rules.json format.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import math
import os
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import number, read_csv, required_text, write_csv
from filiere.engine.selection import (
    OBJECTIVES,
    CoFunder,
    Proposal,
    Quota,
    Rules,
    SelectionError,
    SelectionResult,
    select,
)

COLUMNS = ("id", "score", "amount", "organisation", "genre", "territory")
RULE_KEYS = {
    "objective": "one of " + ", ".join(OBJECTIVES),
    "min_score": "number",
    "max_per_organisation": "integer >= 1",
    "quotas": "list of {field, value, min_count?, max_count?, min_amount?, max_amount?}",
    "partial_awards": "true/false",
    "partial_floor": "share of the request between 0 and 1",
    "cofunders": "list of {name, amount, field, values}",
    "forced_in": "list of proposal ids",
    "forced_out": "list of proposal ids",
    "time_limit": "seconds > 0",
}
QUOTA_KEYS = ("field", "value", "min_count", "max_count", "min_amount", "max_amount")
COFUNDER_KEYS = ("name", "amount", "field", "values")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--proposals", required=True, help="CSV: " + ",".join(COLUMNS))
    parser.add_argument("--budget", required=True, help="the envelope (total money)")
    parser.add_argument("--rules", help="rules.json (quotas, max_per_organisation, min_score...)")
    parser.add_argument("--out", required=True, help="CSV written: id,selected,amount,reason")
    parser.add_argument("--objective", choices=OBJECTIVES, help="overrides rules.json")
    parser.add_argument(
        "--force-in", action="append", default=[], metavar="ID", help="what-if: fund this one"
    )
    parser.add_argument(
        "--force-out", action="append", default=[], metavar="ID", help="what-if: exclude it"
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    budget = _budget(args.budget)
    proposals = read_proposals(args.proposals)
    rules, forced_in, forced_out = (
        read_rules(args.rules) if args.rules else (Rules(), set[str](), set[str]())
    )
    if args.objective:
        rules = dataclasses.replace(rules, objective=args.objective)
    forced_in |= set(args.force_in)
    forced_out |= set(args.force_out)
    known = {p.id for p in proposals}
    source = args.rules or "--force-in/--force-out"
    for name, ids in (("forced_in", forced_in), ("forced_out", forced_out)):
        unknown = sorted(ids - known)
        if unknown:
            raise InputError(source, f"unknown proposal id(s) {', '.join(unknown)}", field=name)
    if sum(f.envelope for f in rules.cofunders) > budget:
        raise InputError(source, "co-funder amounts exceed the budget", field="cofunders")
    try:
        with _quiet_stdout():
            result = select(proposals, budget, rules, forced_in=forced_in, forced_out=forced_out)
    except SelectionError as error:
        raise InputError(args.proposals, f"cannot select ({error.code}: {error.params})") from None
    write_csv(
        args.out,
        ("id", "selected", "amount", "reason"),
        [
            (
                d.id,
                1 if d.selected else 0,
                _money(d.amount),
                d.reason if not d.detail else f"{d.reason}:{d.detail}",
            )
            for d in result.decisions
        ],
    )
    return summary(result, args.out)


def summary(result: SelectionResult, out: str) -> dict[str, Any]:
    selected = [d for d in result.decisions if d.selected]
    return {
        "command": "select",
        "status": result.status,
        "objective": result.objective,
        "objective_value": None
        if result.objective_value is None
        else round(result.objective_value, 6),
        "gap": result.gap,
        "envelope": _money(result.envelope),
        "total_amount": _money(result.total_amount),
        "selected": len(selected),
        "merit": round(result.merit, 6),
        "reasons": dict(Counter(d.reason for d in result.decisions)),
        "ranked_list": {
            "selected": len(result.baseline.selected),
            "total_amount": _money(result.baseline.total_amount),
            "merit": round(result.baseline.merit, 6),
            "cutoff_rank": result.baseline.cutoff_rank,
            "violations": list(result.baseline.violations),
        },
        "changes": [
            {
                "id": c.id,
                "rank": c.rank,
                "change": c.change,
                "forced_by": c.forced_by,
                "detail": c.detail,
            }
            for c in result.changes
        ],
        "diagnosis": [
            {
                "code": d.code,
                "rule": d.rule,
                "limit": d.limit,
                "achievable": d.achievable,
                "shortfall": d.shortfall,
            }
            for d in result.diagnosis
        ],
        "solves": result.solves,
        "seconds": round(result.seconds, 3),
        "out": out,
    }


def read_proposals(path: str) -> list[Proposal]:
    proposals: list[Proposal] = []
    seen: dict[str, int] = {}
    for line, row in read_csv(path, COLUMNS):
        pid = required_text(path, line, "id", row["id"])
        if pid in seen:
            raise InputError(path, f"duplicate id '{pid}' (first on line {seen[pid]})", line, "id")
        seen[pid] = line
        amount = number(path, line, "amount", row["amount"], minimum=0)
        if amount <= 0:
            raise InputError(path, "must be greater than 0", line=line, field="amount")
        floor = None
        if (row.get("floor") or "").strip():
            floor = number(path, line, "floor", row["floor"], minimum=0)
            if floor > amount:
                raise InputError(path, "floor above the amount", line=line, field="floor")
        attributes = {
            key: (value or "").strip()
            for key, value in row.items()
            if key not in ("id", "score", "amount", "organisation", "floor")
        }
        proposals.append(
            Proposal(
                id=pid,
                score=number(path, line, "score", row["score"]),
                amount=amount,
                organisation=(row["organisation"] or "").strip(),
                attributes=attributes,
                floor=floor,
            )
        )
    if not proposals:
        raise InputError(path, "no proposals in file")
    return proposals


def read_rules(path: str) -> tuple[Rules, set[str], set[str]]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except OSError as error:
        raise InputError(path, f"cannot read file ({error.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(
            path, f"invalid JSON ({getattr(error, 'msg', error)})", line=line
        ) from None
    if not isinstance(data, dict):
        raise InputError(path, "the rules must be a JSON object")
    _check_keys(path, data, RULE_KEYS, "")
    objective = data.get("objective", "merit")
    if objective not in OBJECTIVES:
        raise InputError(path, f"must be one of {', '.join(OBJECTIVES)}", field="objective")
    quotas = []
    for k, item in enumerate(_list(path, data, "quotas")):
        where = f"quotas[{k}]"
        if not isinstance(item, dict):
            raise InputError(path, "must be an object", field=where)
        _check_keys(path, item, QUOTA_KEYS, where + ".")
        quota = Quota(
            field=_text(path, item, "field", where),
            value=_text(path, item, "value", where),
            min_count=_int(path, item, "min_count", where),
            max_count=_int(path, item, "max_count", where),
            min_amount=_num(path, item, "min_amount", where),
            max_amount=_num(path, item, "max_amount", where),
        )
        if all(getattr(quota, n) is None for n in QUOTA_KEYS[2:]):
            raise InputError(path, "needs at least one of min/max count/amount", field=where)
        for low, high in (("min_count", "max_count"), ("min_amount", "max_amount")):
            lo, hi = getattr(quota, low), getattr(quota, high)
            if lo is not None and hi is not None and lo > hi:
                raise InputError(path, f"{low} above {high}", field=where)
        quotas.append(quota)
    cofunders = []
    for k, item in enumerate(_list(path, data, "cofunders")):
        where = f"cofunders[{k}]"
        if not isinstance(item, dict):
            raise InputError(path, "must be an object", field=where)
        _check_keys(path, item, COFUNDER_KEYS, where + ".")
        values = item.get("values")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise InputError(path, "must be a list of strings", field=where + ".values")
        amount = _num(path, item, "amount", where)
        if amount is None:
            raise InputError(path, "is required", field=where + ".amount")
        cofunders.append(
            CoFunder(
                name=_text(path, item, "name", where),
                envelope=amount,
                field=_text(path, item, "field", where),
                values=frozenset(values),
            )
        )
    partial = data.get("partial_awards", False)
    if not isinstance(partial, bool):
        raise InputError(path, "must be true or false", field="partial_awards")
    max_org = _int(path, data, "max_per_organisation", "")
    if max_org is not None and max_org < 1:
        raise InputError(path, "must be at least 1", field="max_per_organisation")
    floor = _num(path, data, "partial_floor", "")
    if floor is not None and not 0 <= floor <= 1:
        raise InputError(path, "must be between 0 and 1", field="partial_floor")
    time_limit = _num(path, data, "time_limit", "")
    if time_limit is not None and time_limit <= 0:
        raise InputError(path, "must be greater than 0", field="time_limit")
    rules = Rules(
        quotas=tuple(quotas),
        max_per_organisation=max_org,
        min_score=_num(path, data, "min_score", "", allow_negative=True),
        partial_awards=partial,
        partial_floor=0.5 if floor is None else floor,
        cofunders=tuple(cofunders),
        objective=objective,
        time_limit=60.0 if time_limit is None else time_limit,
    )
    return rules, _ids(path, data, "forced_in"), _ids(path, data, "forced_out")


def _check_keys(path: str, data: dict[str, Any], allowed: Any, prefix: str) -> None:
    for key in data:
        if key not in allowed:
            raise InputError(
                path, f"unknown key (allowed: {', '.join(allowed)})", field=prefix + str(key)
            )


def _list(path: str, data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise InputError(path, "must be a list", field=key)
    return value


def _ids(path: str, data: dict[str, Any], key: str) -> set[str]:
    value = _list(path, data, key)
    if not all(isinstance(v, str) for v in value):
        raise InputError(path, "must be a list of proposal ids (strings)", field=key)
    return set(value)


def _text(path: str, data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, "must be a non-empty string", field=f"{where}.{key}")
    return value.strip()


def _int(path: str, data: dict[str, Any], key: str, where: str) -> int | None:
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(path, "must be a non-negative integer", field=name)
    return value


def _num(
    path: str, data: dict[str, Any], key: str, where: str, *, allow_negative: bool = False
) -> float | None:
    value = data.get(key)
    name = f"{where}.{key}" if where else key
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(path, "must be a number", field=name)
    if value < 0 and not allow_negative:
        raise InputError(path, "must be at least 0", field=name)
    return float(value)


def _budget(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise InputError("--budget", f"'{raw}' is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise InputError("--budget", "must be a finite number, at least 0")
    return value


def _money(value: float) -> float:
    return round(value, 2)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """HiGHS may print to the C-level stdout; keep stdout for the JSON summary alone."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        os.dup2(sys.stderr.fileno(), fd)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, fd)
        os.close(saved)
