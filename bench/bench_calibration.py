"""Calibration: Kendall tau to the true quality, raw mean vs calibrated, and speed.

Seeded simulations (true quality, reviewer bias with a few very strict/lenient reviewers,
noise, marks rounded to half points on 0-20, specialist reviewers with balanced loads).
"""

from __future__ import annotations

import time
from typing import Any

from bench.memory import measure_in_child
from filiere.engine.calibration import calibrate, compare_on_simulation, simulate


def quality(seeds: int, n_proposals: int, n_reviewers: int) -> dict[str, Any]:
    report = compare_on_simulation(range(seeds), n_proposals=n_proposals, n_reviewers=n_reviewers)
    return {k: round(v, 4) for k, v in report.summary().items()}


def speed(n_proposals: int, n_reviewers: int, per_proposal: int) -> dict[str, Any]:
    sim = simulate(7, n_proposals=n_proposals, n_reviewers=n_reviewers,
                   reviews_per_proposal=per_proposal)  # fmt: skip
    started = time.perf_counter()
    result = calibrate(sim.reviews)
    seconds = time.perf_counter() - started
    return {
        "proposals": n_proposals,
        "reviewers": n_reviewers,
        "reviews": len(sim.reviews),
        "seconds": round(seconds, 3),
        "shrinkage": round(result.shrinkage, 3),
        "iterations": result.iterations,
    }


def run(quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if quick:
        out["quality_300x60"] = quality(3, 300, 60)
        sizes = [(500, 150, 3)]
    else:
        out["quality_300x60"] = quality(20, 300, 60)
        out["quality_2000x700"] = quality(5, 2_000, 700)
        sizes = [(2_000, 700, 3), (10_000, 2_000, 3)]
    out["speed"] = []
    for n, r, k in sizes:
        measured = measure_in_child(speed, n, r, k)
        figures = measured["result"]
        figures["peak_rss_mb"] = round(measured["peak_rss_mb"], 1)
        out["speed"].append(figures)
    return out
