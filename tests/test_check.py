"""`rostering check`: the report of a roster from anywhere (library and command line)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rostering.check import (
    CSV_COLUMNS,
    FIGURES,
    TOTAL_FIGURES,
    as_csv,
    as_json,
    as_table,
    check_roster,
    update_history,
)
from rostering.cli import main
from rostering.domain import HistoryRow, IntervalRequirement, Request, Weights
from rostering.evaluate import evaluate
from tests.builders import MONDAY, make_problem, roster

# --------------------------------------------------------------------------- library


def test_penalties_and_objective_are_evaluates() -> None:
    weights = Weights(
        requests=3, cost=1, fairness_nights=7, fairness_weekends=5, fairness_minutes=2
    )
    requests = (
        Request(employee_id="P1", day=0, kind="off", weight=2),
        Request(employee_id="P2", day=1, kind="on", shift_id="L"),
    )
    demand = tuple(IntervalRequirement(interval=h, tier="mid", required=2) for h in range(6, 14))
    history = (HistoryRow(employee_id="P3", period_start=date(2026, 11, 23), nights=2),)
    staff = {f"P{i}": {"hourly_cost": 12.5 * i} for i in range(1, 4)}
    p = make_problem(
        staff, weights=weights, requests=requests, interval_demand=demand, history=history
    )
    r = roster({"P1": "E.N..EE", "P2": "EE...L.", "P3": "NN....."})
    ev = evaluate(p, r)
    report = check_roster(p, r)
    assert report.penalties == ev.penalties and report.objective == ev.objective
    assert report.violations == ev.violations
    assert all(ev.penalties[k] for k in ("coverage", "requests", "cost", "fairness"))
    # the descriptive figures agree with the ones evaluate's fairness rule measures
    for mine, theirs in zip(report.employees, ev.fairness, strict=True):
        assert mine.employee_id == theirs.employee_id
        assert (mine.total_nights, mine.total_weekends, mine.total_minutes) == (
            theirs.nights,
            theirs.weekends,
            theirs.minutes,
        )


def test_employee_figures() -> None:
    requests = (
        Request(employee_id="P1", day=0, kind="on"),  # granted
        Request(employee_id="P1", day=1, kind="on", shift_id="L"),  # refused: works E
        Request(employee_id="P1", day=2, kind="off"),  # granted
        Request(employee_id="P1", day=3, kind="unavailable"),  # hard: not counted
    )
    staff = {
        "P1": {"max_minutes_per_week": 2400, "min_minutes_per_week": 1920,
               "absence_credit_minutes": 480},
        "P2": {"min_minutes": 600, "max_minutes": 3000, "max_minutes_per_week": 2400},
    }  # fmt: skip
    p = make_problem(staff, requests=requests)
    report = check_roster(p, roster({"P1": "EE..NLN", "P2": ".....E."}))
    p1, p2 = report.employees
    assert (p1.minutes, p1.shifts, p1.nights, p1.weekends, p1.early, p1.late) == (
        5 * 480,
        5,
        2,
        1,
        2,
        1,
    )
    assert (p1.requests, p1.requests_granted) == (3, 2)
    assert (p1.min_minutes, p1.max_minutes) == (1920 - 480, 2400)
    assert (p2.min_minutes, p2.max_minutes, p2.weekends) == (600, 2400, 1)
    assert p1.history_minutes is None


def test_limits_scale_to_the_horizon_and_weekends_straddle_the_start() -> None:
    sunday = date(2026, 12, 6)
    p = make_problem(
        {"P1": {"min_minutes_per_week": 1400, "max_minutes_per_week": 2800}},
        days=3,
        start=sunday,
        previous={"P1": "E"},  # Saturday before the start
    )
    (e,) = check_roster(p, roster({"P1": "..E"})).employees
    # one day of ISO week 49, whose other six previous.csv covers (Saturday's E paid 480):
    # the whole weekly limits less 480; two days of week 50, scaled by 2/7
    assert (e.min_minutes, e.max_minutes) == (1400 - 480 + 400, 2800 - 480 + 800)
    assert e.weekends == 1  # the weekend 5-6 December, worked on its Saturday


def test_groups_and_history() -> None:
    history = (
        HistoryRow(employee_id="A", period_start=date(2026, 11, 23), nights=3, minutes=600),
        HistoryRow(employee_id="A", period_start=date(2026, 11, 16), nights=1, weekends=1),
    )
    staff = {"A": {"contract": "ft"}, "B": {"contract": "ft"}, "C": {"contract": "pt"}}
    p = make_problem(staff, history=history)
    report = check_roster(p, roster({"A": "NNN....", "B": "EEEEE..", "C": ".....LL"}))
    a, b, c = report.employees
    assert (a.history_nights, a.history_weekends, a.history_minutes) == (4, 1, 600)
    assert b.history_nights is None and (b.total_nights, a.total_nights) == (0, 7)
    ft, pt = report.groups
    assert ft.contract == "ft" and ft.employee_ids == ("A", "B")
    assert [f.figure for f in ft.figures] == list(FIGURES + TOTAL_FIGURES)
    stats = {f.figure: f for f in ft.figures}
    assert (stats["shifts"].min, stats["shifts"].max, stats["shifts"].spread) == (3, 5, 2)
    assert stats["shifts"].stdev == 1.0
    assert (stats["total_nights"].min, stats["total_nights"].max) == (0, 7)
    assert stats["total_minutes"].spread == 5 * 480 - (600 + 3 * 480)
    assert pt.employee_ids == ("C",) and all(f.spread == 0 == f.stdev for f in pt.figures)
    assert "history n/w/paid" in as_table(report)


def test_coverage_shortfall_per_day_and_tier() -> None:
    demand = tuple(
        IntervalRequirement(interval=d * 24 + h, tier=t, required=1)
        for d in (0, 1)
        for h in range(6, 14)
        for t in ("mid", "senior")
    )
    p = make_problem({"M": {"tier": "mid"}, "S": {"tier": "senior"}}, interval_demand=demand)
    report = check_roster(p, roster({"M": "EE", "S": "E."}, 0))
    rows = {(s.date.day, s.tier): s for s in report.coverage_shortfall}
    # day 1: the senior is missing all 8 hours (for the senior queue and, cumulatively, below)
    assert rows[1, "senior"].shortfall == 8 and rows[1, "senior"].hours_short == 8
    assert rows[1, "mid"].required == 16 and rows[1, "mid"].shortfall == 8
    assert rows[30, "senior"].shortfall == 0  # 30 November
    text = as_table(report)
    assert "2026-12-01  senior" in text and "2026-11-30  senior" not in text


def test_formats_of_a_bad_roster() -> None:
    p = make_problem({"A": {"max_consecutive_days": 3}, "B": {}})
    report = check_roster(p, roster({"A": "EEEE...", "B": "......."}))
    assert not report.legal
    table = as_table(report)
    assert table.splitlines()[0] == "NOT LEGAL: 1 hard violation"
    assert "consecutive_days: A works 4 days in a row" in table
    assert max(len(line) for line in table.splitlines()) <= 100
    data = json.loads(as_json(report))
    assert list(data) == [
        "legal",
        "objective",
        "penalties",
        "hard_violations",
        "coverage_shortfall",
        "employees",
        "groups",
        "fairness_policy",
    ]
    assert data["legal"] is False and data["hard_violations"][0]["rule"] == "consecutive_days"
    assert data["groups"][0]["figures"]["shifts"] == {"min": 0, "max": 4, "spread": 4, "stdev": 2.0}
    rows = list(csv.DictReader(io.StringIO(as_csv(report))))
    assert {r["section"] for r in rows} == {"violation", "penalty", "employee", "group"}
    assert all(list(r) == list(CSV_COLUMNS) for r in rows)


def test_update_history_replaces_its_own_period(tmp_path: Path) -> None:
    p = make_problem(2)
    path = tmp_path / "history.csv"
    path.write_text(
        "employee_id,period_start,nights,weekends,minutes\n"
        "P1,2026-11-23,1,1,2400\n"
        "P1,2026-11-30,9,9,9\n"  # a stale row of this period: replaced
        "Gone,2026-11-16,2,0,960\n",
        encoding="utf-8",
    )
    assert update_history(path, check_roster(p, roster({"P1": "NN...E.", "P2": "L"}))) == 2
    first = path.read_text(encoding="utf-8")
    assert first.splitlines() == [
        "employee_id,period_start,nights,weekends,minutes",
        "Gone,2026-11-16,2,0,960",
        "P1,2026-11-23,1,1,2400",
        "P1,2026-11-30,2,1,1440",
        "P2,2026-11-30,0,0,480",
    ]
    update_history(path, check_roster(p, roster({"P1": "NN...E.", "P2": "L"})))
    assert path.read_text(encoding="utf-8") == first


# --------------------------------------------------------------------------- command line

MODEL = """\
name = "Tiny line"
interval_minutes = 60

[tiers]
order = ["junior", "senior"]

[[shifts]]
id = "E"
start = "06:00"
minutes = 480
kind = "early"

[[shifts]]
id = "L"
start = "14:00"
minutes = 480
kind = "late"

[[shifts]]
id = "N"
start = "22:00"
minutes = 480
night = true
kind = "night"

[contracts.ft]
max_days_per_week = 5
max_consecutive_days = 5
max_weekends = 1
max_shifts = { N = 1 }

[rules]
min_rest_minutes = 660
forbidden_successions = [["N", "E"]]

[weights]
under_cover = 100
over_cover = 1
requests = 5
"""

STAFF = """\
employee_id,tier,contract,name
A,senior,ft,"=HYPERLINK(""http://evil.example"",""click"")"
B,junior,ft,Zoë Müller
C,senior,ft,王芳
"""


def write_instance(directory: Path, *, slots: bool = False) -> Path:
    directory.mkdir(parents=True)
    (directory / "model.toml").write_text(MODEL, encoding="utf-8")
    (directory / "instance.toml").write_text(
        'model = "model.toml"\nstart = "2026-11-30"\ndays = 7\n', encoding="utf-8"
    )
    (directory / "staff.csv").write_text(STAFF, encoding="utf-8")
    if slots:
        rows = [f"2026-12-0{d},E,1" for d in range(1, 6)]
        (directory / "cover.csv").write_text(
            "date,shift_id,required\n" + "\n".join(rows) + "\n", encoding="utf-8"
        )
    else:
        rows = [f"2026-11-30T{h:02d}:00,junior,1" for h in range(6, 14)]
        (directory / "requirements.csv").write_text(
            "start,tier,required\n" + "\n".join(rows) + "\n", encoding="utf-8"
        )
    return directory


def write_roster(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["employee_id,date,shift_id"] + [",".join(r) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def day(i: int) -> str:
    return date.fromordinal(MONDAY.toordinal() + i).isoformat()


def pattern_rows(patterns: dict[str, str]) -> list[tuple[str, str, str]]:
    return [(e, day(d), s) for e, p in patterns.items() for d, s in enumerate(p) if s != "."]


BAD = pattern_rows(
    {
        "A": "NE..N..",  # min_rest + forbidden_successions (N then E), 2 nights: shift_types
        "B": "..E....",  # and a second shift on Wednesday below: one_shift_per_day
        "C": "EEEEEE.",  # 6 days: days_per_week and consecutive_days
    }
) + [("B", day(2), "L")]


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["check", *map(str, args)])


def test_cli_bad_roster_lists_each_violation_and_exits_1(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    result = run(instance, write_roster(tmp_path / "roster.csv", BAD))
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert out.splitlines()[0] == "NOT LEGAL: 6 hard violations"
    assert max(len(line) for line in out.splitlines()) <= 100
    data = json.loads(run(instance, tmp_path / "roster.csv", "--format", "json").stdout)
    assert sorted(v["rule"] for v in data["hard_violations"]) == sorted(
        [
            "min_rest",
            "forbidden_successions",
            "shift_types",
            "one_shift_per_day",
            "days_per_week",
            "consecutive_days",
        ]
    )
    assert data["legal"] is False
    assert data["coverage_shortfall"][0] == {
        "date": "2026-11-30",
        "tier": "junior",
        "shift_id": None,
        "required": 8,
        "shortfall": 0,
        "hours_short": 0.0,
    }


def test_cli_legal_roster_exits_0(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    good = pattern_rows({"A": "L.L.L..", "B": "E.E.E..", "C": ".E.E.E."})
    result = run(instance, write_roster(tmp_path / "roster.csv", good))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "LEGAL"
    assert "no shortfall" in result.stdout
    assert "Zoë Müller" in result.stdout and "王芳" in result.stdout


def test_cli_slot_demand_shortfall(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst", slots=True)
    roster_csv = write_roster(tmp_path / "r.csv", pattern_rows({"B": ".E.E..."}))
    result = run(instance, roster_csv, "--format", "json")
    assert result.exit_code == 0
    short = json.loads(result.stdout)["coverage_shortfall"]
    assert [(s["date"], s["shift_id"], s["shortfall"], s["hours_short"]) for s in short] == [
        ("2026-12-01", "E", 0, 0.0),
        ("2026-12-02", "E", 1, 8.0),
        ("2026-12-03", "E", 0, 0.0),
        ("2026-12-04", "E", 1, 8.0),
        ("2026-12-05", "E", 1, 8.0),
    ]
    table = run(instance, roster_csv).stdout
    assert "2026-12-02  E      any" in table and "2026-12-03  E" not in table


def test_cli_csv_sections_and_formula_names(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    result = run(instance, write_roster(tmp_path / "roster.csv", BAD), "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {r["section"] for r in rows} == {
        "violation",
        "penalty",
        "shortfall",
        "employee",
        "group",
    }
    a = next(r for r in rows if r["section"] == "employee" and r["employee_id"] == "A")
    assert a["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert (a["nights"], a["early"], a["shifts"]) == ("2", "1", "3")
    objective = next(r for r in rows if r["section"] == "penalty" and r["rule"] == "objective")
    assert (
        int(objective["value"])
        == json.loads(run(instance, tmp_path / "roster.csv", "--format", "json").stdout)[
            "objective"
        ]
    )
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r.values() if cell)


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (("Z", "2026-11-30", "E"), "employee_id"),
        (("A", "2026-11-30", "X"), "shift_id"),
        (("A", "2026-12-07", "E"), "date"),
    ],
)
def test_cli_bad_roster_rows_exit_2(tmp_path: Path, row: tuple[str, str, str], column: str) -> None:
    instance = write_instance(tmp_path / "inst")
    roster_csv = write_roster(tmp_path / "roster.csv", [("B", "2026-11-30", "E"), row])
    result = run(instance, roster_csv)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {roster_csv}:3: column {column}")
    assert result.stdout == ""


def test_cli_missing_roster_exits_2(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    result = run(instance, tmp_path / "nope.csv")
    assert result.exit_code == 2 and "nope.csv: file not found" in result.stderr


def test_cli_update_history_is_idempotent(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    roster_csv = write_roster(tmp_path / "roster.csv", BAD)
    history = tmp_path / "hist" / "history.csv"
    result = run(instance, roster_csv, "--update-history", history, "--format", "json")
    assert result.exit_code == 1
    json.loads(result.stdout)  # stdout stays pure JSON
    assert f"wrote 3 rows for period 2026-11-30 to {history}" in result.stderr
    first = history.read_text(encoding="utf-8")
    assert first.splitlines() == [
        "employee_id,period_start,nights,weekends,minutes",
        "A,2026-11-30,2,0,1440",
        "B,2026-11-30,0,0,960",
        "C,2026-11-30,0,1,2880",
    ]
    run(instance, roster_csv, "--update-history", history)
    assert history.read_text(encoding="utf-8") == first
    # the file becomes the instance's history: the loader ignores this period's own rows
    (instance / "history.csv").write_text(first, encoding="utf-8")
    result = run(instance, roster_csv)
    assert "period_start 2026-11-30 is not before the start 2026-11-30; ignored" in result.stderr
    assert "history n/w/paid" not in result.stdout


def test_cli_update_history_rejects_a_bad_file(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    history = tmp_path / "history.csv"
    history.write_text("employee_id,period_start,nights\nA,2026-11-23,1\n", encoding="utf-8")
    result = run(instance, write_roster(tmp_path / "r.csv", []), "--update-history", history)
    assert result.exit_code == 2
    assert "missing column 'weekends', 'minutes'" in result.stderr


def test_table_keeps_control_characters_out_of_the_terminal() -> None:
    p = make_problem(2)
    evil = p.employees[0].model_copy(update={"name": "Eve\x1b[2J\x07"})
    p = p.model_copy(update={"employees": (evil, *p.employees[1:])})
    text = as_table(check_roster(p, roster({"P1": "E"})))
    assert "\x1b" not in text and "\x07" not in text and "Eve[2J" not in text
    assert "Eve?[2J?" in text
