"""`rostering export xlsx` and `export ical`: read back what they write."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from click.testing import CliRunner, Result
from icalendar import Calendar
from openpyxl import load_workbook

from rostering.check import check_roster
from rostering.cli import main
from rostering.io.roster import read_roster, shift_times
from rostering.pipeline import load
from tests.builders import HOTLINE


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def shifts_of(roster: object) -> list[tuple[str, int, str]]:
    return sorted((a.employee_id, a.day, a.shift_id) for a in roster.assignments)  # type: ignore[attr-defined]


def test_workbook_sheets_and_roster_reads_back(hotline_out: Path, tmp_path: Path) -> None:
    out = tmp_path / "roster.xlsx"
    result = run("export", "xlsx", HOTLINE, hotline_out, "--out", out)
    assert result.exit_code == 0, result.stderr
    problem = load(HOTLINE)
    roster = read_roster(hotline_out / "roster.csv", problem)
    book = load_workbook(out)
    assert book.sheetnames == ["roster", "people", "coverage", "fairness"]
    grid = book["roster"]
    assert grid.freeze_panes == "B2"
    assert grid["A1"].value == "employee_id"
    assert grid["B1"].value == datetime(2026, 11, 30)
    assert grid.max_row == len(problem.employees) + 1
    rules = [r for rng in grid.conditional_formatting for r in rng.rules]
    assert len(rules) == len(problem.model.shifts)
    # the workbook is a roster wherever rosters are read
    assert shifts_of(read_roster(out, problem)) == shifts_of(roster)
    report = check_roster(problem, roster)
    people = list(book["people"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in people] == [
        (e.employee_id, e.minutes / 60) for e in report.employees
    ]
    cover = list(book["coverage"].iter_rows(values_only=True))
    assert cover[0] == (
        "start",
        "tier",
        "required",
        "on_duty",
        "shortfall",
        "surplus",
        "service_level",
    )
    coverage_csv = (hotline_out / "coverage.csv").read_text(encoding="utf-8").splitlines()
    assert len(cover) == len(coverage_csv)
    first = coverage_csv[1].split(",")
    assert cover[1][0] == datetime.fromisoformat(first[0]) and list(cover[1][2:6]) == [
        int(x) for x in first[2:6]
    ]
    assert 0 <= cover[1][6] <= 1
    fairness = list(book["fairness"].iter_rows(values_only=True))
    assert fairness[0][:3] == ("employee_id", "contract", "minutes")


def test_calendars_have_one_event_per_shift_crossing_midnight(
    hotline_out: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ics"
    folder.mkdir()
    (folder / "E99.ics").write_text("not ours", encoding="utf-8")  # another person's: kept
    result = run("export", "ical", HOTLINE, hotline_out, "--out", folder)
    assert result.exit_code == 0, result.stderr
    problem = load(HOTLINE)
    roster = read_roster(hotline_out / "roster.csv", problem)
    working = {a.employee_id for a in roster.assignments}
    assert {p.stem for p in folder.glob("*.ics")} == working | {"E99"}
    events = 0
    night_seen = False
    for eid in working:
        cal = Calendar.from_ical((folder / f"{eid}.ics").read_bytes())
        mine = {a.day: a for a in roster.assignments if a.employee_id == eid}
        for event in cal.walk("VEVENT"):
            events += 1
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert start.tzinfo is None and end.tzinfo is None  # floating local time
            a = mine[problem.day_of(start.date())]
            assert (start, end) == shift_times(problem, a)
            assert str(event["summary"]).startswith(f"Shift {a.shift_id}")
            if a.shift_id == "N1":
                night_seen = True
                assert end.date() == start.date() + timedelta(days=1)
                assert (end.hour, start.hour) == (7, 22)
        assert b"TZID" not in (folder / f"{eid}.ics").read_bytes()
    assert events == len(roster.assignments)
    assert night_seen


def test_export_of_a_roster_for_another_instance_is_exit_2(
    hotline_out: Path, tmp_path: Path
) -> None:
    result = run(
        "export", "xlsx", HOTLINE.parent / "tiny", hotline_out, "--out", tmp_path / "x.xlsx"
    )
    assert result.exit_code == 2 and "unknown employee" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
