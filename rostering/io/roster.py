"""Roster CSV: write ours, and read one from anywhere (`check`, `report`, `export`), in the
long form or the grid form (rostering.io.grid)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from rostering.domain import DAY_MINUTES, Assignment, Problem, Roster
from rostering.io.csvfile import read_csv
from rostering.io.errors import InputError
from rostering.io.grid import Grid, is_grid, read_grid
from rostering.io.safe import csv_text

ROSTER_COLUMNS = ("employee_id", "date", "shift_id", "start", "end", "tier")
BREAKS_COLUMN = "breaks"  # optional: HH:MM-HH:MM periods joined by |, local clock times
PERIOD = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")


def shift_times(problem: Problem, a: Assignment) -> tuple[datetime, datetime]:
    shift = problem.model.shift(a.shift_id)
    start = datetime.combine(problem.date_of(a.day), datetime.min.time()) + timedelta(
        minutes=shift.start_minute
    )
    return start, start + timedelta(minutes=shift.minutes)


def break_text(problem: Problem, a: Assignment) -> str:
    """An assignment's breaks as `HH:MM-HH:MM|...` local clock times ("" for none)."""
    at = problem.model.shift(a.shift_id).start_minute
    return "|".join(f"{_clock(at + begin)}-{_clock(at + end)}" for begin, end in a.breaks or ())


def _clock(minute: int) -> str:
    minute %= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


def roster_csv(problem: Problem, roster: Roster) -> str:
    """roster.csv text: one row per worked shift, sorted by date, start, employee_id; with a
    `breaks` column when the site model has breaks."""
    tiers = {e.id: e.tier for e in problem.employees}
    breaks = problem.model.has_breaks
    rows = []
    for a in roster.assignments:
        start, end = shift_times(problem, a)
        rows.append((a.day, start, a.employee_id, a.shift_id, end, a))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return csv_text(
        ROSTER_COLUMNS + ((BREAKS_COLUMN,) if breaks else ()),
        (
            (eid, problem.date_of(day).isoformat(), sid, f"{start:%Y-%m-%dT%H:%M}",
             f"{end:%Y-%m-%dT%H:%M}", tiers[eid])
            + ((break_text(problem, a),) if breaks else ())
            for day, start, eid, sid, end, a in rows
        ),
    )  # fmt: skip


def parse_breaks(text: str, shift_start: int) -> tuple[tuple[int, int], ...] | None:
    """`HH:MM-HH:MM|...` as (start, end) minutes after a shift starting at `shift_start`
    (minutes after midnight); a period may cross midnight. None if the text is malformed."""
    periods = []
    for part in text.split("|") if text.strip() else ():
        match = PERIOD.match(part.strip())
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        begin = (h1 * 60 + m1 - shift_start) % DAY_MINUTES
        end = (h2 * 60 + m2 - shift_start) % DAY_MINUTES
        periods.append((begin, end if end > begin else end + DAY_MINUTES))
    return tuple(periods)


def read_roster(path: Path, problem: Problem) -> Roster:
    """A roster from anywhere. Unknown employees or shifts, dates outside the horizon, and
    start/end/tier cells that disagree with the instance are input errors; a second row for
    the same person and day is kept (evaluate reports it as one_shift_per_day). A grid (an
    .xlsx workbook, or a CSV whose header is employee_id and dates) is read as such; a grid
    without a single shift is an input error (an empty sheet, not a week off)."""
    if is_grid(path):
        return _check_nonempty(path, _grid_roster(read_grid(path), problem))
    employees = {e.id: e for e in problem.employees}
    shift_ids = [s.id for s in problem.model.shifts]
    result = []
    for row in read_csv(path, ROSTER_COLUMNS[:3], ROSTER_COLUMNS[3:] + (BREAKS_COLUMN,)):
        eid = row.get("employee_id")
        if eid not in employees:
            raise row.fail("employee_id", f"unknown employee {eid!r}; not in staff.csv")
        day = problem.day_of(row.date("date"))
        if not 0 <= day < problem.days:
            last = problem.date_of(problem.days - 1)
            raise row.fail(
                "date", f"{row.get('date')} is outside the horizon {problem.start}..{last}"
            )
        sid = row.get("shift_id")
        if sid not in shift_ids:
            raise row.fail("shift_id", f"unknown shift {sid!r}; shifts: {', '.join(shift_ids)}")
        a = Assignment(employee_id=eid, day=day, shift_id=sid)
        if BREAKS_COLUMN in row.cells:
            text = row.get(BREAKS_COLUMN)
            breaks = parse_breaks(text, problem.model.shift(sid).start_minute)
            if breaks is None:
                raise row.fail(
                    BREAKS_COLUMN,
                    f"{text!r} is not HH:MM-HH:MM periods joined by | (e.g. 12:00-13:00)",
                )
            a = a.model_copy(update={"breaks": breaks})
        start, end = shift_times(problem, a)
        expected = {
            "start": f"{start:%Y-%m-%dT%H:%M}",
            "end": f"{end:%Y-%m-%dT%H:%M}",
            "tier": employees[eid].tier,
        }
        for column, value in expected.items():
            if row.get(column) not in ("", value):
                raise row.fail(column, f"{row.get(column)!r} disagrees with the instance ({value})")
        result.append(a)
    if not result and not path.exists():
        raise InputError(f"{path}: file not found")
    return Roster(assignments=tuple(result))


def _check_nonempty(path: Path, roster: Roster) -> Roster:
    if not roster.assignments:
        raise InputError(
            f"{path}: an empty roster (no shift in the grid); expected a shift id in at least "
            "one cell"
        )
    return roster


def _grid_roster(grid: Grid, problem: Problem) -> Roster:
    """A grid's shifts, checked against the instance: people in staff.csv, dates in the
    horizon, shifts of the site model; each error names the cell."""
    staff = {e.id for e in problem.employees}
    shift_ids = [s.id for s in problem.model.shifts]
    last = problem.date_of(problem.days - 1)
    for eid, where in grid.employees:
        if eid not in staff:
            raise InputError(
                f"{where}: unknown employee {eid!r}; not in staff.csv of {problem.name} "
                "(a roster for another team?)"
            )
    for day, where in grid.dates:
        if not 0 <= problem.day_of(day) < problem.days:
            raise InputError(
                f"{where}: the date {day} is outside the horizon {problem.start}..{last} "
                f"of {problem.name} (a roster for another period?)"
            )
    result = []
    for cell in grid.cells:
        if cell.shift_id not in shift_ids:
            raise InputError(
                f"{cell.where} (employee {cell.employee_id}): unknown shift {cell.shift_id!r}; "
                f"shifts: {', '.join(shift_ids)}"
            )
        result.append(
            Assignment(employee_id=cell.employee_id, day=problem.day_of(cell.date),
                       shift_id=cell.shift_id)
        )  # fmt: skip
    return Roster(assignments=tuple(result))
