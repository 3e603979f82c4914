"""One-to-one meeting schedule: accepted requests into time slots and tables, proven optimal.

``schedule(participants, slots, requests, tables=...) -> ScheduleResult``. The model is a
CP-SAT integer programme (OR-Tools):

* ``x_rs`` in {0, 1}: request *r* meets in slot *s*, created only when both people are available
  in *s* and the slot has at least one table;
* each request at most once: ``sum_s x_rs <= 1``;
* nobody in two meetings at once: for each person and slot, ``sum x_rs <= 1`` over their requests;
* at most ``tables`` meetings per slot (a slot may carry its own count);
* maximise the total weight of the scheduled requests (weight 1 each: their number).

Before the solve, an integer programme without the slots (HiGHS: each person meets at most as
many people as they have usable slots, no more meetings than tables in all) gives a proven upper
bound, added to the model, and the requests its optimum keeps, tried first by the greedy hint.
Both programmes share the time limit.

Tables are numbered 1..k inside each slot after the solve (any numbering is valid: tables are
interchangeable). Every request left out gets a reason code. A schedule with no meeting always
satisfies the rules, so valid input is never ``infeasible``; a greedy schedule is given to the
solver as a hint and kept if the solver returns nothing better within the time limit.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from ortools.sat.python import cp_model
from scipy.optimize import Bounds, LinearConstraint, milp

#: Reason codes of an unscheduled request.
PARTICIPANT_UNAVAILABLE = "participant_unavailable"  # one side has no usable slot at all
NO_COMMON_SLOT = "no_common_slot"  # both have usable slots, none in common
CAPACITY = "capacity"  # common slots exist; the optimum used them (tables or agendas) better


class ScheduleError(ValueError):
    """Input that cannot be scheduled at all: a stable code and its parameters."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Slot:
    """A time slot; ``order`` sorts the agenda; ``tables`` overrides the event's count."""

    id: str
    order: int = 0
    label: str = ""
    tables: int | None = None


@dataclass(frozen=True)
class MeetingRequest:
    """An accepted request between participants ``a`` and ``b``; ``weight`` its value (>= 1)."""

    id: str
    a: str
    b: str
    weight: int = 1


@dataclass(frozen=True)
class ScheduledMeeting:
    request: str
    slot: str
    table: int


@dataclass(frozen=True)
class Unscheduled:
    request: str
    reason: str


@dataclass(frozen=True)
class ScheduleResult:
    status: str  # optimal | feasible
    meetings: tuple[ScheduledMeeting, ...]
    unscheduled: tuple[Unscheduled, ...]
    objective_value: int
    #: Proven upper bound on the objective (equal to it when optimal).
    bound: int
    #: CP-SAT's own status name (OPTIMAL, FEASIBLE, UNKNOWN when the greedy hint was kept).
    solver_status: str
    seconds: float

    @property
    def gap(self) -> float:
        """Relative distance to the proven bound: 0.0 when optimal."""
        if self.bound <= 0:
            return 0.0
        return (self.bound - self.objective_value) / self.bound


def schedule(
    participants: Sequence[Participant],
    slots: Sequence[Slot],
    requests: Sequence[MeetingRequest],
    tables: int,
    *,
    time_limit: float = 10.0,
    num_workers: int = 1,
    seed: int = 0,
) -> ScheduleResult:
    """Schedule as much accepted-request weight as possible; see the module docstring."""
    started = time.perf_counter()
    _check(participants, slots, requests, tables, time_limit, num_workers)
    capacity = {s.id: tables if s.tables is None else s.tables for s in slots}
    open_slots = [s.id for s in sorted(slots, key=lambda s: (s.order, s.id)) if capacity[s.id] > 0]
    free = {p.id: [s for s in open_slots if s not in p.unavailable] for p in participants}
    candidates: dict[str, list[str]] = {}
    unscheduled_reason: dict[str, str] = {}
    for r in requests:
        if not free[r.a] or not free[r.b]:
            unscheduled_reason[r.id] = PARTICIPANT_UNAVAILABLE
            continue
        b_free = set(free[r.b])
        common = [s for s in free[r.a] if s in b_free]
        if not common:
            unscheduled_reason[r.id] = NO_COMMON_SLOT
            continue
        candidates[r.id] = common

    chosen, solver_status, bound = _solve(
        requests, candidates, capacity, time_limit, num_workers, seed
    )
    weights = {r.id: r.weight for r in requests}
    by_slot: dict[str, list[str]] = defaultdict(list)
    for rid, slot in chosen.items():
        by_slot[slot].append(rid)
    order = {sid: k for k, sid in enumerate(open_slots)}
    meetings = tuple(
        ScheduledMeeting(rid, slot, table)
        for slot in sorted(by_slot, key=order.__getitem__)
        for table, rid in enumerate(sorted(by_slot[slot]), start=1)
    )
    unscheduled = tuple(
        Unscheduled(r.id, unscheduled_reason.get(r.id, CAPACITY))
        for r in requests
        if r.id not in chosen
    )
    value = sum(weights[rid] for rid in chosen)
    return ScheduleResult(
        status="optimal" if value >= bound else "feasible",
        meetings=meetings,
        unscheduled=unscheduled,
        objective_value=value,
        bound=max(bound, value),
        solver_status=solver_status,
        seconds=time.perf_counter() - started,
    )


def _check(
    participants: Sequence[Participant],
    slots: Sequence[Slot],
    requests: Sequence[MeetingRequest],
    tables: int,
    time_limit: float,
    num_workers: int,
) -> None:
    if tables < 0:
        raise ScheduleError("negative_tables", tables=tables)
    if not time_limit > 0:
        raise ScheduleError("bad_time_limit", time_limit=time_limit)
    if num_workers < 1:
        raise ScheduleError("bad_num_workers", num_workers=num_workers)
    slot_ids: set[str] = set()
    for s in slots:
        if s.id in slot_ids:
            raise ScheduleError("duplicate_slot", slot=s.id)
        if s.tables is not None and s.tables < 0:
            raise ScheduleError("negative_tables", slot=s.id, tables=s.tables)
        slot_ids.add(s.id)
    people: set[str] = set()
    for p in participants:
        if p.id in people:
            raise ScheduleError("duplicate_participant", participant=p.id)
        unknown = sorted(p.unavailable - slot_ids)
        if unknown:
            raise ScheduleError("unknown_slot", participant=p.id, slots=unknown)
        people.add(p.id)
    seen: set[str] = set()
    pairs: dict[frozenset[str], str] = {}
    for r in requests:
        if r.id in seen:
            raise ScheduleError("duplicate_request", request=r.id)
        seen.add(r.id)
        for person in (r.a, r.b):
            if person not in people:
                raise ScheduleError("unknown_participant", request=r.id, participant=person)
        if r.a == r.b:
            raise ScheduleError("self_meeting", request=r.id, participant=r.a)
        if r.weight < 1:
            raise ScheduleError("bad_weight", request=r.id, weight=r.weight)
        pair = frozenset((r.a, r.b))
        if pair in pairs:
            raise ScheduleError("duplicate_pair", request=r.id, first=pairs[pair])
        pairs[pair] = r.id


def _solve(
    requests: Sequence[MeetingRequest],
    candidates: dict[str, list[str]],
    capacity: dict[str, int],
    time_limit: float,
    num_workers: int,
    seed: int,
) -> tuple[dict[str, str], str, int]:
    """Return (request -> slot, solver status name, proven upper bound)."""
    live = [r for r in requests if r.id in candidates]
    if not live:
        return {}, "OPTIMAL", 0
    model = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    per_person_slot: dict[tuple[str, str], list[cp_model.IntVar]] = defaultdict(list)
    per_slot: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    per_person: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    person_slots: dict[str, set[str]] = defaultdict(set)
    for r in live:
        own = []
        for s in candidates[r.id]:
            var = model.new_bool_var(f"x[{r.id},{s}]")
            x[r.id, s] = var
            own.append(var)
            per_person_slot[r.a, s].append(var)
            per_person_slot[r.b, s].append(var)
            per_slot[s].append(var)
            per_person[r.a].append(var)
            per_person[r.b].append(var)
            person_slots[r.a].add(s)
            person_slots[r.b].add(s)
        model.add_at_most_one(own)
    # Implied by the rows below, but states each agenda's size to the relaxation directly.
    for person, group in per_person.items():
        if len(group) > len(person_slots[person]):
            model.add(sum(group) <= len(person_slots[person]))
    for group in per_person_slot.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    for s, group in per_slot.items():
        if len(group) > capacity[s]:
            model.add(sum(group) <= capacity[s])
    weight = {r.id: r.weight for r in live}
    objective = sum(weight[rid] * var for (rid, _), var in x.items())
    model.maximize(objective)
    deadline = time.perf_counter() + time_limit
    relaxed_bound, preferred = _agenda_bound(live, candidates, capacity, time_limit)
    model.add(objective <= relaxed_bound)
    greedy = _greedy(live, candidates, capacity, preferred)
    for (rid, s), var in x.items():
        model.add_hint(var, 1 if greedy.get(rid) == s else 0)

    solver = cp_model.CpSolver()
    # The bound's programme took part of the time limit; the solver gets the rest.
    solver.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
    solver.parameters.num_workers = num_workers
    solver.parameters.random_seed = seed
    code = solver.solve(model)
    upper = sum(weight.values())
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = {rid: s for (rid, s), var in x.items() if solver.boolean_value(var)}
        bound = int(solver.best_objective_bound + 1e-6)
        return chosen, solver.status_name(code), min(bound, upper, relaxed_bound)
    if code == cp_model.UNKNOWN:  # time limit before any solution: keep the greedy one
        return greedy, "UNKNOWN", min(upper, relaxed_bound)
    raise ScheduleError("solver_failed", status=solver.status_name(code))


def _agenda_bound(
    live: Sequence[MeetingRequest],
    candidates: dict[str, list[str]],
    capacity: dict[str, int],
    time_limit: float,
) -> tuple[int, frozenset[str]]:
    """Upper bound without the slots: each person meets at most as many people as they have
    usable slots, and no more meetings than tables in all. Exact integer programme (HiGHS),
    or its proven bound when cut short; also returns the requests its best solution keeps,
    which the greedy schedule tries first.
    """
    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    usable: dict[str, set[str]] = defaultdict(set)
    for k, r in enumerate(live):
        for person in (r.a, r.b):
            row = index.setdefault(person, len(index))
            rows.append(row)
            cols.append(k)
            usable[person].update(candidates[r.id])
    limits = [0.0] * len(index)
    for person, row in index.items():
        limits[row] = float(len(usable[person]))
    tables_row = len(index)
    rows.extend([tables_row] * len(live))
    cols.extend(range(len(live)))
    all_slots = set().union(*(set(candidates[r.id]) for r in live))
    limits.append(float(sum(capacity[s] for s in all_slots)))
    matrix = sp.csr_array(
        (np.ones(len(rows)), (np.array(rows), np.array(cols))), shape=(len(limits), len(live))
    )
    weights = np.array([float(r.weight) for r in live])
    result = milp(
        -weights,
        constraints=LinearConstraint(matrix, -np.inf, np.array(limits)),
        integrality=np.ones(len(live)),
        bounds=Bounds(0, 1),
        options={"time_limit": max(0.1, time_limit / 4), "disp": False},
    )
    upper = int(weights.sum())
    dual = getattr(result, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        upper = min(upper, int(-dual + 1e-6))
    keep: frozenset[str] = frozenset()
    if result.x is not None:
        keep = frozenset(r.id for r, v in zip(live, result.x, strict=True) if v > 0.5)
    return upper, keep


def _greedy(
    live: Sequence[MeetingRequest],
    candidates: dict[str, list[str]],
    capacity: dict[str, int],
    preferred: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """Heaviest first, then between the least requested people, earliest free slot.

    A person asked by many can meet only a few of them: their requests are tried last, so the
    people with few requests get theirs first. Gives a valid starting schedule.
    """
    degree: dict[str, int] = defaultdict(int)
    for r in live:
        degree[r.a] += 1
        degree[r.b] += 1
    used: dict[str, int] = defaultdict(int)
    busy: dict[tuple[str, str], MeetingRequest] = {}
    chosen: dict[str, str] = {}

    def fits(r: MeetingRequest, s: str) -> bool:
        return used[s] < capacity[s] and (r.a, s) not in busy and (r.b, s) not in busy

    def place(r: MeetingRequest, s: str) -> None:
        chosen[r.id] = s
        used[s] += 1
        busy[r.a, s] = busy[r.b, s] = r

    def unplace(r: MeetingRequest) -> str:
        s = chosen.pop(r.id)
        used[s] -= 1
        del busy[r.a, s], busy[r.b, s]
        return s

    def place_by_moving_one(r: MeetingRequest) -> bool:
        """Free a slot for ``r`` by moving the one meeting that blocks it to another slot."""
        for s in candidates[r.id]:
            blockers = {busy[p, s].id: busy[p, s] for p in (r.a, r.b) if (p, s) in busy}
            if len(blockers) != 1 or used[s] - 1 >= capacity[s]:
                continue
            (other,) = blockers.values()
            unplace(other)
            for s2 in candidates[other.id]:
                if s2 != s and fits(other, s2):
                    place(other, s2)
                    place(r, s)
                    return True
            place(other, s)
        return False

    def rank(r: MeetingRequest) -> tuple[int, bool, int, str]:
        return (-r.weight, r.id not in preferred, degree[r.a] + degree[r.b], r.id)

    for r in sorted(live, key=rank):
        free = next((s for s in candidates[r.id] if fits(r, s)), None)
        if free is not None:
            place(r, free)
        else:
            place_by_moving_one(r)
    return chosen
