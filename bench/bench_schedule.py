"""One-to-one meeting schedule (CP-SAT): 500 participants x 3,000 accepted requests, 12 slots.

Seeded partner day: a few popular guests (funders, studios) draw many requests, the rest are
spread; each person is unavailable in 0-3 random slots. 60 tables per slot (the tables bind),
then 250 (everyone could sit at once: the agendas bind). Prints the seconds, the scheduled
count, the proven upper bound and the gap. Time limit 9 s, so that building the models and the
solve fit in 10 s.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from filiere.engine.schedule import MeetingRequest, Participant, Slot, schedule


def generate(
    n_people: int, n_requests: int, n_slots: int, seed: int
) -> tuple[list[Participant], list[Slot], list[MeetingRequest]]:
    rng = np.random.default_rng(seed)
    slots = [Slot(f"S{k:02d}", order=k) for k in range(n_slots)]
    participants = []
    for i in range(n_people):
        off = rng.choice(n_slots, size=int(rng.integers(0, 4)), replace=False)
        participants.append(Participant(f"P{i:04d}", frozenset(f"S{k:02d}" for k in off)))
    popularity = rng.pareto(1.5, n_people) + 1
    p = popularity / popularity.sum()
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < n_requests:
        a, b = rng.choice(n_people, size=2, replace=False, p=p)
        pairs.add((int(min(a, b)), int(max(a, b))))
    requests = [
        MeetingRequest(f"R{k:05d}", f"P{a:04d}", f"P{b:04d}")
        for k, (a, b) in enumerate(sorted(pairs))
    ]
    return participants, slots, requests


def one(n_people: int, n_requests: int, n_slots: int, tables: int, workers: int) -> dict[str, Any]:
    participants, slots, requests = generate(n_people, n_requests, n_slots, seed=11)
    result = schedule(
        participants, slots, requests, tables, time_limit=9.0, num_workers=workers, seed=0
    )
    reasons: dict[str, int] = {}
    for u in result.unscheduled:
        reasons[u.reason] = reasons.get(u.reason, 0) + 1
    return {
        "participants": n_people,
        "requests": n_requests,
        "slots": n_slots,
        "tables_per_slot": tables,
        "num_workers": workers,
        "status": result.status,
        "solver_status": result.solver_status,
        "seconds": round(result.seconds, 3),
        "scheduled": result.objective_value,
        "upper_bound": result.bound,
        "gap": round(result.gap, 6),
        "unscheduled_reasons": reasons,
    }


def run(quick: bool) -> dict[str, Any]:
    if quick:
        return {"runs": [one(60, 300, 12, 10, 1)]}
    # 60 tables: the tables bind; 250 tables (everyone could sit at once): the agendas bind.
    return {
        "runs": [
            one(500, 3000, 12, 60, 1),
            one(500, 3000, 12, 250, 1),
            one(500, 3000, 12, 250, 2),
        ]
    }
