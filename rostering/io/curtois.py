"""The Curtois & Qu nurse rostering benchmark (`Instance1.txt` … `Instance24.txt`).

* `read_curtois` parses a benchmark `.txt` file into a `CurtoisInstance`.
* `write_instance_dir` converts it into an instance directory in our own formats
  (docs: FORMATS.md, `rostering convert curtois`).
* `roster_grid` / `read_grid` write and read the benchmark site's tab-separated solution grid.
* `benchmark_objective` / `benchmark_violations` are an independent reference checker written
  straight from the benchmark's definition (shared/benchmarks/curtois/FORMAT.md). They share no
  code with the solver or the evaluator on purpose: they exist to cross-check both.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeAlias

from rostering.io.safe import MAX_CSV_BYTES, read_bytes

__all__ = [
    "Assignment",
    "CurtoisCover",
    "CurtoisDaysOff",
    "CurtoisInstance",
    "CurtoisRequest",
    "CurtoisShift",
    "CurtoisStaff",
    "benchmark_objective",
    "benchmark_violations",
    "read_curtois",
    "read_grid",
    "roster_grid",
    "write_instance_dir",
]

# The seven section headers, in file order (written as SECTION_<NAME> in the files).
SECTIONS = tuple(
    "SECTION_" + name
    for name in (
        "HORIZON", "SHIFTS", "STAFF", "DAYS_OFF", "SHIFT_ON_REQUESTS", "SHIFT_OFF_REQUESTS",
        "COVER",
    )
)  # fmt: skip
HORIZON = SECTIONS[0]

# Files written by `write_instance_dir`, in writing order.
INSTANCE_FILES = ("model.toml", "instance.toml", "staff.csv", "cover.csv", "requests.csv")
STAFF_COLUMNS = (
    "employee_id",
    "tier",
    "contract",
    "max_shifts",
    "max_minutes",
    "min_minutes",
    "max_consecutive_days",
    "min_consecutive_days",
    "min_consecutive_days_off",
    "max_weekends",
)
COVER_COLUMNS = ("date", "shift_id", "required", "under_weight", "over_weight")
REQUEST_COLUMNS = ("employee_id", "date", "kind", "shift_id", "weight")
TIER = "staff"
CONTRACT = "benchmark"
# Identifiers of our formats (FORMATS.md); the benchmark's IDs all match it.
_IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class CurtoisShift:
    """A shift type: `length` in minutes; `forbidden_next` may not be worked the day after."""

    id: str
    length: int
    forbidden_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class CurtoisStaff:
    """An employee and their limits over the horizon.

    `max_shifts` holds the `ShiftID=max` pairs in file order; shift types not listed are
    unlimited, 0 forbids the type.
    """

    id: str
    max_shifts: tuple[tuple[str, int], ...]
    max_total_minutes: int
    min_total_minutes: int
    max_consecutive_shifts: int
    min_consecutive_shifts: int
    min_consecutive_days_off: int
    max_weekends: int

    def max_shifts_of(self, shift_id: str) -> int | None:
        """The limit for one shift type, or None when unlimited (not listed)."""
        for sid, limit in self.max_shifts:
            if sid == shift_id:
                return limit
        return None


@dataclass(frozen=True)
class CurtoisDaysOff:
    """An employee's mandatory days off (one `SECTION_DAYS_OFF` row)."""

    employee_id: str
    days: tuple[int, ...]


@dataclass(frozen=True)
class CurtoisRequest:
    """A shift-on or shift-off request."""

    employee_id: str
    day: int
    shift_id: str
    weight: int


@dataclass(frozen=True)
class CurtoisCover:
    """A staffing target for one (day, shift)."""

    day: int
    shift_id: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass(frozen=True)
class CurtoisInstance:
    """A parsed benchmark instance; every tuple keeps the file's order."""

    horizon: int
    shifts: tuple[CurtoisShift, ...]
    staff: tuple[CurtoisStaff, ...]
    days_off: tuple[CurtoisDaysOff, ...]
    on_requests: tuple[CurtoisRequest, ...]
    off_requests: tuple[CurtoisRequest, ...]
    cover: tuple[CurtoisCover, ...]
    name: str = ""

    def shift(self, shift_id: str) -> CurtoisShift:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


# --------------------------------------------------------------------------- reading


class _Lines:
    """Numbered lines of one section, and one-line error messages naming file and line."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def error(self, line: int, message: str) -> ValueError:
        return ValueError(f"{self.path}:{line}: {message}")


def _fields(text: str, count: int | None = None) -> list[str]:
    """Comma-separated fields, stripped; empty trailing fields beyond `count` are dropped."""
    cells = [c.strip() for c in text.split(",")]
    if count is None:
        while cells and cells[-1] == "":
            cells.pop()
    else:
        while len(cells) > count and cells[-1] == "":
            cells.pop()
    return cells


def read_curtois(path: Path) -> CurtoisInstance:
    """Parse a Curtois & Qu `.txt` instance.

    Tolerates CRLF, a BOM, comment and blank lines, spaces around fields, an empty
    `ForbiddenNext` with or without its trailing comma, and trailing commas elsewhere.
    Anything else raises ValueError naming the file, the line and what was expected.
    """
    path = Path(path)
    src = _Lines(path)
    try:
        text = read_bytes(path, MAX_CSV_BYTES).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not a text file ({exc.reason} at byte {exc.start})") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    # Split into sections: name -> [(line number, content)].
    sections: dict[str, list[tuple[int, str]]] = {}
    headers: dict[str, int] = {}
    current: str | None = None
    expected = 0  # index into SECTIONS of the next section header
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if expected >= len(SECTIONS):
                raise src.error(number, f"unexpected {line}; {SECTIONS[-1]} was the last section")
            if line != SECTIONS[expected]:
                what = "unknown section" if line not in SECTIONS else "section out of order"
                raise src.error(number, f"{what} {line}; expected {SECTIONS[expected]}")
            current = line
            sections[current] = []
            headers[current] = number
            expected += 1
            continue
        if current is None:
            raise src.error(number, f"expected {SECTIONS[0]} before any data, found {line!r}")
        sections[current].append((number, line))
    if expected < len(SECTIONS):
        raise src.error(len(lines), f"expected {SECTIONS[expected]}, found the end of the file")

    for section, rows in sections.items():
        if not rows and section in SECTIONS[:3]:
            raise src.error(headers[section], f"{section}: expected at least one data line")
    horizon = _read_horizon(src, sections[HORIZON])
    shifts = _read_shifts(src, sections["SECTION_SHIFTS"])
    shift_ids = {s.id for s in shifts}
    staff = _read_staff(src, sections["SECTION_STAFF"], shift_ids)
    staff_ids = {e.id for e in staff}
    days_off = _read_days_off(src, sections["SECTION_DAYS_OFF"], staff_ids, horizon)
    on_requests = _read_requests(
        src, sections["SECTION_SHIFT_ON_REQUESTS"], staff_ids, shift_ids, horizon
    )
    off_requests = _read_requests(
        src, sections["SECTION_SHIFT_OFF_REQUESTS"], staff_ids, shift_ids, horizon
    )
    cover = _read_cover(src, sections["SECTION_COVER"], shift_ids, horizon)
    return CurtoisInstance(
        horizon=horizon,
        shifts=shifts,
        staff=staff,
        days_off=days_off,
        on_requests=on_requests,
        off_requests=off_requests,
        cover=cover,
        name=path.stem,
    )


def _int(src: _Lines, number: int, value: str, what: str, minimum: int = 0) -> int:
    try:
        result = int(value)
    except ValueError:
        raise src.error(number, f"{what}: expected a whole number, found {value!r}") from None
    if result < minimum:
        raise src.error(number, f"{what}: expected a whole number >= {minimum}, found {result}")
    return result


def _id(src: _Lines, number: int, value: str, what: str) -> str:
    if not value or any(c in value for c in " \t|=,"):
        raise src.error(number, f"{what}: expected an ID, found {value!r}")
    return value


def _known(src: _Lines, number: int, value: str, known: set[str], what: str) -> str:
    if value not in known:
        listed = ", ".join(sorted(known))
        raise src.error(number, f"{what}: unknown ID {value!r}; expected one of {listed}")
    return value


def _day(src: _Lines, number: int, value: str, horizon: int, what: str) -> int:
    day = _int(src, number, value, what)
    if day >= horizon:
        raise src.error(number, f"{what}: expected a day from 0 to {horizon - 1}, found {day}")
    return day


def _columns(src: _Lines, number: int, cells: list[str], names: str) -> None:
    count = names.count(",") + 1
    if len(cells) != count:
        raise src.error(number, f"expected {count} fields ({names}), found {len(cells)}")


def _read_horizon(src: _Lines, rows: list[tuple[int, str]]) -> int:
    if len(rows) > 1:
        raise src.error(rows[1][0], f"{HORIZON}: expected one line (the number of days)")
    number, line = rows[0]
    cells = _fields(line, 1)
    _columns(src, number, cells, "Days")
    return _int(src, number, cells[0], "horizon", minimum=1)


def _read_shifts(src: _Lines, rows: list[tuple[int, str]]) -> tuple[CurtoisShift, ...]:
    parsed: list[tuple[int, str, int, list[str]]] = []
    seen: set[str] = set()
    for number, line in rows:
        cells = _fields(line, 3)
        if len(cells) == 2:  # an empty ForbiddenNext without its trailing comma
            cells.append("")
        _columns(src, number, cells, "ShiftID, LengthMinutes, ForbiddenNext")
        sid = _id(src, number, cells[0], "ShiftID")
        if sid in seen:
            raise src.error(number, f"ShiftID {sid!r} appears twice; expected unique shift IDs")
        seen.add(sid)
        length = _int(src, number, cells[1], "LengthMinutes", minimum=1)
        nxt = [c.strip() for c in cells[2].split("|")] if cells[2] else []
        parsed.append((number, sid, length, nxt))
    shifts = []
    for number, sid, length, nxt in parsed:
        forbidden = tuple(_known(src, number, t, seen, "ForbiddenNext") for t in nxt if t)
        shifts.append(CurtoisShift(sid, length, forbidden))
    return tuple(shifts)


def _read_staff(
    src: _Lines, rows: list[tuple[int, str]], shift_ids: set[str]
) -> tuple[CurtoisStaff, ...]:
    names = (
        "ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, "
        "MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends"
    )
    staff: list[CurtoisStaff] = []
    seen: set[str] = set()
    for number, line in rows:
        cells = _fields(line, 8)
        _columns(src, number, cells, names)
        eid = _id(src, number, cells[0], "employee ID")
        if eid in seen:
            raise src.error(number, f"employee {eid!r} appears twice; expected unique IDs")
        seen.add(eid)
        pairs: list[tuple[str, int]] = []
        for item in cells[1].split("|"):
            if not item.strip():  # an empty field or a stray "|"
                continue
            sid, eq, value = (part.strip() for part in item.partition("="))
            if not eq:
                raise src.error(number, f"MaxShifts: expected ShiftID=max, found {item!r}")
            _known(src, number, sid, shift_ids, "MaxShifts")
            if any(sid == s for s, _ in pairs):
                raise src.error(number, f"MaxShifts: shift {sid!r} listed twice")
            pairs.append((sid, _int(src, number, value, f"MaxShifts {sid}")))
        values = [_int(src, number, cells[i], names.split(", ")[i]) for i in range(2, 8)]
        staff.append(CurtoisStaff(eid, tuple(pairs), *values))
    return tuple(staff)


def _read_days_off(
    src: _Lines, rows: list[tuple[int, str]], staff_ids: set[str], horizon: int
) -> tuple[CurtoisDaysOff, ...]:
    result = []
    for number, line in rows:
        cells = _fields(line)
        if not cells:
            raise src.error(number, "expected EmployeeID, day, day, …")
        eid = _known(src, number, cells[0], staff_ids, "EmployeeID")
        days = tuple(_day(src, number, c, horizon, "day") for c in cells[1:])
        result.append(CurtoisDaysOff(eid, days))
    return tuple(result)


def _read_requests(
    src: _Lines,
    rows: list[tuple[int, str]],
    staff_ids: set[str],
    shift_ids: set[str],
    horizon: int,
) -> tuple[CurtoisRequest, ...]:
    result = []
    for number, line in rows:
        cells = _fields(line, 4)
        _columns(src, number, cells, "EmployeeID, Day, ShiftID, Weight")
        result.append(
            CurtoisRequest(
                employee_id=_known(src, number, cells[0], staff_ids, "EmployeeID"),
                day=_day(src, number, cells[1], horizon, "Day"),
                shift_id=_known(src, number, cells[2], shift_ids, "ShiftID"),
                weight=_int(src, number, cells[3], "Weight"),
            )
        )
    return tuple(result)


def _read_cover(
    src: _Lines, rows: list[tuple[int, str]], shift_ids: set[str], horizon: int
) -> tuple[CurtoisCover, ...]:
    result = []
    seen: set[tuple[int, str]] = set()
    for number, line in rows:
        cells = _fields(line, 5)
        _columns(src, number, cells, "Day, ShiftID, Requirement, WeightUnder, WeightOver")
        row = CurtoisCover(
            day=_day(src, number, cells[0], horizon, "Day"),
            shift_id=_known(src, number, cells[1], shift_ids, "ShiftID"),
            requirement=_int(src, number, cells[2], "Requirement"),
            weight_under=_int(src, number, cells[3], "WeightUnder"),
            weight_over=_int(src, number, cells[4], "WeightOver"),
        )
        if (row.day, row.shift_id) in seen:
            raise src.error(
                number, f"cover for day {row.day} shift {row.shift_id} appears twice; expected once"
            )
        seen.add((row.day, row.shift_id))
        result.append(row)
    return tuple(result)


# --------------------------------------------------------------------------- writing


def _toml_str(value: str) -> str:
    """A TOML basic string."""
    out = []
    for ch in value:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _model_toml(inst: CurtoisInstance, name: str) -> str:
    h = inst.horizon
    source = f" {inst.name}" if inst.name else ""
    lines = [
        f"# Converted from the Curtois & Qu benchmark instance{source} by rostering convert.",
        "# Every shift starts at 00:00: the benchmark has no clock times. Per-employee limits",
        "# are override columns of staff.csv; cover.csv carries the per-row cover weights.",
        f"name = {_toml_str(name)}",
        "",
        "[tiers]",
        f"order = [{_toml_str(TIER)}]",
    ]
    for s in inst.shifts:
        lines += ["", "[[shifts]]", f"id = {_toml_str(s.id)}", 'start = "00:00"']
        lines.append(f"minutes = {s.length}")
    # Permissive defaults: every employee overrides each of these in staff.csv. An empty
    # max_shifts map keeps the benchmark's meaning: types an employee does not list are unlimited.
    lines += [
        "",
        f"[contracts.{CONTRACT}]",
        "min_minutes = 0",
        f"max_minutes = {h * 1440}",
        f"max_consecutive_days = {h}",
        "min_consecutive_days = 0",
        "min_consecutive_days_off = 0",
        f"max_weekends = {(h + 1) // 7}",
        "max_shifts = {}",
    ]
    pairs = [f"[{_toml_str(s.id)}, {_toml_str(t)}]" for s in inst.shifts for t in s.forbidden_next]
    lines += ["", "[rules]", "min_rest_minutes = 0"]
    if pairs:
        lines.append("forbidden_successions = [")
        lines += [f"  {p}," for p in pairs]
        lines.append("]")
    else:
        lines.append("forbidden_successions = []")
    lines += ["", "[weights]", "under_cover = 100", "over_cover = 1", "requests = 1", ""]
    return "\n".join(lines)


def _write_csv(path: Path, header: Iterable[str], rows: Iterable[Iterable[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _check_ids(inst: CurtoisInstance) -> None:
    for kind, ids in (
        ("shift", [s.id for s in inst.shifts]),
        ("employee", [e.id for e in inst.staff]),
    ):
        for value in ids:
            if not _IDENT.match(value):
                raise ValueError(
                    f"{kind} ID {value!r} is not an identifier of our formats "
                    "(letters, digits, _ . -, starting with a letter or digit)"
                )


def write_instance_dir(
    inst: CurtoisInstance,
    out_dir: Path,
    start: date = date(2024, 1, 1),
    name: str | None = None,
) -> None:
    """Write `inst` as an instance directory in our formats (FORMATS.md).

    Writes model.toml, instance.toml, staff.csv, cover.csv and requests.csv to a temporary
    directory beside `out_dir`, then renames it into place: a failure leaves nothing
    half-written. An existing `out_dir` is replaced only if it holds nothing but these files.
    `name` (the model's name) defaults to "Curtois & Qu <instance name>".
    """
    out_dir = Path(out_dir).resolve()
    if start.weekday() != 0:
        raise ValueError(
            f"{start.isoformat()} is a {start.strftime('%A')}: --start must be a Monday "
            "(day 0 of every benchmark instance is a Monday)"
        )
    _check_ids(inst)
    if out_dir.exists():
        if not out_dir.is_dir():
            raise ValueError(f"{out_dir}: exists and is not a directory")
        foreign = sorted(p.name for p in out_dir.iterdir() if p.name not in INSTANCE_FILES)
        if foreign:
            raise ValueError(
                f"{out_dir}: not empty and holds files convert did not write "
                f"({', '.join(foreign)}); choose a new or empty directory"
            )
    if name is None:
        name = f"Curtois & Qu {inst.name}".strip() if inst.name else "Curtois & Qu instance"
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    # os.mkdir (not tempfile.mkdtemp, which makes it private) so the umask applies.
    tmp = parent / f".{out_dir.name}.{uuid.uuid4().hex[:12]}.tmp"
    tmp.mkdir()
    try:
        _write_files(inst, tmp, start, name)
        _move_into_place(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _move_into_place(tmp: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(tmp, out_dir)
        return
    backup = out_dir.with_name(f".{out_dir.name}.{uuid.uuid4().hex[:12]}.old")
    os.rename(out_dir, backup)
    try:
        os.rename(tmp, out_dir)
    except BaseException:
        os.rename(backup, out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _write_files(inst: CurtoisInstance, d: Path, start: date, name: str) -> None:
    def iso(day: int) -> str:
        return (start + timedelta(days=day)).isoformat()

    (d / "model.toml").write_text(_model_toml(inst, name), encoding="utf-8", newline="\n")
    (d / "instance.toml").write_text(
        f'model = "model.toml"\nstart = "{start.isoformat()}"\ndays = {inst.horizon}\n',
        encoding="utf-8",
        newline="\n",
    )
    _write_csv(
        d / "staff.csv",
        STAFF_COLUMNS,
        (
            (
                e.id,
                TIER,
                CONTRACT,
                "|".join(f"{sid}={limit}" for sid, limit in e.max_shifts),
                e.max_total_minutes,
                e.min_total_minutes,
                e.max_consecutive_shifts,
                e.min_consecutive_shifts,
                e.min_consecutive_days_off,
                e.max_weekends,
            )
            for e in inst.staff
        ),
    )
    order = {s.id: i for i, s in enumerate(inst.shifts)}
    cover = sorted(inst.cover, key=lambda c: (c.day, order[c.shift_id]))
    _write_csv(
        d / "cover.csv",
        COVER_COLUMNS,
        ((iso(c.day), c.shift_id, c.requirement, c.weight_under, c.weight_over) for c in cover),
    )
    rows: list[tuple[str, str, str, str, str]] = []
    seen: set[tuple[str, int]] = set()
    for off in inst.days_off:
        for day in off.days:
            if (off.employee_id, day) not in seen:  # a repeated day off is one request
                seen.add((off.employee_id, day))
                rows.append((off.employee_id, iso(day), "unavailable", "", ""))
    for kind, requests in (("on", inst.on_requests), ("off", inst.off_requests)):
        for r in requests:
            rows.append((r.employee_id, iso(r.day), kind, r.shift_id, str(r.weight)))
    _write_csv(d / "requests.csv", REQUEST_COLUMNS, rows)


# --------------------------------------------------------------------------- solution grid


def roster_grid(inst: CurtoisInstance, assignment: Mapping[tuple[str, int], str]) -> str:
    """The benchmark site's solution grid: one tab-separated line per employee (file order),
    one cell per day holding the shift ID, an empty cell for a day off."""
    staff = {e.id for e in inst.staff}
    shifts = {s.id for s in inst.shifts}
    for (eid, day), sid in assignment.items():
        if eid not in staff:
            raise ValueError(f"assignment names unknown employee {eid!r}")
        if not 0 <= day < inst.horizon:
            raise ValueError(f"assignment of {eid}: day {day} outside 0..{inst.horizon - 1}")
        if sid not in shifts:
            raise ValueError(f"assignment of {eid} on day {day}: unknown shift {sid!r}")
    return "".join(
        "\t".join(assignment.get((e.id, day), "") for day in range(inst.horizon)) + "\n"
        for e in inst.staff
    )


def read_grid(inst: CurtoisInstance, text: str) -> dict[tuple[str, int], str]:
    """Parse a solution grid back into (employee_id, day) -> shift_id (worked days only).

    Accepts CRLF, surrounding spaces in cells, a trailing tab per line and trailing blank lines.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    while len(lines) > len(inst.staff) and not lines[-1].strip():
        lines.pop()
    if len(lines) != len(inst.staff):
        raise ValueError(
            f"grid: expected {len(inst.staff)} lines (one per employee), found {len(lines)}"
        )
    shifts = {s.id for s in inst.shifts}
    result: dict[tuple[str, int], str] = {}
    for number, (employee, line) in enumerate(zip(inst.staff, lines, strict=True), start=1):
        cells = [c.strip() for c in line.split("\t")]
        while len(cells) > inst.horizon and cells[-1] == "":
            cells.pop()
        if len(cells) != inst.horizon:
            raise ValueError(
                f"grid line {number} ({employee.id}): expected {inst.horizon} tab-separated "
                f"cells, found {len(cells)}"
            )
        for day, cell in enumerate(cells):
            if not cell:
                continue
            if cell not in shifts:
                raise ValueError(
                    f"grid line {number} ({employee.id}), day {day}: unknown shift {cell!r}; "
                    f"expected one of {', '.join(sorted(shifts))} or an empty cell"
                )
            result[(employee.id, day)] = cell
    return result


# --------------------------------------------------------------------------- reference checker
#
# Written straight from FORMAT.md and deliberately self-contained. An assignment is either a
# mapping (employee_id, day) -> shift_id, or an iterable of (employee_id, day, shift_id) rows
# (e.g. the rows of a roster.csv), which can express two shifts on one day (hard rule 1).

Assignment: TypeAlias = Mapping[tuple[str, int], str] | Iterable[tuple[str, int, str]]


def _rows(assignment: Assignment) -> list[tuple[str, int, str]]:
    if isinstance(assignment, Mapping):
        return [(eid, day, sid) for (eid, day), sid in assignment.items()]
    return [(eid, day, sid) for eid, day, sid in assignment]


def _bad_rows(inst: CurtoisInstance, rows: list[tuple[str, int, str]]) -> list[str | None]:
    """Per row: why it cannot be part of a roster of `inst`, or None when it can."""
    staff = {e.id for e in inst.staff}
    shifts = {s.id for s in inst.shifts}
    problems: list[str | None] = []
    for eid, day, sid in rows:
        if eid not in staff:
            problems.append(f"{eid}: unknown employee (day {day}, shift {sid})")
        elif not 0 <= day < inst.horizon:
            problems.append(f"{eid}: day {day} is outside the horizon 0-{inst.horizon - 1}")
        elif sid not in shifts:
            problems.append(f"{eid}: unknown shift {sid!r} on day {day}")
        else:
            problems.append(None)
    return problems


def benchmark_objective(inst: CurtoisInstance, assignment: Assignment) -> int:
    """The benchmark's penalty (FORMAT.md "Objective"): on-requests not granted, off-requests
    worked, and weighted under- and over-cover per cover row.

    Raises ValueError for rows naming an unknown employee or shift, or a day off the horizon.
    """
    rows = _rows(assignment)
    for problem in _bad_rows(inst, rows):
        if problem:
            raise ValueError(f"assignment: {problem}")
    worked = set(rows)
    assigned = Counter((day, sid) for _, day, sid in rows)
    penalty = 0
    for r in inst.on_requests:
        if (r.employee_id, r.day, r.shift_id) not in worked:
            penalty += r.weight
    for r in inst.off_requests:
        if (r.employee_id, r.day, r.shift_id) in worked:
            penalty += r.weight
    for c in inst.cover:
        n = assigned[(c.day, c.shift_id)]
        penalty += c.weight_under * max(0, c.requirement - n)
        penalty += c.weight_over * max(0, n - c.requirement)
    return penalty


def _runs(flags: list[bool], value: bool) -> list[tuple[int, int]]:
    """Maximal runs (first day, last day) of days whose flag equals `value`."""
    runs = []
    day = 0
    while day < len(flags):
        if flags[day] == value:
            first = day
            while day + 1 < len(flags) and flags[day + 1] == value:
                day += 1
            runs.append((first, day))
        day += 1
    return runs


def _days(first: int, last: int) -> str:
    return f"day {first}" if first == last else f"days {first}-{last}"


def benchmark_violations(inst: CurtoisInstance, assignment: Assignment) -> list[str]:
    """Every broken hard constraint of FORMAT.md (1-10), one readable message each.

    Rows naming an unknown employee or shift, or a day off the horizon, are reported too and
    otherwise ignored. An empty list means the assignment is feasible.
    """
    h = inst.horizon
    messages: list[str] = []
    by_employee: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    rows = _rows(assignment)
    for (eid, day, sid), problem in zip(rows, _bad_rows(inst, rows), strict=True):
        if problem:
            messages.append(problem)
        else:
            by_employee[eid][day].append(sid)
    length = {s.id: s.length for s in inst.shifts}
    forbidden = {s.id: set(s.forbidden_next) for s in inst.shifts}
    days_off: dict[str, set[int]] = defaultdict(set)
    for off in inst.days_off:
        days_off[off.employee_id].update(off.days)

    for e in inst.staff:
        plan = by_employee.get(e.id, {})
        # 1. One shift per day.
        for day in sorted(plan):
            if len(plan[day]) > 1:
                shifts = ", ".join(plan[day])
                messages.append(f"{e.id}: {len(plan[day])} shifts on day {day} ({shifts}), max 1")
        # 2. Max shifts per type (types not listed are unlimited).
        counts = Counter(sid for sids in plan.values() for sid in sids)
        for s in inst.shifts:
            limit = e.max_shifts_of(s.id)
            if limit is not None and counts[s.id] > limit:
                messages.append(f"{e.id}: {counts[s.id]} {s.id} shifts, max {limit}")
        # 3./4. Total minutes.
        minutes = sum(length[sid] for sids in plan.values() for sid in sids)
        if minutes > e.max_total_minutes:
            messages.append(f"{e.id}: {minutes} minutes worked, max {e.max_total_minutes}")
        if minutes < e.min_total_minutes:
            messages.append(f"{e.id}: {minutes} minutes worked, min {e.min_total_minutes}")
        worked = [bool(plan.get(day)) for day in range(h)]
        # 5. Max consecutive shifts: runs inside the horizon only.
        # 6. Min consecutive shifts: runs touching day 0 or day H-1 are exempt.
        for first, last in _runs(worked, True):
            n = last - first + 1
            if n > e.max_consecutive_shifts:
                messages.append(
                    f"{e.id}: {n} consecutive shifts on {_days(first, last)}, "
                    f"max {e.max_consecutive_shifts}"
                )
            if first > 0 and last < h - 1 and n < e.min_consecutive_shifts:
                messages.append(
                    f"{e.id}: {n} consecutive shifts on {_days(first, last)}, "
                    f"min {e.min_consecutive_shifts}"
                )
        # 7. Min consecutive days off: runs touching day 0 or day H-1 are exempt.
        for first, last in _runs(worked, False):
            n = last - first + 1
            if first > 0 and last < h - 1 and n < e.min_consecutive_days_off:
                messages.append(
                    f"{e.id}: {n} consecutive days off on {_days(first, last)}, "
                    f"min {e.min_consecutive_days_off}"
                )
        # 8. Max weekends: weekend k = days 7k+5 and 7k+6, worked if either is.
        weekends = [
            k
            for k in range((h + 1) // 7)
            if any(worked[d] for d in (7 * k + 5, 7 * k + 6) if d < h)
        ]
        if len(weekends) > e.max_weekends:
            listed = ", ".join(str(k) for k in weekends)
            messages.append(
                f"{e.id}: {len(weekends)} weekends worked (weekends {listed}), max {e.max_weekends}"
            )
        # 9. Mandatory days off.
        for day in sorted(days_off.get(e.id, ())):
            if day in plan:
                messages.append(f"{e.id}: works {', '.join(plan[day])} on day {day}, a day off")
        # 10. Shift rotation, inside the horizon only.
        for day in range(h - 1):
            for shift_id in plan.get(day, []):
                for t in plan.get(day + 1, []):
                    if t in forbidden[shift_id]:
                        messages.append(
                            f"{e.id}: {shift_id} on day {day} followed by {t} on day {day + 1}, "
                            "a forbidden succession"
                        )
    return messages
