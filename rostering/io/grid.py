"""Grid rosters, the form spreadsheets use: a row per person, a column per date.

The first column is `employee_id`, every other column an ISO date, each cell a shift id or
empty (off); two shifts on one day are written `E1|L2`. A CSV whose header starts with
`employee_id` and holds a date is read as a grid (the long form has `date` and `shift_id`
columns instead); an `.xlsx` workbook is always a grid, read from its sheet `roster` (or its
only sheet). This module reads the table and checks its shape; matching people, dates and
shifts against an instance is the caller's (rostering.io.roster, rostering.io.instance).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rostering.domain import Problem, Roster
from rostering.io.csvfile import DATE, IDENT, read_text
from rostering.io.errors import InputError
from rostering.io.safe import csv_text

GRID_SHEET = "roster"
XLSX_SUFFIXES = (".xlsx", ".xlsm")
SEPARATOR = "|"  # between two shifts of one person on one day


@dataclass(frozen=True)
class GridCell:
    """One shift in the grid; `where` names its cell for messages."""

    employee_id: str
    date: date
    shift_id: str
    where: str


@dataclass(frozen=True)
class Grid:
    """A grid roster's content, shape-checked: dates (with where each header cell is),
    the people listed (with where each is), and the shifts in its cells."""

    path: Path
    dates: tuple[tuple[date, str], ...]
    employees: tuple[tuple[str, str], ...]
    cells: tuple[GridCell, ...]


def is_xlsx(path: Path) -> bool:
    return path.suffix.lower() in XLSX_SUFFIXES


def is_grid_header(columns: Sequence[str]) -> bool:
    """The header of a grid: `employee_id` first and a date among the other columns."""
    names = [c.strip() for c in columns]
    return bool(names) and names[0] == "employee_id" and any(DATE.match(c) for c in names[1:])


def is_grid(path: Path) -> bool:
    """Whether `path` holds a grid roster (an .xlsx workbook, or a CSV with a grid header)."""
    if is_xlsx(path):
        return True
    text = read_text(path)
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error:
        return False  # the long-form reader names the problem
    return is_grid_header(header)


def read_grid(path: Path) -> Grid:
    """The grid of a CSV file or an .xlsx workbook; any malformed cell is an InputError."""
    if is_xlsx(path):
        return _xlsx_grid(path)
    text = read_text(path)
    if "\x00" in text:
        raise InputError(f"{path}: contains NUL bytes; is it a CSV text file?")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        raise InputError(f"{path}:{reader.line_num}: malformed CSV ({exc})") from None
    if not rows:
        raise InputError(f"{path}: empty file; expected a header employee_id,<dates...>")

    def where(line: int, column: int, header: str) -> str:
        return f"{path}:{line}: column {header}" if header else f"{path}:{line}"

    return _parse(path, rows[0][1], rows[1:], where, strict_width=True)


def _cell_text(value: Any) -> str:
    """A workbook cell as the text a CSV would hold: dates ISO, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_grid(path: Path) -> Grid:
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.exceptions import InvalidFileException

    if not path.exists():
        raise InputError(f"{path}: file not found")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InputError(f"{path}: not a readable .xlsx workbook") from None
    try:
        names = book.sheetnames
        if GRID_SHEET in names:
            sheet_name = GRID_SHEET
        elif len(names) == 1:
            sheet_name = names[0]
        else:
            raise InputError(
                f"{path}: no sheet {GRID_SHEET!r} (sheets: {', '.join(names)}); the roster grid "
                f"is read from the sheet named {GRID_SHEET!r}, or from a workbook's only sheet"
            )
        sheet = book[sheet_name]
        rows = [
            (i, [_cell_text(v) for v in values])
            for i, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()
    if not rows:
        raise InputError(f"{path}: sheet {sheet_name!r} is empty; expected employee_id, dates")

    def where(line: int, column: int, header: str) -> str:
        cell = f"{path}: sheet {sheet_name}, cell {get_column_letter(column + 1)}{line}"
        return f"{cell} ({header})" if header else cell

    return _parse(path, rows[0][1], rows[1:], where, strict_width=False)


def _parse(
    path: Path,
    header: list[str],
    rows: Iterable[tuple[int, list[str]]],
    where: Callable[[int, int, str], str],
    *,
    strict_width: bool,
) -> Grid:
    names = [h.strip() for h in header]
    while names and not names[-1] and not strict_width:
        names.pop()  # a workbook's trailing blank columns
    if not names or names[0] != "employee_id":
        raise InputError(
            f"{where(1, 0, '')}: a grid roster starts with the column employee_id, then one "
            "column per date YYYY-MM-DD"
        )
    dates: list[tuple[date, str]] = []
    seen: dict[date, str] = {}
    for i, name in enumerate(names[1:], start=1):
        spot = where(1, i, name)
        try:
            if not DATE.match(name):
                raise ValueError
            day = date.fromisoformat(name)
        except ValueError:
            raise InputError(
                f"{spot}: {name!r} is not a date YYYY-MM-DD; a grid roster has employee_id, "
                "then one column per date"
            ) from None
        if day in seen:
            raise InputError(f"{spot}: the date {day} appears twice (also {seen[day]})")
        seen[day] = spot
        dates.append((day, spot))
    employees: list[tuple[str, str]] = []
    listed: dict[str, str] = {}
    cells: list[GridCell] = []
    for line, raw in rows:
        values = [v.strip() for v in raw]
        if not any(values):
            continue
        if len(values) != len(names):
            if strict_width or any(values[len(names) :]):
                raise InputError(
                    f"{where(line, 0, '')}: {len(values)} cells, the header has {len(names)}"
                )
            values = (values + [""] * len(names))[: len(names)]
        eid = values[0]
        spot = where(line, 0, "employee_id")
        if not IDENT.match(eid):
            raise InputError(
                f"{spot}: {eid!r} is not an employee_id (letters, digits, _ . -; no spaces)"
            )
        if eid in listed:
            raise InputError(f"{spot}: employee {eid!r} appears twice (also {listed[eid]})")
        listed[eid] = spot
        employees.append((eid, spot))
        for i, ((day, _), value) in enumerate(zip(dates, values[1:], strict=True), start=1):
            if not value:
                continue
            for sid in (s.strip() for s in value.split(SEPARATOR)):
                if not IDENT.match(sid):
                    raise InputError(
                        f"{where(line, i, day.isoformat())} (employee {eid}): {value!r} is not a "
                        f"shift id or shift ids joined by {SEPARATOR!r}; an empty cell is a day off"
                    )
                cells.append(GridCell(eid, day, sid, f"{where(line, i, day.isoformat())}"))
    return Grid(path, tuple(dates), tuple(employees), tuple(cells))


def grid_rows(problem: Problem, roster: Roster) -> list[list[str]]:
    """The grid of a roster over the horizon: header, then one row per person in staff.csv
    order, a cell per date (shift ids in roster order, joined by | when several)."""
    cells: dict[tuple[str, int], list[str]] = {}
    for a in roster.assignments:
        cells.setdefault((a.employee_id, a.day), []).append(a.shift_id)
    header = ["employee_id"] + [problem.date_of(d).isoformat() for d in range(problem.days)]
    rows = [header]
    for e in problem.employees:
        rows.append(
            [e.id] + [SEPARATOR.join(cells.get((e.id, d), ())) for d in range(problem.days)]
        )
    return rows


def grid_csv(problem: Problem, roster: Roster) -> str:
    """The grid CSV text of a roster (see grid_rows)."""
    header, *rows = grid_rows(problem, roster)
    return csv_text(header, rows)
