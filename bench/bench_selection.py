"""Selection under the envelope: exact MILP (HiGHS) vs the plain ranked list with cut-off.

Realistic seeded calls: scores on a 0-20 grid, log-normal requests (median about 36 k),
5 genres and 3 territories with skewed shares, many organisations filing one or several
proposals. Rules: a minimum count per genre (5 quotas), minimum amounts for two territories and
a maximum amount for the home one (3 quotas), one grant per organisation, a minimum score.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from bench.memory import measure_in_child
from filiere.engine.selection import Proposal, Quota, Rules, select

GENRES = ("fiction", "documentary", "animation", "games", "immersive")
TERRITORIES = ("hdf", "wallonia", "flanders")


def generate(n: int, seed: int) -> tuple[list[Proposal], float, tuple[Quota, ...]]:
    rng = np.random.default_rng(seed)
    n_orgs = max(1, int(n * 0.6))
    genres = rng.choice(len(GENRES), n, p=[0.35, 0.25, 0.15, 0.15, 0.10])
    territories = rng.choice(len(TERRITORIES), n, p=[0.6, 0.25, 0.15])
    scores = np.clip(np.round(rng.normal(12, 3, n) * 2) / 2, 0, 20)
    amounts = np.round(rng.lognormal(10.5, 0.6, n), -2)
    orgs = rng.integers(0, n_orgs, n)
    proposals = [
        Proposal(
            f"P{i:06d}",
            float(scores[i]),
            float(amounts[i]),
            f"O{orgs[i]:06d}",
            {"genre": GENRES[genres[i]], "territory": TERRITORIES[territories[i]]},
        )
        for i in range(n)
    ]
    envelope = float(round(amounts.sum() * 0.2, -3))
    quotas = (
        *(Quota("genre", g, min_count=max(1, n // 50)) for g in GENRES),
        Quota("territory", "wallonia", min_amount=0.2 * envelope),
        Quota("territory", "flanders", min_amount=0.1 * envelope),
        Quota("territory", "hdf", max_amount=0.7 * envelope),
    )
    return proposals, envelope, quotas


def one(n: int, seed: int, objective: str, time_limit: float) -> dict[str, Any]:
    proposals, envelope, quotas = generate(n, seed)
    rules = Rules(
        quotas=quotas,
        max_per_organisation=1,
        min_score=8.0,
        objective=objective,
        time_limit=time_limit,
    )
    result = select(proposals, envelope, rules)
    base = result.baseline
    return {
        "proposals": n,
        "objective": objective,
        "status": result.status,
        "gap": result.gap,
        "solves": result.solves,
        "seconds": round(result.seconds, 3),
        "selected": len(result.selected_ids()),
        "merit": round(result.merit, 1),
        "total_amount": round(result.total_amount),
        "envelope": envelope,
        "changes_vs_ranked_list": len(result.changes),
        "ranked_list": {
            "selected": len(base.selected),
            "merit": round(base.merit, 1),
            "total_amount": round(base.total_amount),
            "rules_broken": len(base.violations),
        },
        "merit_ratio_to_ranked_list": round(result.merit / base.merit, 4) if base.merit else None,
    }


def run(quick: bool) -> dict[str, Any]:
    sizes = [300] if quick else [5_000, 20_000]
    objectives = ["merit", "ranked"] if quick else ["merit", "merit_amount", "ranked"]
    out: dict[str, Any] = {"runs": []}
    for n in sizes:
        for objective in objectives:
            limit = 60.0 if n <= 5_000 else 120.0
            measured = measure_in_child(one, n, 1, objective, limit)
            figures = measured["result"]
            figures["peak_rss_mb"] = round(measured["peak_rss_mb"], 1)
            figures["cpu_seconds"] = round(measured["cpu_seconds"], 3)
            out["runs"].append(figures)
    out["target"] = "5,000 proposals, 5 genre + 3 territory quotas, one per organisation: <= 5 s"
    return out
