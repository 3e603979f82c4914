"""``python -m filiere.engine select`` end to end through the real dispatcher."""

import csv
import json

import pytest

from filiere.engine.cli import main as cli

PROPOSALS = """id,score,amount,organisation,genre,territory,partner
A,18,50000,O1,fiction,hdf,
B,17,40000,O1,documentary,hdf,
C,15,30000,O2,documentary,wallonia,wallonia
D,14,60000,O3,games,flanders,
E,12,20000,O4,animation,hdf,wallonia
F,9,10000,O5,fiction,hdf,
"""
RULES = {
    "objective": "ranked",
    "min_score": 10,
    "max_per_organisation": 1,
    "quotas": [{"field": "genre", "value": "animation", "min_count": 1}],
}


@pytest.fixture
def run_cli(monkeypatch, capsys):
    monkeypatch.setattr(cli, "COMMANDS", {"select": "filiere.engine.cli.select"})

    def call(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


@pytest.fixture
def files(tmp_path):
    proposals = tmp_path / "s.csv"
    proposals.write_text(PROPOSALS, encoding="utf-8")
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES), encoding="utf-8")
    return str(proposals), str(rules), str(tmp_path / "d.csv")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_cli_select_writes_decisions_and_compares_with_the_ranked_list(files, run_cli) -> None:
    proposals, rules, out = files
    code, stdout, stderr = run_cli(
        "select", "--proposals", proposals, "--budget", "130000", "--rules", rules, "--out", out
    )
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["status"] == "optimal"
    assert summary["objective"] == "ranked"
    assert summary["total_amount"] == 100000.0
    assert summary["ranked_list"]["selected"] == 3
    assert summary["ranked_list"]["cutoff_rank"] == 4
    assert {(c["id"], c["change"], c["forced_by"]) for c in summary["changes"]} == {
        ("B", "dropped", "max_per_organisation"),
        ("E", "added", "quota"),
    }
    table = read(out)
    assert list(table[0]) == ["id", "selected", "amount", "reason"]
    assert [(r["id"], r["selected"], r["reason"]) for r in table] == [
        ("A", "1", "funded"),
        ("B", "0", "max_per_organisation:O1"),
        ("C", "1", "funded"),
        ("D", "0", "envelope_exhausted:30000.00"),
        ("E", "1", "funded"),
        ("F", "0", "below_min_score:10"),
    ]


def test_cli_select_what_if_and_objective_override(files, run_cli) -> None:
    proposals, rules, out = files
    code, stdout, _ = run_cli(
        "select", "--proposals", proposals, "--budget", "130000", "--rules", rules,
        "--out", out, "--force-in", "D", "--force-out", "A", "--objective", "merit",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(stdout)
    assert summary["objective"] == "merit"
    decided = {r["id"]: r["reason"] for r in read(out)}
    assert decided["D"] == "forced_in" and decided["A"] == "forced_out"


def test_cli_select_without_rules_is_the_plain_merit_optimum(files, run_cli) -> None:
    proposals, _, out = files
    code, stdout, _ = run_cli("select", "--proposals", proposals, "--budget", "60000", "--out", out)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["objective"] == "merit"
    assert {r["id"] for r in read(out) if r["selected"] == "1"} == {"C", "E", "F"}


def test_cli_select_infeasible_rules_give_a_diagnosis_not_a_traceback(
    tmp_path, files, run_cli
) -> None:
    proposals, _, out = files
    rules = tmp_path / "strict.json"
    rules.write_text(
        json.dumps({"quotas": [{"field": "genre", "value": "games", "min_count": 3}]}),
        encoding="utf-8",
    )
    code, stdout, stderr = run_cli(
        "select", "--proposals", proposals, "--budget", "1e6", "--rules", str(rules), "--out", out
    )
    assert code == 0, stderr
    summary = json.loads(stdout)
    assert summary["status"] == "infeasible"
    assert summary["diagnosis"] == [
        {
            "code": "quota_min_count",
            "rule": "genre=games",
            "limit": 3.0,
            "achievable": 1.0,
            "shortfall": 2.0,
        }
    ]
    assert {r["reason"] for r in read(out)} == {"infeasible"}


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"quota": []}, "rules.json: field 'quota': unknown key"),
        ({"max_per_organisation": "one"}, "field 'max_per_organisation': must be a non-negative"),
        ({"quotas": [{"field": "genre", "value": "x", "min": 1}]}, "field 'quotas[0].min'"),
        ({"quotas": [{"field": "genre", "value": "x"}]}, "field 'quotas[0]': needs at least"),
        ({"quotas": [{"field": "genre", "value": "x", "min_count": 1.5}]}, "quotas[0].min_count"),
        ({"objective": "lottery"}, "field 'objective': must be one of merit"),
        ({"forced_in": ["Z"]}, "field 'forced_in': unknown proposal id(s) Z"),
        ({"cofunders": [{"name": "W", "amount": 10, "field": "partner", "values": "x"}]},
         "field 'cofunders[0].values': must be a list of strings"),
        ({"min_score": True}, "field 'min_score': must be a number"),
    ],
)  # fmt: skip
def test_cli_select_rules_errors_are_clear(tmp_path, files, run_cli, rules, message) -> None:
    proposals, _, out = files
    path = tmp_path / "rules.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    code, stdout, stderr = run_cli(
        "select", "--proposals", proposals, "--budget", "1000", "--rules", str(path), "--out", out
    )
    assert code == 2
    assert stdout == ""
    assert message in stderr
    assert "Traceback" not in stderr


def test_cli_select_invalid_json_names_the_line(tmp_path, files, run_cli) -> None:
    proposals, _, out = files
    path = tmp_path / "rules.json"
    path.write_text('{\n  "min_score": 3,\n}\n', encoding="utf-8")
    code, _, stderr = run_cli(
        "select", "--proposals", proposals, "--budget", "1000", "--rules", str(path), "--out", out
    )
    assert code == 2
    assert "rules.json:3: invalid JSON" in stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,score,amount,organisation,genre\nA,1,2,O,g\n", "s.csv:1: missing column(s) territory"),
        ("id,score,amount,organisation,genre,territory\nA,x,2,O,g,t\n", "s.csv:2: field 'score'"),
        ("id,score,amount,organisation,genre,territory\nA,1,0,O,g,t\n", "s.csv:2: field 'amount'"),
        (
            "id,score,amount,organisation,genre,territory\nA,1,2,O,g,t\nA,1,2,O,g,t\n",
            "s.csv:3: field 'id': duplicate id 'A'",
        ),
    ],
)
def test_cli_select_bad_proposals_name_file_line_and_field(
    tmp_path, run_cli, content, message
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    code, _, stderr = run_cli(
        "select", "--proposals", str(path), "--budget", "10", "--out", str(tmp_path / "d.csv")
    )
    assert code == 2
    assert message in stderr


def test_cli_select_bad_budget(files, run_cli) -> None:
    proposals, _, out = files
    code, _, stderr = run_cli("select", "--proposals", proposals, "--budget", "lots", "--out", out)
    assert code == 2
    assert "--budget: 'lots' is not a number" in stderr
