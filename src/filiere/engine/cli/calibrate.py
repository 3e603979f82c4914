"""Calibrate review scores: remove each reviewer's strictness or leniency.

``calibrate --reviews V.csv --out Q.csv`` reads ``proposal_id,expert_id,score`` and writes
``proposal_id,score,low,high`` (calibrated quality and its interval), best first.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from filiere.engine.calibration import (
    CalibrationError,
    CalibrationOptions,
    Review,
    calibrate,
)
from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import number, read_csv, required_text, write_csv


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reviews", required=True, help="CSV: proposal_id,expert_id,score")
    parser.add_argument("--out", required=True, help="CSV written: proposal_id,score,low,high")
    parser.add_argument(
        "--level", type=float, default=0.90, help="coverage of the interval (default 0.90)"
    )
    parser.add_argument(
        "--shrinkage",
        type=float,
        default=None,
        help="ridge weight on reviewer biases, in reviews (default: estimated from the data)",
    )


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    path = args.reviews
    reviews: list[Review] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in read_csv(path, ("proposal_id", "expert_id", "score")):
        proposal = required_text(path, line, "proposal_id", row["proposal_id"])
        expert = required_text(path, line, "expert_id", row["expert_id"])
        score = number(path, line, "score", row["score"])
        key = (proposal, expert)
        if key in seen:
            raise InputError(
                path,
                f"second score by expert '{expert}' for proposal '{proposal}' "
                f"(first on line {seen[key]})",
                line=line,
                field="expert_id",
            )
        seen[key] = line
        reviews.append(Review(proposal, expert, score))
    if not reviews:
        raise InputError(path, "no reviews in file")
    if not 0 < args.level < 1:
        raise InputError("--level", "must be between 0 and 1")
    if args.shrinkage is not None and args.shrinkage < 0:
        raise InputError("--shrinkage", "must be at least 0")
    try:
        result = calibrate(reviews, CalibrationOptions(shrinkage=args.shrinkage, level=args.level))
    except CalibrationError as error:
        raise InputError(path, f"cannot calibrate ({error.code})") from None
    ranked = sorted(result.proposals, key=lambda q: (-q.score, q.proposal_id))
    write_csv(
        args.out,
        ("proposal_id", "score", "low", "high"),
        [(q.proposal_id, _r(q.score), _r(q.low), _r(q.high)) for q in ranked],
    )
    biases = sorted(result.reviewers, key=lambda b: b.bias)
    return {
        "command": "calibrate",
        "status": "ok",
        "reviews": len(reviews),
        "proposals": len(result.proposals),
        "experts": len(result.reviewers),
        "noise_sd": _r(result.noise_sd),
        "bias_sd": _r(result.bias_sd),
        "shrinkage": None if result.shrinkage == float("inf") else _r(result.shrinkage),
        "level": result.level,
        "groups": result.groups,
        "notes": list(result.notes),
        "strictest": [{"expert_id": b.expert_id, "bias": _r(b.bias)} for b in biases[:3]],
        "most_lenient": [{"expert_id": b.expert_id, "bias": _r(b.bias)} for b in biases[-3:]],
        "out": args.out,
        "seconds": round(time.perf_counter() - started, 3),
    }


def _r(value: float) -> float:
    return round(value, 4)
