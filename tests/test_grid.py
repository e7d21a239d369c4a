"""Grid rosters (a row per person, a column per date) read wherever rosters are read, and
`rostering export grid`."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from rostering.cli import main
from rostering.domain import Assignment, Problem, Roster
from rostering.evaluate import evaluate
from rostering.io.errors import InputError
from rostering.io.grid import grid_csv
from rostering.io.instance import load_problem
from rostering.io.roster import read_roster
from rostering.pipeline import load
from tests.builders import HOTLINE
from tests.test_fuzz_readers import base_files
from tests.test_fuzz_readers import run as fuzz_run


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def key(shifts: Roster | tuple[Assignment, ...]) -> list[tuple[str, int, str]]:
    items = shifts.assignments if isinstance(shifts, Roster) else shifts
    return sorted((a.employee_id, a.day, a.shift_id) for a in items)


@pytest.fixture(scope="module")
def problem() -> Problem:
    return load(HOTLINE)


def write_grid(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def test_export_grid_reads_back_as_the_same_roster(hotline_out: Path, tmp_path: Path) -> None:
    result = run("export", "grid", HOTLINE, hotline_out, "--out", tmp_path / "grid.csv")
    assert result.exit_code == 0, result.stderr
    problem = load(HOTLINE)
    long_form = read_roster(hotline_out / "roster.csv", problem)
    text = (tmp_path / "grid.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["employee_id"] + [f"2026-{m}" for m in (
        "11-30", "12-01", "12-02", "12-03", "12-04", "12-05", "12-06")]  # fmt: skip
    assert [r[0] for r in rows[1:]] == [e.id for e in problem.employees]
    assert sum(1 for r in rows[1:] for c in r[1:] if c) == len(long_form.assignments)
    assert key(read_roster(tmp_path / "grid.csv", problem)) == key(long_form)


def test_check_gives_the_same_verdict_for_grid_and_long_form(
    hotline_out: Path, tmp_path: Path
) -> None:
    problem = load(HOTLINE)
    (tmp_path / "grid.csv").write_text(
        grid_csv(problem, read_roster(hotline_out / "roster.csv", problem)), encoding="utf-8"
    )
    long_form = run("check", HOTLINE, hotline_out / "roster.csv", "--format", "json")
    grid = run("check", HOTLINE, tmp_path / "grid.csv", "--format", "json")
    assert long_form.exit_code == grid.exit_code == 0
    assert grid.stdout == long_form.stdout


def test_xlsx_grid_with_date_cells_is_read(hotline_out: Path, tmp_path: Path) -> None:
    problem = load(HOTLINE)
    roster = read_roster(hotline_out / "roster.csv", problem)
    book = Workbook()
    sheet = book.active
    sheet.title = "roster"
    header, *rows = list(csv.reader(io.StringIO(grid_csv(problem, roster))))
    sheet.append(["employee_id", *(problem.date_of(d) for d in range(problem.days))])
    for row in rows:
        sheet.append([c or None for c in row])
    book.create_sheet("notes")
    book.save(tmp_path / "roster.xlsx")
    assert key(read_roster(tmp_path / "roster.xlsx", problem)) == key(roster)
    result = run("check", HOTLINE, tmp_path / "roster.xlsx")
    assert result.exit_code == 0, result.stderr


def test_two_shifts_in_a_cell_are_two_assignments_judged_by_evaluate(
    problem: Problem, tmp_path: Path
) -> None:
    path = write_grid(tmp_path / "g.csv", [["employee_id", "2026-12-01"], ["E19", "L2|E2"]])
    roster = read_roster(path, problem)
    assert key(roster) == [("E19", 1, "E2"), ("E19", 1, "L2")]
    rules = {v.rule for v in evaluate(problem, roster).violations}
    assert "one_shift_per_day" in rules


BAD_GRIDS = {
    "unknown shift": (
        [["employee_id", "2026-11-30", "2026-12-01"], ["E01", "E1", "X9"]],
        ["g.csv:2: column 2026-12-01", "employee E01", "unknown shift 'X9'", "shifts: E1"],
    ),
    "unknown employee": (
        [["employee_id", "2026-11-30"], ["E01", "E1"], ["Z99", "E1"]],
        ["g.csv:3: column employee_id", "unknown employee 'Z99'", "not in staff.csv"],
    ),
    "date outside the horizon": (
        [["employee_id", "2026-12-07"], ["E01", "E1"]],
        ["g.csv:1: column 2026-12-07", "outside the horizon 2026-11-30..2026-12-06"],
    ),
    "not a date": (
        [["employee_id", "2026-11-30", "Monday"], ["E01", "E1", ""]],
        ["g.csv:1: column Monday", "'Monday' is not a date YYYY-MM-DD"],
    ),
    "no people": ([["employee_id", "2026-11-30"]], ["g.csv", "an empty roster"]),
    "nobody works": ([["employee_id", "2026-11-30"], ["E01", ""]], ["g.csv", "an empty roster"]),
    "repeated person": (
        [["employee_id", "2026-11-30"], ["E01", "E1"], ["E01", "L1"]],
        ["g.csv:3: column employee_id", "'E01' appears twice"],
    ),
    "bad cell": (
        [["employee_id", "2026-11-30"], ["E01", "E 1"]],
        ["g.csv:2: column 2026-11-30", "'E 1' is not a shift id"],
    ),
    "short row": (
        [["employee_id", "2026-11-30", "2026-12-01"], ["E01", "E1"]],
        ["g.csv:2", "2 cells, the header has 3"],
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_GRIDS))
def test_bad_grid_is_one_clear_line_and_exit_2(case: str, tmp_path: Path) -> None:
    rows, expected = BAD_GRIDS[case]
    path = write_grid(tmp_path / "g.csv", rows)
    result = run("check", HOTLINE, path)
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for part in expected:
        assert part in lines[0]
    assert "Traceback" not in result.stderr


def test_xlsx_errors_name_the_sheet_and_cell(problem: Problem, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "roster"
    book.active.append(["employee_id", "2026-11-30", "2026-12-01"])
    book.active.append(["E01", "E1", "Q7"])
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError) as info:
        read_roster(tmp_path / "bad.xlsx", problem)
    assert "sheet roster, cell C2 (2026-12-01)" in str(info.value)
    assert "unknown shift 'Q7'" in str(info.value)


def test_workbook_without_the_roster_sheet_is_exit_2(tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "summary"
    book.create_sheet("notes")
    book.save(tmp_path / "two.xlsx")
    result = run("check", HOTLINE, tmp_path / "two.xlsx")
    assert result.exit_code == 2
    assert "no sheet 'roster' (sheets: summary, notes)" in result.stderr
    (tmp_path / "fake.xlsx").write_text("employee_id,2026-11-30\n", encoding="utf-8")
    result = run("check", HOTLINE, tmp_path / "fake.xlsx")
    assert result.exit_code == 2
    assert "not a readable .xlsx workbook" in result.stderr


def test_previous_csv_in_grid_form_equals_the_long_form(tmp_path: Path) -> None:
    instance = tmp_path / "instances" / "week"
    shutil.copytree(HOTLINE, instance)
    shutil.copytree(HOTLINE.parents[1] / "models", tmp_path / "models")
    long_form = load_problem(instance)
    rows = list(csv.DictReader((HOTLINE / "previous.csv").open(encoding="utf-8")))
    dates = sorted({r["date"] for r in rows})
    people = sorted({r["employee_id"] for r in rows}) + ["GONE"]
    cells = {(r["employee_id"], r["date"]): r["shift_id"] for r in rows}
    grid = [["employee_id", *dates]]
    grid += [[p, *(cells.get((p, d), "") for d in dates)] for p in people]
    write_grid(instance / "previous.csv", grid)
    from_grid = load_problem(instance)
    assert key(from_grid.previous) == key(long_form.previous)
    assert len(from_grid.previous) == len(rows) > 0
    assert any("'GONE' is no longer in staff.csv" in w for w in from_grid.warnings)
    write_grid(instance / "previous.csv", [["employee_id", "2026-11-30"], ["E01", "E1"]])
    with pytest.raises(InputError, match="column 2026-11-30: 2026-11-30 is not before the start"):
        load_problem(instance)


HEADERS = st.sampled_from(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03",
                           "2026-11-29", "2026-13-01", "date", "", "shift_id"])  # fmt: skip
PEOPLE = st.sampled_from(["J1", "J2", "M1", "M2", "S1", "Z9", "", "j 1", "J1"])
CELLS = st.sampled_from(["", "E", "L", "N", "E|L", "X", " E ", "E L", "=1+1", "|", "N|"])


@settings(max_examples=150, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(
    header=st.lists(HEADERS, max_size=4),
    rows=st.lists(st.tuples(PEOPLE, st.lists(CELLS, max_size=5)), max_size=6),
)
def test_fuzz_grid_is_read_or_one_clear_error(
    header: list[str], rows: list[tuple[str, list[str]]]
) -> None:
    """Any grid-shaped roster: exit 0 or 1 (read), or exit 2 with one line naming the file;
    never a traceback or an internal error (tests.test_fuzz_readers.run checks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["employee_id", *header])
    writer.writerows([person, *cells] for person, cells in rows)
    files = base_files()
    files["roster.csv"] = buffer.getvalue().encode("utf-8")
    fuzz_run("test_fuzz_grid", files)
