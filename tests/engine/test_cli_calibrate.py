"""``python -m filiere.engine calibrate`` end to end through the real dispatcher."""

import csv
import json

import pytest

from filiere.engine.calibration import simulate
from filiere.engine.cli import main as cli


@pytest.fixture
def run_cli(monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMANDS", {"calibrate": "filiere.engine.cli.calibrate"})

    def call(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cli_calibrate_writes_scores_with_intervals_best_first(tmp_path, run_cli) -> None:
    sim = simulate(4, n_proposals=30, n_reviewers=9)
    rows = "".join(f"{r.proposal_id},{r.expert_id},{r.score}\n" for r in sim.reviews)
    reviews = write(tmp_path / "v.csv", "proposal_id,expert_id,score\n" + rows)
    out = tmp_path / "q.csv"
    code, stdout, stderr = run_cli("calibrate", "--reviews", reviews, "--out", str(out))
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["status"] == "ok"
    assert (summary["reviews"], summary["proposals"], summary["experts"]) == (90, 30, 9)
    with out.open(encoding="utf-8") as handle:
        table = list(csv.DictReader(handle))
    assert list(table[0]) == ["proposal_id", "score", "low", "high"]
    assert len(table) == 30
    scores = [float(row["score"]) for row in table]
    assert scores == sorted(scores, reverse=True)
    assert all(float(r["low"]) <= float(r["score"]) <= float(r["high"]) for r in table)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("proposal_id,score\nP1,3\n", "v.csv:1: missing column(s) expert_id"),
        ("proposal_id,expert_id,score\nP1,E1,abc\n", "v.csv:2: field 'score': 'abc' is not"),
        ("proposal_id,expert_id,score\nP1,,3\n", "v.csv:2: field 'expert_id': a value is"),
        (
            "proposal_id,expert_id,score\nP1,E1,3\nP1,E1,4\n",
            "v.csv:3: field 'expert_id': second score by expert 'E1'",
        ),
        ("proposal_id,expert_id,score\n", "v.csv: no reviews in file"),
    ],
)
def test_cli_calibrate_bad_input_names_file_line_and_field(
    tmp_path, run_cli, content, message
) -> None:
    reviews = write(tmp_path / "v.csv", content)
    code, stdout, stderr = run_cli(
        "calibrate", "--reviews", reviews, "--out", str(tmp_path / "q.csv")
    )
    assert code == 2
    assert stdout == ""
    assert message in stderr
    assert "Traceback" not in stderr


def test_cli_calibrate_missing_file_is_a_clear_error(tmp_path, run_cli) -> None:
    code, _, stderr = run_cli(
        "calibrate", "--reviews", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "q.csv")
    )
    assert code == 2
    assert "nope.csv: cannot read file" in stderr
