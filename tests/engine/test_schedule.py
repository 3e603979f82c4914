"""One-to-one meeting schedule: rules held, optimum checked by enumeration, reasons, CLI."""

from __future__ import annotations

import csv
import itertools
import json
import random
from collections import Counter

import pytest

from filiere.engine import schedule as schedule_module
from filiere.engine.cli import main as cli
from filiere.engine.schedule import (
    CAPACITY,
    NO_COMMON_SLOT,
    PARTICIPANT_UNAVAILABLE,
    MeetingRequest,
    Participant,
    ScheduledMeeting,
    ScheduleError,
    ScheduleResult,
    Slot,
    Unscheduled,
    schedule,
)


def people(*ids: str, off: dict[str, set[str]] | None = None) -> list[Participant]:
    off = off or {}
    return [Participant(i, frozenset(off.get(i, set()))) for i in ids]


def slots(n: int) -> list[Slot]:
    return [Slot(f"s{k}", order=k) for k in range(n)]


def check_rules(
    result: ScheduleResult,
    participants: list[Participant],
    slot_list: list[Slot],
    requests: list[MeetingRequest],
    tables: int,
) -> None:
    """Nobody twice in a slot, availability held, tables held, each request at most once."""
    by_id = {r.id: r for r in requests}
    off = {p.id: p.unavailable for p in participants}
    capacity = {s.id: tables if s.tables is None else s.tables for s in slot_list}
    seen_people: set[tuple[str, str]] = set()
    seen_tables: set[tuple[str, int]] = set()
    per_slot: Counter[str] = Counter()
    ids = [m.request for m in result.meetings]
    assert len(ids) == len(set(ids))
    for m in result.meetings:
        r = by_id[m.request]
        for person in (r.a, r.b):
            assert (person, m.slot) not in seen_people
            seen_people.add((person, m.slot))
            assert m.slot not in off[person]
        assert 1 <= m.table <= capacity[m.slot]
        assert (m.slot, m.table) not in seen_tables
        seen_tables.add((m.slot, m.table))
        per_slot[m.slot] += 1
    assert all(per_slot[s] <= capacity[s] for s in per_slot)
    assert set(ids) | {u.request for u in result.unscheduled} == set(by_id)
    assert not set(ids) & {u.request for u in result.unscheduled}
    assert result.objective_value == sum(by_id[i].weight for i in ids)


def brute_force(
    participants: list[Participant],
    slot_list: list[Slot],
    requests: list[MeetingRequest],
    tables: int,
) -> int:
    """Best total weight over every assignment of each request to a slot or to nothing."""
    off = {p.id: p.unavailable for p in participants}
    best = 0
    for choice in itertools.product([None, *slot_list], repeat=len(requests)):
        busy: set[tuple[str, str]] = set()
        used: Counter[str] = Counter()
        value = 0
        for r, s in zip(requests, choice, strict=True):
            if s is None:
                continue
            if s.id in off[r.a] or s.id in off[r.b]:
                break
            if (r.a, s.id) in busy or (r.b, s.id) in busy:
                break
            used[s.id] += 1
            if used[s.id] > (tables if s.tables is None else s.tables):
                break
            busy.update(((r.a, s.id), (r.b, s.id)))
            value += r.weight
        else:
            best = max(best, value)
    return best


def test_a_person_is_never_in_two_meetings_at_once() -> None:
    ps = people("ann", "bob", "cy", "dee")
    reqs = [
        MeetingRequest("r1", "ann", "bob"),
        MeetingRequest("r2", "ann", "cy"),
        MeetingRequest("r3", "ann", "dee"),
    ]
    result = schedule(ps, slots(2), reqs, tables=5)
    check_rules(result, ps, slots(2), reqs, 5)
    assert result.status == "optimal"
    assert result.objective_value == 2  # ann has two slots
    assert [u.reason for u in result.unscheduled] == [CAPACITY]


def test_unavailable_slots_are_respected_and_reasons_given() -> None:
    ps = people(
        "ann", "bob", "cy", "dee", "eve",
        off={"ann": {"s0"}, "bob": {"s1"}, "eve": {"s0", "s1"}},
    )  # fmt: skip
    reqs = [
        MeetingRequest("ab", "ann", "bob"),  # ann only s1, bob only s0
        MeetingRequest("ae", "ann", "eve"),  # eve never available
        MeetingRequest("ac", "ann", "cy"),
        MeetingRequest("bd", "bob", "dee"),
    ]
    result = schedule(ps, slots(2), reqs, tables=3)
    check_rules(result, ps, slots(2), reqs, 3)
    placed = {m.request: m.slot for m in result.meetings}
    assert placed == {"ac": "s1", "bd": "s0"}
    reasons = {u.request: u.reason for u in result.unscheduled}
    assert reasons == {"ab": NO_COMMON_SLOT, "ae": PARTICIPANT_UNAVAILABLE}


def test_tables_limit_meetings_per_slot_and_a_slot_may_have_its_own_count() -> None:
    ps = people(*[f"p{i}" for i in range(8)])
    reqs = [MeetingRequest(f"r{i}", f"p{2 * i}", f"p{2 * i + 1}") for i in range(4)]
    one_slot = [Slot("s0")]
    result = schedule(ps, one_slot, reqs, tables=3)
    check_rules(result, ps, one_slot, reqs, 3)
    assert result.objective_value == 3
    assert sorted(m.table for m in result.meetings) == [1, 2, 3]
    assert [u.reason for u in result.unscheduled] == [CAPACITY]
    two = [Slot("s0", tables=1), Slot("s1", tables=0)]
    result = schedule(ps, two, reqs, tables=3)
    check_rules(result, ps, two, reqs, 3)
    assert result.objective_value == 1
    assert [m.slot for m in result.meetings] == ["s0"]


def test_weights_prefer_the_heavier_request() -> None:
    ps = people("ann", "bob", "cy")
    reqs = [MeetingRequest("light", "ann", "bob"), MeetingRequest("heavy", "ann", "cy", 3)]
    result = schedule(ps, slots(1), reqs, tables=2)
    assert [m.request for m in result.meetings] == ["heavy"]
    assert result.objective_value == 3
    assert result.bound == 3
    assert result.gap == 0.0


@pytest.mark.parametrize("seed", range(12))
def test_optimum_equals_brute_force_on_small_random_events(seed: int) -> None:
    rng = random.Random(seed)
    n_people, n_slots = rng.randint(3, 5), rng.randint(1, 3)
    ids = [f"p{i}" for i in range(n_people)]
    slot_list = slots(n_slots)
    ps = [Participant(i, frozenset(s.id for s in slot_list if rng.random() < 0.25)) for i in ids]
    pairs = rng.sample(list(itertools.combinations(ids, 2)), k=min(6, n_people))
    reqs = [
        MeetingRequest(f"r{k}", a, b, weight=rng.randint(1, 3)) for k, (a, b) in enumerate(pairs)
    ]
    tables = rng.randint(1, 2)
    result = schedule(ps, slot_list, reqs, tables=tables, seed=seed)
    check_rules(result, ps, slot_list, reqs, tables)
    assert result.status == "optimal"
    assert result.solver_status == "OPTIMAL"
    assert result.objective_value == result.bound
    assert result.objective_value == brute_force(ps, slot_list, reqs, tables)


def test_same_input_gives_the_same_schedule() -> None:
    rng = random.Random(5)
    ids = [f"p{i}" for i in range(30)]
    ps = people(*ids)
    pairs = rng.sample(list(itertools.combinations(ids, 2)), k=80)
    reqs = [MeetingRequest(f"r{k}", a, b) for k, (a, b) in enumerate(pairs)]
    first = schedule(ps, slots(4), reqs, tables=6)
    second = schedule(ps, slots(4), reqs, tables=6)
    check_rules(first, ps, slots(4), reqs, 6)
    assert first.meetings == second.meetings
    assert first.status == "optimal"


def test_a_short_time_limit_still_gives_a_valid_schedule_and_a_proven_bound() -> None:
    rng = random.Random(9)
    ids = [f"p{i}" for i in range(120)]
    slot_list = slots(6)
    ps = [Participant(i, frozenset(s.id for s in slot_list if rng.random() < 0.2)) for i in ids]
    hubs = ids[:6]  # popular guests: far more requests than slots
    pairs = {tuple(sorted((rng.choice(hubs), rng.choice(ids)))) for _ in range(300)}
    pairs |= {tuple(sorted(rng.sample(ids, 2))) for _ in range(480)}
    reqs = [MeetingRequest(f"r{k}", a, b) for k, (a, b) in enumerate(sorted(pairs)) if a != b]
    result = schedule(ps, slot_list, reqs, tables=60, time_limit=0.5)
    check_rules(result, ps, slot_list, reqs, 60)
    assert result.status in ("optimal", "feasible")
    # The agendas bind here: usually not proven optimal in half a second.
    assert result.objective_value <= result.bound <= 6 * 60
    assert result.gap == (result.bound - result.objective_value) / result.bound
    assert result.objective_value > 0.8 * result.bound
    assert (result.status == "optimal") == (result.objective_value == result.bound)


@pytest.mark.parametrize("seed", range(5))
def test_the_starting_schedule_kept_when_time_runs_out_holds_every_rule(seed: int) -> None:
    rng = random.Random(seed)
    ids = [f"p{i}" for i in range(40)]
    slot_list = slots(4)
    ps = [Participant(i, frozenset(s.id for s in slot_list if rng.random() < 0.3)) for i in ids]
    pairs = rng.sample(list(itertools.combinations(ids, 2)), k=150)
    reqs = [MeetingRequest(f"r{k}", a, b) for k, (a, b) in enumerate(pairs)]
    free = {p.id: [s.id for s in slot_list if s.id not in p.unavailable] for p in ps}
    candidates = {
        r.id: [s for s in free[r.a] if s in free[r.b]]
        for r in reqs
        if set(free[r.a]) & set(free[r.b])
    }
    live = [r for r in reqs if r.id in candidates]
    chosen = schedule_module._greedy(live, candidates, {s.id: 8 for s in slot_list})
    tables: Counter[str] = Counter()
    meetings = []
    for r in live:
        if r.id in chosen:
            tables[chosen[r.id]] += 1
            meetings.append(ScheduledMeeting(r.id, chosen[r.id], tables[chosen[r.id]]))
    left = tuple(Unscheduled(r.id, CAPACITY) for r in reqs if r.id not in chosen)
    as_result = ScheduleResult(
        "feasible", tuple(meetings), left, len(meetings), len(reqs), "UNKNOWN", 0.0
    )
    check_rules(as_result, ps, slot_list, reqs, 8)
    assert len(meetings) > 0


def test_nothing_to_schedule_is_optimal_and_empty() -> None:
    result = schedule(people("ann"), slots(2), [], tables=2)
    assert (result.status, result.meetings, result.objective_value) == ("optimal", (), 0)
    result = schedule(people("a", "b"), slots(2), [MeetingRequest("r", "a", "b")], tables=0)
    assert [u.reason for u in result.unscheduled] == [PARTICIPANT_UNAVAILABLE]


@pytest.mark.parametrize(
    ("participants", "slot_list", "requests", "tables", "code"),
    [
        (people("a", "a"), slots(1), [], 1, "duplicate_participant"),
        (people("a"), [Slot("s"), Slot("s")], [], 1, "duplicate_slot"),
        (people("a", off={"a": {"nope"}}), slots(1), [], 1, "unknown_slot"),
        (people("a"), slots(1), [MeetingRequest("r", "a", "z")], 1, "unknown_participant"),
        (people("a"), slots(1), [MeetingRequest("r", "a", "a")], 1, "self_meeting"),
        (people("a", "b"), slots(1), [MeetingRequest("r", "a", "b", 0)], 1, "bad_weight"),
        (
            people("a", "b"),
            slots(1),
            [MeetingRequest("r", "a", "b"), MeetingRequest("r", "a", "b")],
            1,
            "duplicate_request",
        ),
        (
            people("a", "b"),
            slots(1),
            [MeetingRequest("r1", "a", "b"), MeetingRequest("r2", "b", "a")],
            1,
            "duplicate_pair",
        ),
        (people("a"), slots(1), [], -1, "negative_tables"),
        (people("a"), [Slot("s", tables=-2)], [], 1, "negative_tables"),
    ],
)
def test_invalid_input_is_refused_with_a_code(
    participants: list[Participant],
    slot_list: list[Slot],
    requests: list[MeetingRequest],
    tables: int,
    code: str,
) -> None:
    with pytest.raises(ScheduleError) as raised:
        schedule(participants, slot_list, requests, tables)
    assert raised.value.code == code


def test_bad_solver_settings_are_refused() -> None:
    with pytest.raises(ScheduleError) as raised:
        schedule(people("a"), slots(1), [], 1, time_limit=0)
    assert raised.value.code == "bad_time_limit"
    with pytest.raises(ScheduleError) as raised:
        schedule(people("a"), slots(1), [], 1, num_workers=0)
    assert raised.value.code == "bad_num_workers"


# --------------------------------------------------------------------------- command line

PARTICIPANTS = """id,unavailable
ann,
bob,s1
cy,
dee,s1;s2
eve,s1;s2
"""
SLOTS = """id,order,label,tables
s1,1,09:00,
s2,2,09:30,1
"""
REQUESTS = """id,a,b,weight
r1,ann,bob,
r2,ann,cy,2
r3,bob,cy,
r4,dee,eve,
r5,cy,dee,
"""


@pytest.fixture
def event_files(tmp_path):
    paths = {}
    for name, text in (("p", PARTICIPANTS), ("s", SLOTS), ("r", REQUESTS)):
        path = tmp_path / f"{name}.csv"
        path.write_text(text, encoding="utf-8")
        paths[name] = str(path)
    paths["out"] = str(tmp_path / "m.csv")
    return paths


def run_cli(capsys, files, *extra):
    argv = [
        "schedule",
        "--participants", files["p"],
        "--slots", files["s"],
        "--requests", files["r"],
        "--tables", "2",
        "--out", files["out"],
        *extra,
    ]  # fmt: skip
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_schedule_writes_one_row_per_request_and_a_summary(capsys, event_files) -> None:
    code, stdout, stderr = run_cli(capsys, event_files)
    assert code == 0, stderr
    summary = json.loads(stdout)
    # bob is only free in s2 (one table); dee and eve have no slot; ann-cy weighs 2.
    assert summary["command"] == "schedule"
    assert summary["status"] == "optimal"
    assert summary["objective_value"] == summary["bound"] == 3
    assert summary["gap"] == 0
    assert summary["reasons"] == {PARTICIPANT_UNAVAILABLE: 2, CAPACITY: 1}
    with open(event_files["out"], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["request_id"] for r in rows] == ["r1", "r2", "r3", "r4", "r5"]
    placed = {r["request_id"]: (r["slot"], r["table"]) for r in rows if not r["reason"]}
    assert placed["r2"][0] == "s1"
    assert len(placed) == 2
    assert {r["request_id"]: r["reason"] for r in rows if r["reason"]}.keys() >= {"r4", "r5"}
    assert summary["scheduled"] == len(placed)


def test_cli_schedule_bad_input_exits_2_naming_file_line_and_field(
    capsys, event_files, tmp_path
) -> None:
    (tmp_path / "r.csv").write_text("id,a,b\nr1,ann,zed\n", encoding="utf-8")
    code, stdout, stderr = run_cli(capsys, event_files)
    assert code == 2
    assert stdout == ""
    assert "r.csv:2: field 'b': unknown participant 'zed'" in stderr
    (tmp_path / "p.csv").write_text("id,unavailable\nann,s9\n", encoding="utf-8")
    code, _, stderr = run_cli(capsys, event_files)
    assert code == 2
    assert "p.csv:2: field 'unavailable': unknown slot id(s) s9" in stderr
    code, _, stderr = run_cli(capsys, event_files, "--time-limit", "0")
    assert code == 2
    assert "--time-limit" in stderr
