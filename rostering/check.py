"""Check a roster from anywhere: is it legal, what does it cost, and is it fair?

`check_roster(problem, roster)` gathers, in one frozen `CheckReport`:

- every hard-rule violation and every soft penalty, exactly as `rostering.evaluate` judges
  them (nothing here re-implements a rule; the objective is evaluate's);
- the coverage shortfall per day, aggregated from evaluate's coverage rows;
- descriptive figures per employee (paid minutes against the contract's limits, shifts,
  nights, weekends, early and late shifts, requests granted, history carried), counted
  from the roster itself;
- per contract group, the min, max, spread and population standard deviation of each
  figure;
- a verdict on each limit of the fairness policy (`[fairness]`) per group, with the people
  at both ends (evaluate's figures; a broken limit is also one of the violations).

`as_table`, `as_json` and `as_csv` render a report; `update_history` appends this roster's
period to a history.csv (docs: FORMATS.md).
"""

from __future__ import annotations

import json
import os
import statistics
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rostering.demand import targets_of
from rostering.domain import Employee, Problem, Request, Roster
from rostering.evaluate import Evaluation, Spread, Violation, evaluate
from rostering.io.csvfile import read_csv
from rostering.io.safe import csv_text, write_atomic
from rostering.model.families import PRICED_FAMILIES
from rostering.service import Figures, Service, service_lines, service_of, service_summary
from rostering.staffing import ServiceTargets

HISTORY_COLUMNS = ("employee_id", "period_start", "nights", "weekends", "minutes")
# per-employee figures summarised per contract group, in this order
FIGURES = (
    "minutes",
    "shifts",
    "nights",
    "weekends",
    "early",
    "late",
    "requests",
    "requests_granted",
)
# added to FIGURES when the instance has a history.csv: horizon figure + history carried
TOTAL_FIGURES = ("total_nights", "total_weekends", "total_minutes")
MINUTE_FIGURES = frozenset({"minutes", "total_minutes"})
WIDTH = 100  # of the table format


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Shortfall:
    """Coverage missing on one day.

    Interval demand: one row per date and tier; `tier` means "that tier or higher" (the
    cumulative D>=t / S>=t of coverage.csv), `required` and `shortfall` are summed over the
    day's intervals in person-intervals, `shift_id` is None. Slot demand: one row per date,
    shift and cover-row tier (None = anyone), in people. `minutes_short` = shortfall x the
    interval length (or the shift's length on duty).
    """

    date: date
    tier: str | None
    shift_id: str | None
    required: int
    shortfall: int
    minutes_short: int

    @property
    def hours_short(self) -> float:
        return round(self.minutes_short / 60, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "tier": self.tier,
            "shift_id": self.shift_id,
            "required": self.required,
            "shortfall": self.shortfall,
            "hours_short": self.hours_short,
        }


@dataclass(frozen=True)
class EmployeeFigures:
    """What one person works in the horizon.

    `minutes` are paid minutes; `min_minutes` / `max_minutes` the contract's limits for the
    horizon: `min_minutes` / `max_minutes` when set, else the weekly limits pro rata over
    the horizon's ISO weeks (limit x days of the week in the horizon // 7), the stricter of
    the two when both are set; minimums are lowered by `absence_credit_minutes` per whole
    unavailable day, both by it per day of leave, and the first week's by previous.csv's
    paid minutes of its days before the start, when previous.csv covers them (the whole
    weekly limits then apply; never below 0). None = no limit. `weekends` counts weekends with a day
    in the horizon in which Saturday or Sunday is worked (previous.csv's Saturday counts for
    a weekend straddling the start). `requests` counts on/off requests and
    `requests_granted` those not refused (docs/RULES.md). `history_*` are the sums of
    history.csv for the person, None without history rows.
    """

    employee_id: str
    name: str
    tier: str
    contract: str
    minutes: int
    min_minutes: int | None
    max_minutes: int | None
    shifts: int
    nights: int
    weekends: int
    early: int
    late: int
    requests: int
    requests_granted: int
    history_nights: int | None = None
    history_weekends: int | None = None
    history_minutes: int | None = None
    absence_minutes: int = 0  # absence credit of the horizon's whole days of leave/unavailable

    @property
    def total_nights(self) -> int:
        return self.nights + (self.history_nights or 0)

    @property
    def total_weekends(self) -> int:
        return self.weekends + (self.history_weekends or 0)

    @property
    def total_minutes(self) -> int:
        """Paid minutes with absence credit, plus history.csv's (the fairness figure)."""
        return self.minutes + self.absence_minutes + (self.history_minutes or 0)

    def figure(self, name: str) -> int:
        value = getattr(self, name)
        assert isinstance(value, int), name
        return value

    def as_dict(self) -> dict[str, Any]:
        return {
            "employee_id": self.employee_id,
            "name": self.name,
            "tier": self.tier,
            "contract": self.contract,
            "minutes": self.minutes,
            "min_minutes": self.min_minutes,
            "max_minutes": self.max_minutes,
            "shifts": self.shifts,
            "nights": self.nights,
            "weekends": self.weekends,
            "early": self.early,
            "late": self.late,
            "requests": self.requests,
            "requests_granted": self.requests_granted,
            "history_nights": self.history_nights,
            "history_weekends": self.history_weekends,
            "history_minutes": self.history_minutes,
            "absence_minutes": self.absence_minutes,
        }


@dataclass(frozen=True)
class FigureStats:
    """One figure over a contract group: min, max, spread = max - min, population stdev."""

    figure: str
    min: int
    max: int
    spread: int
    stdev: float

    def as_dict(self) -> dict[str, Any]:
        return {"min": self.min, "max": self.max, "spread": self.spread, "stdev": self.stdev}


@dataclass(frozen=True)
class GroupSummary:
    """The employees sharing a contract name, and the statistics of each figure."""

    contract: str
    employee_ids: tuple[str, ...]
    figures: tuple[FigureStats, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "contract": self.contract,
            "employees": len(self.employee_ids),
            "figures": {f.figure: f.as_dict() for f in self.figures},
        }


@dataclass(frozen=True)
class CheckReport:
    """Everything `rostering check` shows about one roster of one instance."""

    instance: str
    start: date
    days: int
    interval_minutes: int | None  # the demand grid, None for slot demand or no demand
    violations: tuple[Violation, ...]
    penalties: dict[str, int]  # evaluate's, every family, in its order
    objective: int
    coverage_shortfall: tuple[Shortfall, ...]  # every aggregated row, shortfall 0 included
    employees: tuple[EmployeeFigures, ...]  # in staff order
    groups: tuple[GroupSummary, ...]  # in order of the contract's first employee
    has_history: bool = False
    shifts: int = 0  # rows of the roster
    warnings: tuple[str, ...] = field(default=())
    service: Service | None = None  # forecast demand: the service the roster gives
    targets: ServiceTargets | None = None
    fairness_groups: tuple[str, ...] = ("contract", "tier")  # the policy's group keys
    verdicts: tuple[Spread, ...] = ()  # each declared fairness limit per group of 2 or more

    @property
    def legal(self) -> bool:
        return not self.violations

    @property
    def end(self) -> date:
        return date.fromordinal(self.start.toordinal() + self.days - 1)


# --------------------------------------------------------------------------- computing


def check_roster(
    problem: Problem, roster: Roster, evaluation: Evaluation | None = None
) -> CheckReport:
    """Judge a roster with evaluate (or take its `evaluation` of it) and add the coverage
    and fairness figures."""
    ev = evaluation if evaluation is not None else evaluate(problem, roster)
    employees = tuple(_figures(problem, roster, e) for e in problem.employees)
    has_history = bool(problem.history)
    return CheckReport(
        instance=problem.name,
        start=problem.start,
        days=problem.days,
        interval_minutes=(
            problem.model.interval_minutes or 60
            if problem.slot_demand is None and problem.interval_demand is not None
            else None
        ),
        violations=ev.violations,
        penalties=dict(ev.penalties),
        objective=ev.objective,
        coverage_shortfall=tuple(_shortfall(problem, ev.coverage)),
        employees=employees,
        groups=tuple(_groups(employees, FIGURES + (TOTAL_FIGURES if has_history else ()))),
        has_history=has_history,
        shifts=len(roster.assignments),
        warnings=problem.warnings + ev.notes,
        service=service_of(problem, ev),
        targets=targets_of(problem),
        fairness_groups=problem.model.fairness.groups,
        verdicts=tuple(s for s in ev.spreads if s.limit is not None),
    )


def _shortfall(problem: Problem, rows: Sequence[Any]) -> list[Shortfall]:
    """Aggregate evaluate's coverage rows per date and tier (or date, shift and tier)."""
    rank = {t: i for i, t in enumerate(problem.model.tiers)}
    lengths = {s.id: s.minutes for s in problem.model.shifts}
    grid = problem.model.interval_minutes or 60
    totals: dict[tuple[date, str | None, str | None], list[int]] = {}
    for r in rows:
        if r.start is not None:
            key = (r.start.date(), r.tier, None)
            minutes = grid
        else:
            key = (r.date, r.tier, r.shift_id)
            minutes = lengths[r.shift_id]
        figures = totals.setdefault(key, [0, 0, 0])
        figures[0] += r.required
        figures[1] += r.shortfall
        figures[2] += r.shortfall * minutes
    order = sorted(totals, key=lambda k: (k[0], k[2] or "", -1 if k[1] is None else rank[k[1]]))
    return [Shortfall(k[0], k[1], k[2], *totals[k]) for k in order]


def _limits(problem: Problem, e: Employee) -> tuple[int | None, int | None]:
    """The contract's paid-minute limits over the horizon (see EmployeeFigures)."""
    lim = e.limits
    weeks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d in range(problem.days):
        iso = problem.date_of(d).isocalendar()
        weeks[iso[0], iso[1]].append(d)
    credit = lim.absence_credit_minutes
    absent: dict[str, set[int]] = {"unavailable": set(), "leave": set()}
    for r in (*problem.previous_absences, *problem.requests):
        if r.employee_id == e.id and r.kind in absent and r.shift_id is None:
            absent[r.kind].add(r.day)
    paid = {s.id: s.paid_minutes for s in problem.model.shifts}
    before_paid = {a.day: paid[a.shift_id] for a in problem.previous if a.employee_id == e.id}

    def away(days: set[int]) -> tuple[int, int]:  # (leave credit, unavailable credit)
        return credit * len(absent["leave"] & days), credit * len(absent["unavailable"] & days)

    horizon_leave, horizon_away = away(set(range(problem.days)))
    lows: list[int] = []
    highs: list[int] = []
    if lim.min_minutes is not None:
        lows.append(max(0, lim.min_minutes - horizon_away - horizon_leave))
    if lim.max_minutes is not None:
        highs.append(max(0, lim.max_minutes - horizon_leave))
    low = high = 0
    for w in weeks.values():
        # previous.csv covers the first week's days before the start (RULES.md, Weeks)
        first = w[0] == 0 and problem.previous_given
        before = set(range(-problem.date_of(0).weekday(), 0)) if first else set()
        done = sum(before_paid.get(d, 0) for d in before)
        leave, unpaid = away(before | set(w))
        if lim.min_minutes_per_week is not None:
            floor = lim.min_minutes_per_week * (len(w) + len(before)) // 7
            low += max(0, floor - unpaid - leave - done)
        if lim.max_minutes_per_week is not None:
            most = lim.max_minutes_per_week * (7 if before else len(w)) // 7
            high += max(0, most - leave - done)
    if lim.min_minutes_per_week is not None:
        lows.append(low)
    if lim.max_minutes_per_week is not None:
        highs.append(high)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def _figures(problem: Problem, roster: Roster, e: Employee) -> EmployeeFigures:
    shifts = {s.id: s for s in problem.model.shifts}
    mine = [a for a in roster.assignments if a.employee_id == e.id]
    worked: dict[int, list[str]] = defaultdict(list)
    for a in mine:
        worked[a.day].append(a.shift_id)
    for a in problem.previous:
        if a.employee_id == e.id and a.day < 0:
            worked[a.day].append(a.shift_id)
    granted = requested = 0
    for r in problem.requests:
        if r.employee_id != e.id:
            continue
        if r.kind not in ("on", "off"):
            continue
        requested += 1
        granted += granted_request(r, worked.get(r.day, []))
    history = [h for h in problem.history if h.employee_id == e.id]
    low, high = _limits(problem, e)
    away = {
        r.day
        for r in problem.requests
        if r.employee_id == e.id and r.kind in ("unavailable", "leave") and r.shift_id is None
    }
    return EmployeeFigures(
        employee_id=e.id,
        name=e.name,
        tier=e.tier,
        contract=e.contract,
        minutes=sum(shifts[a.shift_id].paid_minutes for a in mine),
        min_minutes=low,
        max_minutes=high,
        shifts=len(mine),
        nights=sum(1 for a in mine if shifts[a.shift_id].night),
        weekends=sum(1 for sat, sun in problem.weekends() if worked.get(sat) or worked.get(sun)),
        early=sum(1 for a in mine if shifts[a.shift_id].kind == "early"),
        late=sum(1 for a in mine if shifts[a.shift_id].kind == "late"),
        requests=requested,
        requests_granted=granted,
        history_nights=sum(h.nights for h in history) if history else None,
        history_weekends=sum(h.weekends for h in history) if history else None,
        history_minutes=sum(h.minutes for h in history) if history else None,
        absence_minutes=e.limits.absence_credit_minutes * len(away),
    )


def granted_request(request: Request, worked: Sequence[str]) -> bool:
    """Whether an on/off request is granted by the shift ids its person works that day."""
    works_it = any(request.shift_id in (None, sid) for sid in worked)
    return works_it if request.kind == "on" else not works_it


def request_outcomes(problem: Problem, roster: Roster) -> list[tuple[Request, bool]]:
    """Every on/off request of the instance, in file order, and whether it is granted."""
    worked: dict[tuple[str, int], list[str]] = defaultdict(list)
    for a in roster.assignments:
        worked[a.employee_id, a.day].append(a.shift_id)
    return [
        (r, granted_request(r, worked.get((r.employee_id, r.day), [])))
        for r in problem.requests
        if r.kind in ("on", "off")
    ]


def _groups(employees: Sequence[EmployeeFigures], figures: Sequence[str]) -> list[GroupSummary]:
    members: dict[str, list[EmployeeFigures]] = {}
    for e in employees:
        members.setdefault(e.contract, []).append(e)
    result = []
    for contract, group in members.items():
        stats = []
        for name in figures:
            values = [e.figure(name) for e in group]
            low, high = min(values), max(values)
            stdev = round(statistics.pstdev(values), 3)
            stats.append(FigureStats(name, low, high, high - low, stdev))
        result.append(GroupSummary(contract, tuple(e.employee_id for e in group), tuple(stats)))
    return result


# --------------------------------------------------------------------------- history.csv


def update_history(path: Path, report: CheckReport) -> int:
    """Write `path` (a history.csv) with one row per employee for the report's period
    (`period_start` = its start), replacing the rows an earlier run wrote for that period
    and keeping every other row; rows are ordered by period_start, stably. Atomic. Returns
    the number of rows written for this period."""
    kept: list[tuple[str, date, int, int, int]] = []
    # anything but an empty regular file is read (and a FIFO or device refused there)
    if os.path.lexists(path) and not (path.is_file() and path.stat().st_size == 0):
        for row in read_csv(path, HISTORY_COLUMNS):
            period = row.date("period_start")
            eid = row.ident("employee_id")
            figures = (row.integer("nights"), row.integer("weekends"), row.integer("minutes"))
            if period != report.start:
                kept.append((eid, period, *figures))
    # minutes with absence credit, as the fairness figures count them: being away is not
    # unfairness carried into later periods
    ours = [
        (e.employee_id, report.start, e.nights, e.weekends, e.minutes + e.absence_minutes)
        for e in report.employees
    ]
    rows = sorted(kept + ours, key=lambda r: r[1])
    text = csv_text(HISTORY_COLUMNS, ((eid, p.isoformat(), n, w, m) for eid, p, n, w, m in rows))
    write_atomic(path, text, keep_mode=True)  # a shared HR file keeps who may read it
    return len(ours)


# --------------------------------------------------------------------------- formatting


def _hm(minutes: float) -> str:
    minutes = round(minutes)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}"


def _range(low: int | None, high: int | None) -> str:
    if low is None and high is None:
        return "-"
    if high is None:
        return f"min {_hm(low or 0)}"
    if low is None:
        return f"max {_hm(high)}"
    return f"{_hm(low)}-{_hm(high)}"


def _width(text: str) -> int:
    """Columns a terminal gives `text`: wide (CJK) characters take two, combining marks none."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _printable(text: str) -> str:
    """No control characters (escape sequences in a name) reach the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while text and _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def _pad(text: str, width: int, align: str) -> str:
    fill = " " * max(0, width - _width(text))
    return text + fill if align == "l" else fill + text


def _grid(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    align: str,
    *,
    caps: dict[int, int] | None = None,
    flex: int | None = None,
    indent: int = 2,
) -> list[str]:
    """A plain-text table; align[i] is "l" or "r" for column i, which is at most caps[i]
    wide; column `flex` shrinks so that lines fit WIDTH."""
    cells = [[_printable(str(c)) for c in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]
    for i, cap in (caps or {}).items():
        widths[i] = min(widths[i], max(cap, len(headers[i])))
    total = indent + sum(widths) + 2 * (len(widths) - 1)
    if flex is not None and total > WIDTH:
        widths[flex] = max(len(headers[flex]), widths[flex] - (total - WIDTH))
    lines = []
    for row in [list(headers), *cells]:
        parts = [_pad(_clip(c, w), w, a) for c, w, a in zip(row, widths, align, strict=True)]
        lines.append((" " * indent + "  ".join(parts)).rstrip())
    return lines


def _headline(report: CheckReport) -> str:
    n = len(report.violations)
    if not n:
        return "LEGAL"
    return f"NOT LEGAL: {n} hard violation{'s' if n != 1 else ''}"


def _figure_text(name: str, value: float) -> str:
    if name in MINUTE_FIGURES:
        return _hm(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def as_table(report: CheckReport) -> str:
    """A report for people, fitting a 100-column terminal."""
    out = [
        _headline(report),
        f"{report.instance}: {report.start} to {report.end} ({report.days} days), "
        f"{len(report.employees)} employees, {report.shifts} shifts, "
        f"objective {report.objective}",
        "",
        "Hard violations",
    ]
    if not report.violations:
        out.append("  none")
    for i, v in enumerate(report.violations, start=1):
        out += textwrap.wrap(
            f"{i}. {v.rule}: {v.message}",
            WIDTH,
            initial_indent="  ",
            subsequent_indent="  " + " " * (len(str(i)) + 2),
        )
    out += ["", f"Penalties (objective {report.objective})"]
    shown = [(k, v) for k, v in report.penalties.items() if v or k in PRICED_FAMILIES]
    out += _grid(["family", "penalty"], [*shown, ("total", report.objective)], "lr")
    out += ["", "Coverage shortfall"]
    short = [s for s in report.coverage_shortfall if s.shortfall > 0]
    if not report.coverage_shortfall:
        out.append("  no demand")
    elif not short:
        out.append("  no shortfall")
    elif report.interval_minutes is not None:
        out.append(
            f"  (tier = that tier or higher; in person-intervals of {report.interval_minutes} min)"
        )
        out += _grid(
            ["date", "tier", "required", "short", "hours short"],
            [(s.date, s.tier, s.required, s.shortfall, _hm(s.minutes_short)) for s in short],
            "llrrr",
        )
    else:
        out += _grid(
            ["date", "shift", "tier", "required", "short", "hours short"],
            [
                (s.date, s.shift_id, s.tier or "any", s.required, s.shortfall, _hm(s.minutes_short))
                for s in short
            ],
            "lllrrr",
        )
    if report.service is not None and report.targets is not None:
        out += ["", "Service (predicted by Erlang for the people on duty)"]
        out += [f"  {line}" for line in service_lines(report.service, report.targets)]
        out += _grid(
            ["date", "contacts", "service", "answered", "worst", "below", "unmet h"],
            [_day_row(day, f) for day, f in report.service.by_day.items()],
            "lrrrrrr",
        )
        out.append("  (worst: the day's worst interval; below: intervals below target)")
    out += ["", "Employees (paid hours vs the contract's limits for the horizon)"]
    named = any(e.name for e in report.employees)
    headers = ["employee", *(["name"] if named else []), "contract", "paid", "limits", "shifts"]
    headers += ["nights", "wkend", "early", "late", "req"]
    if report.has_history:
        headers.append("history n/w/paid")
    rows = []
    for e in report.employees:
        row: list[Any] = [e.employee_id, *([e.name] if named else []), e.contract]
        row += [_hm(e.minutes), _range(e.min_minutes, e.max_minutes), e.shifts, e.nights]
        row += [e.weekends, e.early, e.late, f"{e.requests_granted}/{e.requests}"]
        if report.has_history:
            row.append(
                "-"
                if e.history_minutes is None
                else f"{e.history_nights}/{e.history_weekends}/{_hm(e.history_minutes)}"
            )
        rows.append(row)
    align = ("lll" if named else "ll") + "r" * (len(headers) - (3 if named else 2))
    caps = {0: 12, 1: 24, 2: 12} if named else {0: 12, 1: 12}
    out += _grid(headers, rows, align, caps=caps, flex=1 if named else None)
    out.append("  (wkend: weekends worked; req: on/off requests granted/asked)")
    out += ["", "Contract groups"]
    group_rows = []
    for g in report.groups:
        for i, f in enumerate(g.figures):
            label = (g.contract, len(g.employee_ids)) if i == 0 else ("", "")
            group_rows.append(
                (
                    *label,
                    f.figure,
                    _figure_text(f.figure, f.min),
                    _figure_text(f.figure, f.max),
                    _figure_text(f.figure, f.spread),
                    _figure_text(f.figure, f.stdev)
                    if f.figure in MINUTE_FIGURES
                    else f"{f.stdev:.2f}",
                )
            )
    out += _grid(
        ["contract", "people", "figure", "min", "max", "spread", "stdev"],
        group_rows,
        "lrlrrrr",
        caps={0: 16},
    )
    out += ["", f"Fairness policy (groups: {', '.join(report.fairness_groups) or 'everyone'})"]
    if not report.verdicts:
        out.append("  no limits declared ([fairness] in the site model)")
    else:
        out += _grid(
            ["limit", "group", "people", "spread", "limit", "high end", "low end", "verdict"],
            [_verdict_row(verdict) for verdict in report.verdicts],
            "llrrrlll",
            caps={1: 20},
        )
        out.append("  (hours: paid hours plus absence credit; max - min within the group)")
    return "\n".join(out) + "\n"


def _verdict_row(v: Spread) -> tuple[str, ...]:
    show: Callable[[int], str] = _hm if v.figure == "hours" else str
    return (
        v.key,
        v.group,
        str(v.people),
        show(v.spread),
        show(v.limit or 0),
        f"{v.high_id} {show(v.high)}",
        f"{v.low_id} {show(v.low)}",
        "BROKEN" if v.broken else "kept",
    )


def as_json(report: CheckReport) -> str:
    """One JSON object: legal, objective, penalties, hard_violations, coverage_shortfall,
    employees, groups (keys in this order)."""
    data = {
        "legal": report.legal,
        "objective": report.objective,
        "penalties": dict(report.penalties),
        "hard_violations": [v.as_dict() for v in report.violations],
        "coverage_shortfall": [s.as_dict() for s in report.coverage_shortfall],
        "employees": [e.as_dict() for e in report.employees],
        "groups": [g.as_dict() for g in report.groups],
        **service_summary(report.service),
        "fairness_policy": {
            "groups": list(report.fairness_groups),
            "verdicts": [verdict.as_dict() for verdict in report.verdicts],
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _day_row(day: date, f: Figures) -> tuple[Any, ...]:
    worst = f.worst_interval
    at = "-" if worst is None else f"{worst[0]:%H:%M} {worst[1]:.0%}"
    return (day, f"{f.contacts:g}", _percent(f.service_level), _percent(f.answer_rate), at,
            f.intervals_below_target, f"{f.unmet_person_hours:g}")  # fmt: skip


CSV_COLUMNS = (
    "section",
    "rule",
    "employee_id",
    "name",
    "tier",
    "contract",
    "date",
    "dates",
    "shift_id",
    "figure",
    "value",
    "limit",
    "message",
    "required",
    "shortfall",
    "hours_short",
    "minutes",
    "min_minutes",
    "max_minutes",
    "shifts",
    "nights",
    "weekends",
    "early",
    "late",
    "requests",
    "requests_granted",
    "history_nights",
    "history_weekends",
    "history_minutes",
    "employees",
    "min",
    "max",
    "spread",
    "stdev",
    "contacts",
    "service_level",
    "answer_rate",
    "intervals_below_target",
    "unmet_person_hours",
    "group",
    "verdict",
    "high_id",
    "low_id",
)


def as_csv(report: CheckReport) -> str:
    """One flat CSV table; the first column `section` says what a row is, and each section
    fills only its own columns (the others are empty):

    - `violation`: rule, employee_id (empty for coverage floors and mentoring), dates (ISO
      dates joined with ";"), value (measured), limit, message;
    - `penalty`: rule (the family; every family of evaluate, then a last row `objective`
      holding the total), value;
    - `shortfall`: date, tier (that tier or higher), shift_id (slot demand), required,
      shortfall, hours_short (see `Shortfall`);
    - `employee`: employee_id, name, tier, contract, minutes, min_minutes, max_minutes,
      shifts, nights, weekends, early, late, requests, requests_granted, history_nights,
      history_weekends, history_minutes (see `EmployeeFigures`);
    - `group`: contract, figure, employees (how many), min, max, spread, stdev;
    - `service` (forecast demand): date (empty for the horizon), contacts, service_level,
      answer_rate, intervals_below_target, unmet_person_hours;
    - `fairness`: one row per declared limit and fairness group: rule (the limit's key),
      figure, group, employees, max / high_id and min / low_id (the values and people at
      both ends), spread, limit, verdict (kept or broken), message. Hours are in minutes
      (paid minutes plus absence credit; the limit x 60).

    Text cells that a spreadsheet would take for a formula get a leading apostrophe.
    """
    rows: list[list[Any]] = []

    def add(section: str, **cells: Any) -> None:
        rows.append([section, *("" if cells.get(c) is None else cells[c] for c in CSV_COLUMNS[1:])])

    for v in report.violations:
        add(
            "violation",
            rule=v.rule,
            employee_id=v.employee_id,
            dates=";".join(d.isoformat() for d in v.dates),
            value=v.value,
            limit=v.limit,
            message=v.message,
        )
    for family, penalty in report.penalties.items():
        add("penalty", rule=family, value=penalty)
    add("penalty", rule="objective", value=report.objective)
    for s in report.coverage_shortfall:
        add("shortfall", **s.as_dict())
    for e in report.employees:
        add("employee", **e.as_dict())
    for g in report.groups:
        for f in g.figures:
            add(
                "group",
                contract=g.contract,
                figure=f.figure,
                employees=len(g.employee_ids),
                **f.as_dict(),
            )
    if report.service is not None:
        days = [(None, report.service.horizon), *report.service.by_day.items()]
        for day, figures in days:
            cells = figures.as_dict()
            add("service", date=day, **{k: cells[k] for k in CSV_COLUMNS if k in cells})
    for fair in report.verdicts:
        add(
            "fairness",
            rule=fair.key,
            figure=fair.figure,
            group=fair.group,
            employees=fair.people,
            max=fair.high,
            high_id=fair.high_id,
            min=fair.low,
            low_id=fair.low_id,
            spread=fair.spread,
            limit=fair.limit,
            verdict="broken" if fair.broken else "kept",
            message=fair.text(),
        )
    return csv_text(CSV_COLUMNS, rows)


FORMATTERS: dict[str, Callable[[CheckReport], str]] = {
    "table": as_table,
    "json": as_json,
    "csv": as_csv,
}
