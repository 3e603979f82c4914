"""``python -m filiere.engine tranches | spend | de-minimis`` end to end through the dispatcher."""

import csv
import json
import re
from pathlib import Path

import pytest

from filiere.engine.cli import main as cli

INVOICES = """amount,eligible,category
100000,true,crew
35000,yes,studio
12000,false,crew
"""
AIDS = """company,granted_on,amount,source
acme,2023-03-15,100000,too old
acme,2023-03-16,150000,Pictanovo
acme,2026-01-10,20000,declared
other,2025-01-01,99999,
"""


@pytest.fixture
def run_cli(capsys):
    def call(*argv):
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, (json.loads(out) if code == 0 else out), err

    return call


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def read(path):
    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_award_command_is_listed_in_the_help(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    listed = capsys.readouterr().out
    for command in ("tranches", "spend", "de-minimis"):
        assert command in listed


# --- tranches -------------------------------------------------------------------------------------


def test_tranches_of_one_total_are_printed(run_cli):
    code, summary, _ = run_cli("tranches", "--total", "100000.01", "--shares", "50,30,20")
    assert code == 0
    assert summary["amounts"] == ["50000.00", "30000.00", "20000.01"]
    assert summary["total"] == "100000.01"
    assert summary["status"] == "ok"


def test_tranches_of_a_file_of_awards(tmp_path, run_cli):
    awards = write(tmp_path, "a.csv", "id,amount,shares\nA1,100000.01,\nA2,35000,40;60\n")
    out = str(tmp_path / "t.csv")
    code, summary, _ = run_cli("tranches", "--awards", awards, "--shares", "50,30,20", "--out", out)
    assert code == 0
    assert (summary["awards"], summary["tranches"], summary["total"]) == (2, 5, "135000.01")
    assert [tuple(row.values()) for row in read(out)] == [
        ("A1", "1", "50", "50000.00"),
        ("A1", "2", "30", "30000.00"),
        ("A1", "3", "20", "20000.01"),
        ("A2", "1", "40", "14000.00"),
        ("A2", "2", "60", "21000.00"),
    ]


def test_tranches_read_json_lines(tmp_path, run_cli):
    awards = write(tmp_path, "a.jsonl", '{"id": "A1", "amount": 999.99, "shares": "50;50"}\n')
    out = str(tmp_path / "t.csv")
    code, _, _ = run_cli("tranches", "--awards", awards, "--out", out)
    assert code == 0
    assert [row["amount"] for row in read(out)] == ["499.99", "500.00"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,amount,shares\nA1,100,50;60\n", "a.csv:2: field 'shares': shares_not_100 (total=110)"),
        ("id,amount,shares\nA1,100,\n", "a.csv:2: field 'shares': no shares here and no --shares"),
        (
            "id,amount,shares\nA1,10.001,100\n",
            "a.csv:2: field 'amount': at most two decimals (cents)",
        ),
        ("id,amount\nA1,1 000\n", "a.csv:2: field 'amount': '1 000' is not an amount"),
        ("id,amount\nA1,-5\n", "a.csv:2: field 'amount': must not be negative"),
        (
            "id,amount,shares\nA1,5,100\nA1,6,100\n",
            "a.csv:3: field 'id': duplicate id 'A1' (first on line 2)",
        ),
        ("id\nA1\n", "a.csv:1: missing column(s) amount in header"),
    ],
)
def test_bad_award_files_name_the_line_and_leave_no_file(tmp_path, run_cli, text, message):
    awards = write(tmp_path, "a.csv", text)
    out = tmp_path / "t.csv"
    code, stdout, stderr = run_cli("tranches", "--awards", awards, "--out", str(out))
    assert code == 2
    assert stdout == ""
    assert stderr.strip().endswith(message)
    assert "Traceback" not in stderr
    assert not out.exists()


def test_tranches_refuse_shares_that_do_not_make_100(run_cli):
    code, _, stderr = run_cli("tranches", "--total", "100", "--shares", "50,40.5")
    assert code == 2
    assert stderr.strip() == "error: --shares: shares_not_100 (total=90.5)"


# --- spend ----------------------------------------------------------------------------------------


def test_spend_shows_the_documented_computation(tmp_path, run_cli):
    invoices = write(tmp_path, "i.csv", INVOICES)
    code, summary, _ = run_cli(
        "spend", "--invoices", invoices, "--award", "100000", "--final-tranche", "20000",
        "--ratio", "1.5",
    )  # fmt: skip
    assert code == 0
    assert summary == {
        "command": "spend",
        "status": "missed",
        "invoices": 3,
        "award": "100000.00",
        "required": "150000.00",
        "declared_spend": "147000.00",
        "eligible_spend": "135000.00",
        "ratio": "1.3500",
        "met": False,
        "shortfall": "15000.00",
        "computed_reduction": "10000.00",
        "award_reduction": "10000.00",
        "award_after": "90000.00",
        "final_tranche_before": "20000.00",
        "final_tranche": "10000.00",
        "eligible_by_category": {"crew": "100000.00", "studio": "35000.00"},
        "steps": [
            "eligible_spend_summed",
            "required_from_ratio",
            "requirement_missed",
            "award_reduced_proportionally",
            "final_tranche_reduced",
        ],
    }


def test_spend_met_and_the_none_rule(tmp_path, run_cli):
    invoices = write(tmp_path, "i.csv", INVOICES)
    code, summary, _ = run_cli(
        "spend", "--invoices", invoices, "--award", "100000", "--final-tranche", "20000",
        "--ratio", "1",
    )  # fmt: skip
    assert (code, summary["status"], summary["final_tranche"]) == (0, "met", "20000.00")
    code, summary, _ = run_cli(
        "spend", "--invoices", invoices, "--award", "100000", "--final-tranche", "20000",
        "--ratio", "2", "--reduction", "none",
    )  # fmt: skip
    assert summary["status"] == "missed"
    assert summary["shortfall"] == "65000.00"
    assert summary["award_reduction"] == "0.00"
    assert summary["steps"][-1] == "no_reduction_rule"


def test_spend_with_a_floor(tmp_path, run_cli):
    invoices = write(tmp_path, "i.csv", INVOICES)
    code, summary, _ = run_cli(
        "spend", "--invoices", invoices, "--award", "100000", "--final-tranche", "50000",
        "--ratio", "1", "--floor", "270000",
    )  # fmt: skip
    assert code == 0
    assert summary["required"] == "270000.00"
    assert summary["award_reduction"] == "50000.00"  # 100 000 x 135 000 / 270 000
    assert "required_from_floor" in summary["steps"]


@pytest.mark.parametrize(
    ("invoices", "options", "message"),
    [
        (INVOICES, ("--final-tranche", "200000"), "final_tranche_above_award"),
        (INVOICES, ("--ratio", "0"), "error: --ratio: required_ratio_not_positive (value=0)"),
        (INVOICES, ("--ratio", "1e3"), "error: --ratio: required_ratio_too_large"),
        (INVOICES, ("--award", "0"), "error: --award: award_not_positive"),
        (INVOICES, ("--ratio", "lots"), "error: --ratio: 'lots' is not a number"),
        ("amount,eligible\n10,maybe\n", (), "i.csv:2: field 'eligible': 'maybe' is not true"),
        ("amount\n10\n", (), "i.csv:1: missing column(s) eligible in header"),
    ],
)
def test_bad_spend_input_exits_2_with_one_line(tmp_path, run_cli, invoices, options, message):
    path = write(tmp_path, "i.csv", invoices)
    base = {"--award": "100000", "--final-tranche": "20000", "--ratio": "1.5"}
    for key, value in zip(options[::2], options[1::2], strict=True):
        base[key] = value
    argv = ["spend", "--invoices", path]
    for key, value in base.items():
        argv += [key, value]
    code, _, stderr = run_cli(*argv)
    assert code == 2
    assert message in stderr
    assert len(stderr.strip().splitlines()) == 1


# --- de-minimis -----------------------------------------------------------------------------------


def test_de_minimis_over_the_rolling_three_years(tmp_path, run_cli):
    aids = write(tmp_path, "aids.csv", AIDS)
    code, summary, _ = run_cli(
        "de-minimis", "--aids", aids, "--company", "acme", "--on", "2026-03-15",
        "--proposed", "60000",
    )  # fmt: skip
    assert code == 0
    assert summary["status"] == "within"
    assert (summary["window_start"], summary["window_end"]) == ("2023-03-16", "2026-03-15")
    assert [aid["source"] for aid in summary["counted"]] == ["Pictanovo", "declared"]
    assert summary["total_before"] == "170000.00"
    assert summary["total_after"] == "230000.00"
    assert summary["headroom"] == "130000.00"
    assert summary["exceeded"] is False


def test_de_minimis_exceeded_with_a_lower_ceiling_and_fiscal_years(tmp_path, run_cli):
    aids = write(tmp_path, "aids.csv", AIDS)
    code, summary, _ = run_cli(
        "de-minimis", "--aids", aids, "--company", "acme", "--on", "2026-03-15",
        "--proposed", "60000", "--ceiling", "200000", "--fiscal-year-start", "01-01",
    )  # fmt: skip
    assert code == 0
    assert summary["window_start"] == "2024-01-01"
    assert summary["total_before"] == "20000.00"
    assert summary["status"] == "within"
    code, summary, _ = run_cli(
        "de-minimis", "--aids", aids, "--company", "acme", "--on", "2026-03-15",
        "--proposed", "60000", "--ceiling", "200000",
    )  # fmt: skip
    assert summary["status"] == "exceeded"
    assert summary["headroom"] == "30000.00"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--on", "15/03/2026"), "error: --on: '15/03/2026' is not a date (YYYY-MM-DD)"),
        (("--fiscal-year-start", "1-1"), "error: --fiscal-year-start: '1-1' is not MM-DD"),
        (("--fiscal-year-start", "02-30"), "fiscal_year_start_invalid"),
        (("--proposed", "-1"), "error: --proposed: must not be negative"),
        (("--company", " "), "error: --company: a company id is required"),
    ],
)
def test_bad_de_minimis_input_exits_2(tmp_path, run_cli, options, message):
    aids = write(tmp_path, "aids.csv", AIDS)
    base = {"--company": "acme", "--on": "2026-03-15", "--proposed": "1"}
    base[options[0]] = options[1]
    argv = ["de-minimis", "--aids", aids]
    for key, value in base.items():
        argv += [key, value]
    code, _, stderr = run_cli(*argv)
    assert code == 2
    assert message in stderr


def test_de_minimis_bad_date_in_the_file(tmp_path, run_cli):
    aids = write(tmp_path, "aids.csv", "company,granted_on,amount\nacme,2025-13-01,5\n")
    code, _, stderr = run_cli(
        "de-minimis", "--aids", aids, "--company", "acme", "--on", "2026-01-01", "--proposed", "1"
    )
    assert code == 2
    assert "aids.csv:2: field 'granted_on': '2025-13-01' is not a date" in stderr


# --- The documented examples run as shown ---------------------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine" / "cli.md"


def _doc_sessions(command):
    """The shell sessions of cli.md's code blocks that run ``command``: a list of (kind, text)."""
    blocks = re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.DOTALL)
    sessions = []
    for block in blocks:
        if f"$ python -m filiere.engine {command} " not in block:
            continue
        steps = []
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            first, _, rest = chunk.partition("\n")
            while first.endswith("\\"):
                more, _, rest = rest.partition("\n")
                first = first[:-1].rstrip() + " " + more.strip()
            steps.append((first, rest))
        sessions.append(steps)
    return sessions


@pytest.mark.parametrize("command", ["tranches", "spend", "de-minimis"])
def test_the_documented_examples_give_the_documented_output(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    sessions = _doc_sessions(command)
    assert sessions, f"no example of {command} in cli.md"
    for steps in sessions:
        written = set()
        for line, output in steps:
            argv = line.split()
            if argv[0] == "cat" and argv[1] in written:
                assert Path(argv[1]).read_text(encoding="utf-8") == output, line
            elif argv[0] == "cat":
                Path(argv[1]).write_text(output, encoding="utf-8")
            else:
                assert argv[:3] == ["python", "-m", "filiere.engine"], line
                code = cli.main(argv[3:])
                out, err = capsys.readouterr()
                assert code == 0, err
                assert json.loads(out) == json.loads(output), line
                if "--out" in argv:
                    written.add(argv[argv.index("--out") + 1])
