"""Assign experts to proposals (optimal total affinity, or fair: worst-off proposal first).

``python -m filiere.engine assign --affinity A.csv --reviews R --min-load a --max-load b
[--conflicts C.csv] [--mode optimal|fair] --out S.csv`` plus optional ``--existing``,
``--forced``, ``--churn-penalty``, ``--proposal-reviews``, ``--expert-loads``, ``--time-limit``
(docs/engine/assignment.md). An infeasible instance is not an input error: the summary then has
``"status": "infeasible"`` and a ``diagnosis`` list, S.csv holds only its header, exit code 0.
"""

from __future__ import annotations

import argparse
from typing import Any

from filiere.engine.assignment import AffinityMatrix, AssignmentRequest, assign
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import number, read_csv, required_text, write_csv

__all__ = ["add_arguments", "run"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--affinity",
        required=True,
        metavar="A.csv",
        help="proposal_id,expert_id,score: the only pairs that may be assigned",
    )
    parser.add_argument(
        "--reviews", required=True, type=int, metavar="R", help="experts per proposal"
    )
    parser.add_argument(
        "--min-load", required=True, type=int, metavar="a", help="minimum proposals per expert"
    )
    parser.add_argument(
        "--max-load", required=True, type=int, metavar="b", help="maximum proposals per expert"
    )
    parser.add_argument(
        "--conflicts",
        metavar="C.csv",
        help="proposal_id,expert_id pairs that may never be assigned",
    )
    parser.add_argument(
        "--mode",
        choices=("optimal", "fair"),
        default="optimal",
        help="optimal: max total affinity; fair: worst-off proposal first",
    )
    parser.add_argument(
        "--out", required=True, metavar="S.csv", help="written: proposal_id,expert_id,score"
    )
    parser.add_argument(
        "--existing",
        metavar="X.csv",
        help="proposal_id,expert_id pairs of a previous run, kept if possible",
    )
    parser.add_argument(
        "--churn-penalty",
        type=float,
        default=0.0,
        metavar="P",
        help="affinity points lost for each existing pair dropped (default 0)",
    )
    parser.add_argument(
        "--forced", metavar="F.csv", help="proposal_id,expert_id pairs that must be assigned"
    )
    parser.add_argument(
        "--proposal-reviews",
        metavar="PR.csv",
        help="proposal_id,reviews: per-proposal override of --reviews",
    )
    parser.add_argument(
        "--expert-loads",
        metavar="EL.csv",
        help="expert_id,min_load,max_load: per-expert override of the loads",
    )
    parser.add_argument(
        "--time-limit",
        type=float,
        default=60.0,
        metavar="S",
        help="fair mode: seconds for each of its two integer programs",
    )


def _count(path: str, line: int, field: str, raw: str | None) -> int:
    value = number(path, line, field, raw, minimum=0)
    if value != int(value):
        raise InputError(path, f"'{raw}' is not a whole number", line=line, field=field)
    return int(value)


def _pairs(path: str) -> frozenset[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for line, row in read_csv(path, ("proposal_id", "expert_id")):
        pid = required_text(path, line, "proposal_id", row["proposal_id"])
        eid = required_text(path, line, "expert_id", row["expert_id"])
        pairs.add((pid, eid))
    return frozenset(pairs)


def _affinity(path: str) -> AffinityMatrix:
    seen: set[tuple[str, str]] = set()
    triples: list[tuple[str, str, float]] = []
    for line, row in read_csv(path, ("proposal_id", "expert_id", "score")):
        pid = required_text(path, line, "proposal_id", row["proposal_id"])
        eid = required_text(path, line, "expert_id", row["expert_id"])
        score = number(path, line, "score", row["score"])
        if (pid, eid) in seen:
            raise InputError(path, f"pair ({pid}, {eid}) listed twice", line=line)
        seen.add((pid, eid))
        triples.append((pid, eid, score))
    return AffinityMatrix.from_pairs(triples)


def _check_option(name: str, value: float, minimum: float) -> None:
    if value < minimum:
        raise InputError(name, f"must be at least {minimum:g} (got {value:g})")


def run(args: argparse.Namespace) -> dict[str, Any]:
    _check_option("--reviews", args.reviews, 0)
    _check_option("--min-load", args.min_load, 0)
    _check_option("--max-load", args.max_load, args.min_load)
    _check_option("--churn-penalty", args.churn_penalty, 0)
    _check_option("--time-limit", args.time_limit, 0)
    affinity = _affinity(args.affinity)
    proposals, experts = set(affinity.proposal_ids), set(affinity.expert_ids)

    reviews_for: dict[str, int] = {}
    if args.proposal_reviews:
        path = args.proposal_reviews
        for line, row in read_csv(path, ("proposal_id", "reviews")):
            pid = required_text(path, line, "proposal_id", row["proposal_id"])
            if pid not in proposals:
                raise InputError(
                    path,
                    f"proposal '{pid}' is not in {args.affinity}",
                    line=line,
                    field="proposal_id",
                )
            reviews_for[pid] = _count(path, line, "reviews", row["reviews"])
    loads_for: dict[str, tuple[int, int]] = {}
    if args.expert_loads:
        path = args.expert_loads
        for line, row in read_csv(path, ("expert_id", "min_load", "max_load")):
            eid = required_text(path, line, "expert_id", row["expert_id"])
            if eid not in experts:
                raise InputError(
                    path, f"expert '{eid}' is not in {args.affinity}", line=line, field="expert_id"
                )
            low = _count(path, line, "min_load", row["min_load"])
            high = _count(path, line, "max_load", row["max_load"])
            if high < low:
                raise InputError(path, "max_load is below min_load", line=line, field="max_load")
            loads_for[eid] = (low, high)

    request = AssignmentRequest(
        affinity=affinity,
        reviews=args.reviews,
        min_load=args.min_load,
        max_load=args.max_load,
        reviews_for=reviews_for,
        loads_for=loads_for,
        conflicts=_pairs(args.conflicts) if args.conflicts else frozenset(),
        forced=_pairs(args.forced) if args.forced else frozenset(),
        existing=_pairs(args.existing) if args.existing else frozenset(),
        churn_penalty=args.churn_penalty,
        mode=args.mode,
        time_limit=args.time_limit,
    )
    result = assign(request)
    written = write_csv(
        args.out,
        ("proposal_id", "expert_id", "score"),
        [(pair.proposal_id, pair.expert_id, repr(pair.score)) for pair in result.pairs],
    )
    summary: dict[str, Any] = {
        "status": result.status,
        "mode": result.mode,
        "total_affinity": round(result.total_affinity, 9),
        "min_proposal_affinity": round(result.min_proposal_affinity, 9),
        "seconds": round(result.seconds, 3),
        "pairs": written,
        "proposals": len(affinity.proposal_ids),
        "experts": len(affinity.expert_ids),
        "rounding_bound": result.rounding_bound,
    }
    if request.existing:
        summary["kept"] = result.kept
        summary["dropped"] = result.dropped
    if result.status == "infeasible":
        summary["diagnosis"] = [issue.as_dict() for issue in result.diagnosis]
    else:
        summary["details"] = dict(result.details)
    return summary
