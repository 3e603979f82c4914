"""Schedule accepted one-to-one meetings into slots and tables (CP-SAT), proven optimal or gap.

``schedule --participants P.csv --slots S.csv --requests R.csv --tables N --out M.csv`` reads
``id,unavailable`` (slot ids separated by ``;``), ``id,order`` (optional ``label``, ``tables``)
and ``id,a,b`` (optional ``weight``), and writes ``request_id,a,b,slot,table,reason``, one row
per request. See docs/engine/cli.md and docs/engine/schedule.md.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any

from filiere.engine.cli.errors import InputError
from filiere.engine.cli.io import number, read_csv, required_text, write_csv
from filiere.engine.schedule import (
    MeetingRequest,
    Participant,
    ScheduleError,
    ScheduleResult,
    Slot,
    schedule,
)

OUT_COLUMNS = ("request_id", "a", "b", "slot", "table", "reason")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--participants", required=True, help="CSV: id,unavailable (ids by ;)")
    parser.add_argument("--slots", required=True, help="CSV: id,order[,label][,tables]")
    parser.add_argument("--requests", required=True, help="CSV: id,a,b[,weight]")
    parser.add_argument("--tables", required=True, type=int, help="tables per slot")
    parser.add_argument("--out", required=True, help="CSV written: " + ",".join(OUT_COLUMNS))
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    parser.add_argument("--workers", type=int, default=1, help="solver threads (default 1)")
    parser.add_argument("--seed", type=int, default=0, help="solver seed (default 0)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    if args.tables < 0:
        raise InputError("--tables", "must be at least 0")
    if not args.time_limit > 0:
        raise InputError("--time-limit", "must be greater than 0")
    if args.workers < 1:
        raise InputError("--workers", "must be at least 1")
    slots = read_slots(args.slots)
    participants = read_participants(args.participants, {s.id for s in slots})
    requests = read_requests(args.requests, {p.id for p in participants})
    try:
        result = schedule(
            participants,
            slots,
            requests,
            args.tables,
            time_limit=args.time_limit,
            num_workers=args.workers,
            seed=args.seed,
        )
    except ScheduleError as error:
        raise InputError(args.requests, f"cannot schedule ({error.code}: {error.params})") from None
    placed = {m.request: m for m in result.meetings}
    reasons = {u.request: u.reason for u in result.unscheduled}
    rows: list[tuple[str, str, str, str, int | str, str]] = []
    for r in requests:
        meeting = placed.get(r.id)
        if meeting is None:
            rows.append((r.id, r.a, r.b, "", "", reasons[r.id]))
        else:
            rows.append((r.id, r.a, r.b, meeting.slot, meeting.table, ""))
    write_csv(args.out, OUT_COLUMNS, rows)
    return summary(result, args.out)


def summary(result: ScheduleResult, out: str) -> dict[str, Any]:
    return {
        "command": "schedule",
        "status": result.status,
        "solver_status": result.solver_status,
        "scheduled": len(result.meetings),
        "unscheduled": len(result.unscheduled),
        "objective_value": result.objective_value,
        "bound": result.bound,
        "gap": round(result.gap, 6),
        "reasons": dict(Counter(u.reason for u in result.unscheduled)),
        "seconds": round(result.seconds, 3),
        "out": out,
    }


def read_slots(path: str) -> list[Slot]:
    slots: list[Slot] = []
    seen: dict[str, int] = {}
    for line, row in read_csv(path, ("id", "order")):
        sid = required_text(path, line, "id", row["id"])
        if sid in seen:
            raise InputError(path, f"duplicate id '{sid}' (first on line {seen[sid]})", line, "id")
        seen[sid] = line
        tables = None
        if (row.get("tables") or "").strip():
            tables = _integer(path, line, "tables", row["tables"])
        slots.append(
            Slot(
                id=sid,
                order=_integer(path, line, "order", row["order"], allow_negative=True),
                label=(row.get("label") or "").strip(),
                tables=tables,
            )
        )
    if not slots:
        raise InputError(path, "no slots in file")
    return slots


def read_participants(path: str, slot_ids: set[str]) -> list[Participant]:
    participants: list[Participant] = []
    seen: dict[str, int] = {}
    for line, row in read_csv(path, ("id", "unavailable")):
        pid = required_text(path, line, "id", row["id"])
        if pid in seen:
            raise InputError(path, f"duplicate id '{pid}' (first on line {seen[pid]})", line, "id")
        seen[pid] = line
        off = frozenset(s.strip() for s in (row["unavailable"] or "").split(";") if s.strip())
        unknown = sorted(off - slot_ids)
        if unknown:
            raise InputError(
                path, f"unknown slot id(s) {', '.join(unknown)}", line=line, field="unavailable"
            )
        participants.append(Participant(pid, off))
    return participants


def read_requests(path: str, people: set[str]) -> list[MeetingRequest]:
    requests: list[MeetingRequest] = []
    seen: dict[str, int] = {}
    pairs: dict[frozenset[str], int] = {}
    for line, row in read_csv(path, ("id", "a", "b")):
        rid = required_text(path, line, "id", row["id"])
        if rid in seen:
            raise InputError(path, f"duplicate id '{rid}' (first on line {seen[rid]})", line, "id")
        seen[rid] = line
        a = required_text(path, line, "a", row["a"])
        b = required_text(path, line, "b", row["b"])
        for name, person in (("a", a), ("b", b)):
            if person not in people:
                raise InputError(path, f"unknown participant '{person}'", line=line, field=name)
        if a == b:
            raise InputError(path, "a participant cannot meet themselves", line=line, field="b")
        pair = frozenset((a, b))
        if pair in pairs:
            raise InputError(
                path, f"same two participants as line {pairs[pair]}", line=line, field="b"
            )
        pairs[pair] = line
        weight = 1
        if (row.get("weight") or "").strip():
            weight = _integer(path, line, "weight", row["weight"])
            if weight < 1:
                raise InputError(path, "must be at least 1", line=line, field="weight")
        requests.append(MeetingRequest(rid, a, b, weight))
    return requests


def _integer(
    path: str, line: int, field: str, raw: str | None, *, allow_negative: bool = False
) -> int:
    value = number(path, line, field, raw, minimum=None if allow_negative else 0)
    if value != int(value):
        raise InputError(path, "must be a whole number", line=line, field=field)
    return int(value)
