"""The ``assign`` command end to end: files in, JSON summary and S.csv out, clear input errors."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from filiere.engine.cli import main as cli

AFFINITY = """proposal_id,expert_id,score
p1,a,0.9
p1,b,0.8
p1,c,0.1
p2,a,0.85
p2,b,0.2
p2,c,0.3
"""


@pytest.fixture(autouse=True)
def _only_assign(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatch only this command, so the test does not depend on the other commands' modules."""
    monkeypatch.setattr(cli, "COMMANDS", {"assign": "filiere.engine.cli.assign"})


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_assign(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str, affinity: str = AFFINITY
) -> tuple[int, dict[str, object], list[dict[str, str]], str]:
    out = tmp_path / "S.csv"
    argv = [
        "assign",
        "--affinity",
        write(tmp_path, "A.csv", affinity),
        "--reviews",
        "1",
        "--min-load",
        "0",
        "--max-load",
        "1",
        "--out",
        str(out),
        *extra,
    ]
    code = cli.main(argv)
    captured = capsys.readouterr()
    summary = json.loads(captured.out) if code == 0 else {}
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return code, summary, rows, captured.err


def test_cli_assign_writes_optimal_pairs_and_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary, rows, _ = run_assign(tmp_path, capsys)
    assert code == 0
    assert rows == [
        {"proposal_id": "p1", "expert_id": "b", "score": "0.8"},
        {"proposal_id": "p2", "expert_id": "a", "score": "0.85"},
    ]
    assert summary["status"] == "optimal"
    assert summary["mode"] == "optimal"
    assert summary["total_affinity"] == 1.65
    assert summary["min_proposal_affinity"] == 0.8
    assert summary["pairs"] == 2
    assert isinstance(summary["seconds"], float)


def test_cli_assign_conflicts_and_fair_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conflicts = write(tmp_path, "C.csv", "proposal_id,expert_id\np1,b\n")
    code, summary, rows, _ = run_assign(
        tmp_path, capsys, "--conflicts", conflicts, "--mode", "fair"
    )
    assert code == 0
    assert {(r["proposal_id"], r["expert_id"]) for r in rows} == {("p1", "a"), ("p2", "c")}
    assert summary["mode"] == "fair"
    assert summary["min_proposal_affinity"] == 0.3


def test_cli_assign_infeasible_exits_zero_with_diagnosis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, summary, rows, _ = run_assign(tmp_path, capsys, "--min-load", "1")
    assert code == 0
    assert summary["status"] == "infeasible"
    assert rows == []  # header only
    diagnosis = summary["diagnosis"]
    assert isinstance(diagnosis, list)
    assert diagnosis[0] == {
        "code": "min_loads_exceed_demand",
        "demand": 2,
        "min_load_total": 3,
        "excess": 1,
    }


def test_cli_assign_existing_forced_and_overrides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = write(tmp_path, "X.csv", "proposal_id,expert_id\np1,a\np2,c\n")
    forced = write(tmp_path, "F.csv", "proposal_id,expert_id\np2,b\n")
    reviews = write(tmp_path, "PR.csv", "proposal_id,reviews\np2,2\n")
    loads = write(tmp_path, "EL.csv", "expert_id,min_load,max_load\nc,0,2\n")
    code, summary, rows, _ = run_assign(
        tmp_path,
        capsys,
        "--existing",
        existing,
        "--churn-penalty",
        "1",
        "--forced",
        forced,
        "--proposal-reviews",
        reviews,
        "--expert-loads",
        loads,
    )
    assert code == 0, summary
    assert {(r["proposal_id"], r["expert_id"]) for r in rows} == {
        ("p1", "a"),
        ("p2", "b"),
        ("p2", "c"),
    }
    assert (summary["kept"], summary["dropped"]) == (2, 0)


@pytest.mark.parametrize(
    ("affinity", "message"),
    [
        ("proposal_id,expert_id\np1,a\n", "A.csv:1: missing column(s) score in header"),
        (
            "proposal_id,expert_id,score\np1,a,high\n",
            "A.csv:2: field 'score': 'high' is not a number",
        ),
        (
            "proposal_id,expert_id,score\np1,a,0.5\n,b,0.2\n",
            "A.csv:3: field 'proposal_id': a value is required",
        ),
        (
            "proposal_id,expert_id,score\np1,a,0.5\np1,a,0.2\n",
            "A.csv:3: pair (p1, a) listed twice",
        ),
    ],
)
def test_cli_assign_bad_input_exit_2_naming_file_line_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], affinity: str, message: str
) -> None:
    code, _, _, err = run_assign(tmp_path, capsys, affinity=affinity)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_cli_assign_bad_override_file_and_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loads = write(tmp_path, "EL.csv", "expert_id,min_load,max_load\nzz,0,2\n")
    code, _, _, err = run_assign(tmp_path, capsys, "--expert-loads", loads)
    assert code == 2
    assert "EL.csv:2: field 'expert_id': expert 'zz' is not in" in err
    code, _, _, err = run_assign(tmp_path, capsys, "--max-load", "-1")
    assert code == 2
    assert "--max-load" in err


def test_cli_assign_as_a_process(tmp_path: Path) -> None:
    out = tmp_path / "S.csv"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "filiere.engine",
            "assign",
            "--affinity",
            write(tmp_path, "A.csv", AFFINITY),
            "--reviews",
            "1",
            "--min-load",
            "0",
            "--max-load",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["status"] == "optimal"
    assert out.read_text(encoding="utf-8").splitlines()[0] == "proposal_id,expert_id,score"
