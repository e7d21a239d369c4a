"""Roster CSV: write ours, and read one from anywhere (`check`, `previous.csv`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from rostering.domain import Assignment, Problem, Roster
from rostering.io.csvfile import read_csv
from rostering.io.errors import InputError
from rostering.io.safe import csv_text

ROSTER_COLUMNS = ("employee_id", "date", "shift_id", "start", "end", "tier")


def shift_times(problem: Problem, a: Assignment) -> tuple[datetime, datetime]:
    shift = problem.model.shift(a.shift_id)
    start = datetime.combine(problem.date_of(a.day), datetime.min.time()) + timedelta(
        minutes=shift.start_minute
    )
    return start, start + timedelta(minutes=shift.minutes)


def roster_csv(problem: Problem, roster: Roster) -> str:
    """roster.csv text: one row per worked shift, sorted by date, start, employee_id."""
    tiers = {e.id: e.tier for e in problem.employees}
    rows = []
    for a in roster.assignments:
        start, end = shift_times(problem, a)
        rows.append((a.day, start, a.employee_id, a.shift_id, end))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return csv_text(
        ROSTER_COLUMNS,
        (
            (eid, problem.date_of(day).isoformat(), sid, f"{start:%Y-%m-%dT%H:%M}",
             f"{end:%Y-%m-%dT%H:%M}", tiers[eid])
            for day, start, eid, sid, end in rows
        ),
    )  # fmt: skip


def read_roster(path: Path, problem: Problem) -> Roster:
    """A roster from anywhere. Unknown employees or shifts, dates outside the horizon, and
    start/end/tier cells that disagree with the instance are input errors; a second row for
    the same person and day is kept (evaluate reports it as one_shift_per_day)."""
    employees = {e.id: e for e in problem.employees}
    shift_ids = [s.id for s in problem.model.shifts]
    result = []
    for row in read_csv(path, ROSTER_COLUMNS[:3], ROSTER_COLUMNS[3:]):
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
