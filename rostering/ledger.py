"""The fairness ledger: who has carried the nights, weekends and hours over the last periods.

`ledger(problem, path, periods)` reads a history.csv (`employee_id,period_start,nights,
weekends,minutes`, as `check --update-history` writes it), keeps its last `periods` periods
(distinct `period_start` dates; all of them when None) and totals each figure per person of
staff.csv; people are grouped as the site model's `[fairness]` groups them (contract and
tier by default), and each group of two or more gets the spread (max - min) of each figure
with the people at both ends. Everyone in staff.csv is listed: no row in those periods
counts 0. Rows of people no longer in staff.csv are skipped with a warning.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rostering.check import _grid, _hm
from rostering.domain import Problem
from rostering.io.csvfile import read_csv
from rostering.io.errors import InputError
from rostering.io.instance import MAX_HISTORY
from rostering.io.safe import csv_text

COLUMNS = ("employee_id", "period_start", "nights", "weekends", "minutes")
FIGURES = ("nights", "weekends", "minutes")


@dataclass(frozen=True)
class PersonTotals:
    employee_id: str
    group: str
    nights: int
    weekends: int
    minutes: int
    periods: int  # how many of the chosen periods have a row for the person

    def figure(self, name: str) -> int:
        value: int = getattr(self, name)
        return value


@dataclass(frozen=True)
class GroupSpread:
    """One figure's spread within one group of two or more; the first people in staff order
    at each end."""

    group: str
    figure: str
    high_id: str
    high: int
    low_id: str
    low: int

    @property
    def spread(self) -> int:
        return self.high - self.low


@dataclass(frozen=True)
class Ledger:
    periods: tuple[date, ...]  # the period starts totalled, oldest first
    available: int  # periods in the file
    groups: tuple[str, ...]  # the policy's group keys
    people: tuple[PersonTotals, ...]  # staff order
    spreads: tuple[GroupSpread, ...]
    warnings: tuple[str, ...] = field(default=())


def ledger(problem: Problem, path: Path, periods: int | None = None) -> Ledger:
    """Totals of the last `periods` periods of history.csv `path` per person and group."""
    if periods is not None and periods < 1:
        raise InputError(f"--periods: {periods} is not accepted; give 1 or more")
    known = {e.id for e in problem.employees}
    rows: list[tuple[str, date, int, int, int]] = []
    skipped: set[str] = set()
    for row in read_csv(path, COLUMNS):
        eid = row.ident("employee_id")
        values = (
            row.date("period_start"),
            row.integer("nights", maximum=MAX_HISTORY),
            row.integer("weekends", maximum=MAX_HISTORY),
            row.integer("minutes", maximum=MAX_HISTORY),
        )
        if eid not in known:
            skipped.add(eid)
            continue
        rows.append((eid, *values))
    starts = sorted({r[1] for r in rows})
    chosen = starts if periods is None else starts[-periods:]
    keep = set(chosen)
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for eid, start, nights, weekends, minutes in rows:
        if start in keep:
            t = totals[eid]
            t[0] += nights
            t[1] += weekends
            t[2] += minutes
            t[3] += 1
    policy = problem.model.fairness
    people = tuple(PersonTotals(e.id, policy.group_of(e), *totals[e.id]) for e in problem.employees)
    members: dict[str, list[PersonTotals]] = defaultdict(list)
    for p in people:
        members[p.group].append(p)
    spreads = []
    for group, group_people in members.items():
        if len(group_people) < 2:
            continue
        for name in FIGURES:
            high = max(group_people, key=lambda p: p.figure(name))
            low = min(group_people, key=lambda p: p.figure(name))
            spreads.append(
                GroupSpread(group, name, high.employee_id, high.figure(name),
                            low.employee_id, low.figure(name))
            )  # fmt: skip
    warnings = tuple(
        f"{path}: employee {eid!r} is not in staff.csv; skipped" for eid in sorted(skipped)
    )
    return Ledger(tuple(chosen), len(starts), policy.groups, people, tuple(spreads), warnings)


def _show(figure: str, value: int) -> str:
    return _hm(value) if figure == "minutes" else str(value)


def as_table(book: Ledger) -> str:
    if book.periods:
        span = f"{book.periods[0]} to {book.periods[-1]}"
        head = f"{len(book.periods)} of {book.available} periods ({span})"
    else:
        head = "no periods in the history"
    out = [f"Fairness ledger: {head}; groups: {', '.join(book.groups) or 'everyone'}", ""]
    by_group: dict[str, list[PersonTotals]] = defaultdict(list)
    for p in book.people:
        by_group[p.group].append(p)
    for group, people in by_group.items():
        out.append(f"{group} ({len(people)} {'person' if len(people) == 1 else 'people'})")
        out += _grid(
            ["employee", "nights", "weekends", "paid", "periods"],
            [(p.employee_id, p.nights, p.weekends, _hm(p.minutes), p.periods) for p in people],
            "lrrrr",
        )
        spreads = [s for s in book.spreads if s.group == group]
        if spreads:
            out += _grid(
                ["spread", "max - min", "high end", "low end"],
                [
                    (
                        "paid" if s.figure == "minutes" else s.figure,
                        _show(s.figure, s.spread),
                        f"{s.high_id} {_show(s.figure, s.high)}",
                        f"{s.low_id} {_show(s.figure, s.low)}",
                    )
                    for s in spreads
                ],
                "lrll",
            )
        out.append("")
    out.append(
        "(paid: history.csv's minutes as hours, absences credited as check --update-history "
        "writes them; people without rows count 0)"
    )
    return "\n".join(out) + "\n"


def as_json(book: Ledger) -> str:
    data: dict[str, Any] = {
        "periods": [d.isoformat() for d in book.periods],
        "periods_in_file": book.available,
        "groups": list(book.groups),
        "people": [
            {
                "employee_id": p.employee_id,
                "group": p.group,
                "nights": p.nights,
                "weekends": p.weekends,
                "minutes": p.minutes,
                "periods": p.periods,
            }
            for p in book.people
        ],
        "spreads": [
            {
                "group": s.group,
                "figure": s.figure,
                "spread": s.spread,
                "high": {"employee_id": s.high_id, "value": s.high},
                "low": {"employee_id": s.low_id, "value": s.low},
            }
            for s in book.spreads
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    "section", "group", "employee_id", "nights", "weekends", "minutes", "periods",
    "figure", "spread", "high_id", "high", "low_id", "low",
)  # fmt: skip


def as_csv(book: Ledger) -> str:
    """`person` rows (group, employee_id, nights, weekends, minutes, periods) and `spread`
    rows (group, figure, spread, high_id, high, low_id, low)."""
    rows: list[list[Any]] = []
    for p in book.people:
        rows.append(["person", p.group, p.employee_id, p.nights, p.weekends, p.minutes,
                     p.periods, "", "", "", "", "", ""])  # fmt: skip
    for s in book.spreads:
        rows.append(["spread", s.group, "", "", "", "", "", s.figure, s.spread,
                     s.high_id, s.high, s.low_id, s.low])  # fmt: skip
    return csv_text(CSV_COLUMNS, rows)


FORMATTERS: dict[str, Callable[[Ledger], str]] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
}
