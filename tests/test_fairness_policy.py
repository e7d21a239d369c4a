"""HR's fairness policy end to end: the site model's [fairness], check's verdicts and the
ledger command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rostering.cli import main
from tests.instance_files import write_instance

POLICY = "\n[fairness]\nmax_nights_spread = 1\nmax_hours_spread = 16\n"


def instance(tmp_path: Path, policy: str = POLICY) -> Path:
    folder = write_instance(tmp_path / "inst")
    with (folder / "model.toml").open("a", encoding="utf-8") as model:
        model.write(policy)
    return folder


def cli(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [*map(str, args)])


def roster(path: Path, nights: dict[str, list[str]]) -> Path:
    """A roster of night shifts: employee -> dates."""
    rows = [f"{e},{d},N" for e, dates in nights.items() for d in dates]
    path.write_text("employee_id,date,shift_id\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


# each junior works a night beside a mid
FAIR = {"J1": ["2026-11-30"], "M1": ["2026-11-30"], "J2": ["2026-12-02"], "M2": ["2026-12-02"]}
# J1 takes J2's night: juniors 2 and 0
SKEWED = {"J1": ["2026-11-30", "2026-12-02"], "M1": ["2026-11-30"], "M2": ["2026-12-02"]}


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        ("max_nights_spread = -1", "fairness.max_nights_spread: Input should be greater than"),
        ("max_hours_spread = 1.5", "fairness.max_hours_spread: Input should be a valid integer"),
        ('max_weekends_spread = "2"', "fairness.max_weekends_spread: Input should be a valid"),
        ('groups = ["team"]', "fairness.groups[1]: 'team' is not accepted; expected 'contract'"),
        ('groups = ["tier", "tier"]', "fairness.groups: a key is listed twice"),
        ("max_night_spread = 1", "fairness.max_night_spread: unknown key; accepted: groups,"),
    ],
)
def test_bad_policy_is_one_line_naming_the_key_and_exit_2(
    tmp_path: Path, policy: str, expected: str
) -> None:
    folder = instance(tmp_path, f"\n[fairness]\n{policy}\n")
    result = cli("solve", folder, "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "model.toml" in lines[0] and expected in lines[0], lines
    assert not (tmp_path / "out").exists()


def test_check_rules_on_each_limit_per_group(tmp_path: Path) -> None:
    folder = instance(tmp_path)
    fair = cli("check", folder, roster(tmp_path / "fair.csv", FAIR))
    assert fair.exit_code == 0, fair.output
    table = fair.stdout[fair.stdout.index("Fairness policy") :].splitlines()
    assert table[0] == "Fairness policy (groups: contract, tier)"
    nights = [line.split() for line in table if line.strip().startswith("max_nights_spread")]
    assert nights == [
        ["max_nights_spread", "full_time/junior", "2", "0", "1", "J1", "1", "J1", "1", "kept"],
        ["max_nights_spread", "full_time/mid", "2", "0", "1", "M1", "1", "M1", "1", "kept"],
    ]  # S1 is alone in full_time/senior: no verdict
    skewed = cli("check", folder, roster(tmp_path / "skewed.csv", SKEWED))
    assert skewed.exit_code == 1, skewed.output
    message = "nights spread 2 in full_time/junior: J1 2, J2 0; limit 1"
    assert f"1. fairness: {message}" in skewed.stdout
    assert "BROKEN" in skewed.stdout and max(map(len, skewed.stdout.splitlines())) <= 100


def test_check_verdicts_as_json_and_csv(tmp_path: Path) -> None:
    folder = instance(tmp_path)
    path = roster(tmp_path / "skewed.csv", SKEWED)
    data = json.loads(cli("check", folder, path, "--format", "json").stdout)
    assert data["legal"] is False
    policy = data["fairness_policy"]
    assert policy["groups"] == ["contract", "tier"]
    junior = [v for v in policy["verdicts"] if v["group"] == "full_time/junior"]
    assert [(v["limit_key"], v["spread"], v["limit"], v["verdict"]) for v in junior] == [
        ("max_nights_spread", 2, 1, "broken"),
        ("max_hours_spread", 960, 960, "kept"),  # 16 h in minutes: J1 16h00, J2 0h00
    ]
    assert junior[0]["high"] == {"employee_id": "J1", "value": 2}
    assert junior[0]["low"] == {"employee_id": "J2", "value": 0}
    assert data["hard_violations"][-1]["rule"] == "fairness"
    rows = list(csv.DictReader(io.StringIO(cli("check", folder, path, "--format", "csv").stdout)))
    verdicts = [r for r in rows if r["section"] == "fairness"]
    assert len(verdicts) == 4  # two limits x two groups of two or more
    broken = [r for r in verdicts if r["verdict"] == "broken"]
    assert [
        (r["rule"], r["group"], r["high_id"], r["max"], r["low_id"], r["min"]) for r in broken
    ] == [("max_nights_spread", "full_time/junior", "J1", "2", "J2", "0")]


def test_check_without_a_policy_says_so(tmp_path: Path) -> None:
    folder = instance(tmp_path, "")
    result = cli("check", folder, roster(tmp_path / "r.csv", SKEWED))
    assert result.exit_code == 0, result.output
    assert "no limits declared" in result.stdout


HISTORY = """\
employee_id,period_start,nights,weekends,minutes
J1,2026-11-09,3,1,2400
J2,2026-11-09,0,0,2400
J1,2026-11-16,2,1,2400
J2,2026-11-16,1,0,1920
M1,2026-11-16,1,1,2400
J1,2026-11-23,1,0,2400
J2,2026-11-23,2,1,2400
X9,2026-11-23,5,1,2400
"""
STRANGER = "X9,2026-11-23,5,1,2400\n"  # not in staff.csv (the instance's own file refuses it)


def test_ledger_totals_the_last_periods_per_group_and_person(tmp_path: Path) -> None:
    folder = instance(tmp_path)
    (folder / "history.csv").write_text(HISTORY.replace(STRANGER, ""), encoding="utf-8")
    result = cli("fairness", folder, "--periods", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["periods"] == ["2026-11-16", "2026-11-23"] and data["periods_in_file"] == 3
    people = {p["employee_id"]: p for p in data["people"]}
    assert (people["J1"]["nights"], people["J1"]["weekends"], people["J1"]["minutes"]) == (
        3,
        1,
        4800,
    )
    assert (people["J2"]["nights"], people["J2"]["minutes"], people["J2"]["periods"]) == (
        3,
        4320,
        2,
    )
    assert (people["M2"]["nights"], people["M2"]["periods"]) == (0, 0)  # no rows: 0
    spreads = {(s["group"], s["figure"]): s for s in data["spreads"]}
    assert spreads["full_time/junior", "nights"]["spread"] == 0
    assert spreads["full_time/junior", "minutes"]["spread"] == 480
    assert spreads["full_time/mid", "nights"]["high"] == {"employee_id": "M1", "value": 1}
    assert spreads["full_time/mid", "nights"]["low"] == {"employee_id": "M2", "value": 0}
    assert not any(s["group"] == "full_time/senior" for s in data["spreads"])  # S1 alone
    every = json.loads(cli("fairness", folder, "--format", "json").stdout)
    assert {p["employee_id"]: p["nights"] for p in every["people"]}["J1"] == 6


def test_ledger_table_and_csv(tmp_path: Path) -> None:
    folder = instance(tmp_path)
    history = tmp_path / "elsewhere.csv"
    history.write_text(HISTORY, encoding="utf-8")
    table = cli("fairness", folder, "--history", history, "--periods", "1")
    assert table.exit_code == 0, table.output
    assert "employee 'X9' is not in staff.csv; skipped" in table.stderr
    lines = table.stdout.splitlines()
    assert lines[0] == (
        "Fairness ledger: 1 of 3 periods (2026-11-23 to 2026-11-23); groups: contract, tier"
    )
    assert ["nights", "1", "J2", "2", "J1", "1"] in [line.split() for line in lines]
    rows = list(csv.DictReader(io.StringIO(
        cli("fairness", folder, "--history", history, "--format", "csv").stdout)))  # fmt: skip
    assert {r["employee_id"]: r["nights"] for r in rows if r["section"] == "person"}["J1"] == "6"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--periods", "0"], "Invalid value for '--periods'"),
        (["--history", "missing.csv"], "missing.csv"),
    ],
)
def test_ledger_bad_input_exits_2(tmp_path: Path, args: list[str], expected: str) -> None:
    folder = instance(tmp_path)
    result = cli("fairness", folder, *args)
    assert result.exit_code == 2 and expected in result.output + result.stderr, result.output


def test_ledger_bad_history_row_exits_2(tmp_path: Path) -> None:
    folder = instance(tmp_path)
    bad = HISTORY.replace("J1,2026-11-09,3", "J1,2026-11-09,-3")
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    result = cli("fairness", folder, "--history", tmp_path / "bad.csv")
    assert result.exit_code == 2
    assert "bad.csv:2" in result.stderr and "nights" in result.stderr
