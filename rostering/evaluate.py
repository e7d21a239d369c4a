"""The judge of every roster: hard-rule violations, soft penalties and coverage figures.

This module re-implements docs/RULES.md from its text, on purpose sharing no code with the
CP-SAT model in `rostering/model/`: it simply scans a finished roster. It builds, per
person, a day -> shifts map (previous.csv's days are negative), then walks runs of days,
ISO weeks, weekends and stretches of time. A roster may come from anywhere (an HR
spreadsheet), so nothing here assumes the rules hold: two shifts on one day, a shift on a
weekday where it does not exist and the like are reported, never trusted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from functools import lru_cache
from typing import Any

from rostering.domain import (
    DAY_MINUTES,
    WEEKDAYS,
    Assignment,
    Employee,
    Problem,
    Roster,
    ShiftType,
)
from rostering.staffing import ServiceTargets, service_curve

FAMILIES: tuple[str, ...] = (
    "coverage",
    "service",
    "one_shift_per_day",
    "shift_types",
    "unavailable",
    "leave",
    "fixed",
    "min_rest",
    "forbidden_successions",
    "consecutive_days",
    "consecutive_days_off",
    "consecutive_nights",
    "days_per_week",
    "minutes",
    "minutes_per_week",
    "weekends",
    "mentoring",
    "breaks",
    "requests",
    "cost",
    "fairness",
    "change",
)
_ORDER = {name: i for i, name in enumerate(FAMILIES)}
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Violation:
    """One broken hard rule."""

    rule: str  # family name
    employee_id: str | None  # None for coverage floors and mentoring
    dates: tuple[date, ...]  # the dates involved, in order
    value: int  # what was measured
    limit: int  # the limit it breaks
    message: str  # one sentence a person understands

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "employee_id": self.employee_id,
            "dates": [d.isoformat() for d in self.dates],
            "value": self.value,
            "limit": self.limit,
            "message": self.message,
        }


@dataclass(frozen=True, kw_only=True)
class CoverageRow:
    """One line of coverage.csv.

    Interval demand: `start`, `tier`, `required` (D>=t), `on_duty` (S>=t), `shortfall`,
    `surplus` (max(0, on_duty - required)); `date`, `shift_id`, `assigned` are None.
    Slot demand: `date`, `shift_id`, `tier` (the cover row's tier, None = anyone),
    `required`, `assigned`, `shortfall`, `surplus`; `start` and `on_duty` are None.
    """

    tier: str | None
    required: int
    shortfall: int
    surplus: int
    start: datetime | None = None
    on_duty: int | None = None
    date: date | None = None
    shift_id: str | None = None
    assigned: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The coverage.csv columns of this row's kind."""
        if self.start is not None:
            return {
                "start": f"{self.start:%Y-%m-%dT%H:%M}",
                "tier": self.tier,
                "required": self.required,
                "on_duty": self.on_duty,
                "shortfall": self.shortfall,
                "surplus": self.surplus,
            }
        assert self.date is not None
        return {
            "date": self.date.isoformat(),
            "shift_id": self.shift_id,
            "tier": self.tier,
            "required": self.required,
            "assigned": self.assigned,
            "shortfall": self.shortfall,
            "surplus": self.surplus,
        }


@dataclass(frozen=True)
class FairnessRow:
    """The fairness figures of one person: horizon values plus history.csv's. `minutes` are
    paid minutes plus the absence credit of whole days of leave and unavailability."""

    employee_id: str
    contract: str
    nights: int
    weekends: int
    minutes: int
    group: str = ""  # the fairness policy's group (e.g. "full_time/junior")


# the figures the fairness policy bounds, and its limit key of each
SPREAD_FIGURES: dict[str, str] = {
    "nights": "max_nights_spread",
    "weekends": "max_weekends_spread",
    "hours": "max_hours_spread",
    "refused_requests": "max_refused_requests_spread",
}


@dataclass(frozen=True)
class Spread:
    """One figure of this period within one fairness group of two or more people, and its
    limit. `hours` are counted in minutes (paid minutes plus absence credit) and its limit is
    the policy's hours x 60; `high_*` / `low_*` are the first people, in staff order, at
    each end."""

    figure: str  # nights, weekends, hours, refused_requests
    group: str
    people: int
    high_id: str
    high: int
    low_id: str
    low: int
    limit: int | None  # None: the policy sets no limit on this figure

    @property
    def spread(self) -> int:
        return self.high - self.low

    @property
    def broken(self) -> bool:
        return self.limit is not None and self.spread > self.limit

    @property
    def key(self) -> str:
        return SPREAD_FIGURES[self.figure]

    def text(self) -> str:
        """E.g. "nights spread 4 in full_time/junior: E03 5, E17 1; limit 2"."""
        show = _hours if self.figure == "hours" else str
        limit = "no limit" if self.limit is None else f"limit {show(self.limit)}"
        return (
            f"{self.figure.replace('_', ' ')} spread {show(self.spread)} in {self.group}: "
            f"{self.high_id} {show(self.high)}, {self.low_id} {show(self.low)}; {limit}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "limit_key": self.key,
            "figure": self.figure,
            "group": self.group,
            "people": self.people,
            "spread": self.spread,
            "limit": self.limit,
            "high": {"employee_id": self.high_id, "value": self.high},
            "low": {"employee_id": self.low_id, "value": self.low},
            "verdict": "broken" if self.broken else "kept",
            "message": self.text(),
        }


def _hours(minutes: int) -> str:
    return f"{minutes // 60}h{minutes % 60:02d}"


@dataclass(frozen=True)
class Evaluation:
    violations: tuple[Violation, ...]
    penalties: dict[str, int]  # every family of FAMILIES, in that order; hard families are 0
    objective: int  # sum of penalties
    coverage: tuple[CoverageRow, ...]
    fairness: tuple[FairnessRow, ...] = ()  # one row per employee, in staff order
    labour_cost: int = 0  # sum of round(hourly_cost x paid hours) per shift, whatever its weight
    spreads: tuple[Spread, ...] = ()  # every figure of every fairness group of 2 or more
    notes: tuple[str, ...] = ()  # what the judge assumed (a roster without its breaks)

    def is_feasible(self) -> bool:
        return not self.violations


# --------------------------------------------------------------------------- formatting


def _hm(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}h{minutes % 60:02d}"


def _span(dates: tuple[date, ...]) -> str:
    if not dates:
        return "no day"
    if len(dates) == 1:
        return f"on {dates[0]}"
    return f"{dates[0]} to {dates[-1]}"


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else (words or word + 's')}"


# --------------------------------------------------------------------------- the roster


@dataclass(frozen=True)
class _Worked:
    employee_id: str
    day: int
    shift: ShiftType
    breaks: tuple[tuple[int, int], ...] | None = None  # minutes after the start; None: not given

    @property
    def start(self) -> int:
        return self.day * DAY_MINUTES + self.shift.start_minute

    @property
    def end(self) -> int:
        return self.start + self.shift.minutes

    def pieces(self) -> list[tuple[int, int]]:
        """The stretches on duty: the shift less its breaks (clipped to the shift)."""
        result, at = [], self.start
        for begin, stop in sorted(self.breaks or ()):
            begin, stop = self.start + max(0, begin), self.start + max(0, stop)
            if begin > at:
                result.append((at, min(begin, self.end)))
            at = max(at, stop)
        if at < self.end:
            result.append((at, self.end))
        return [(a, b) for a, b in result if a < b]


class _Scan:
    """The roster (and previous.csv) arranged for scanning."""

    def __init__(self, problem: Problem, roster: Roster) -> None:
        self.problem = problem
        self.days = problem.days
        self.shifts = {s.id: s for s in problem.model.shifts}
        self.rank = {t: i for i, t in enumerate(problem.model.tiers)}
        ids = {e.id for e in problem.employees}
        # "with previous.csv" (RULES.md): the file was given, even if it lists no shift
        self.has_previous = problem.previous_given
        # where run scans begin: previous.csv's first day (days before it count as off), or
        # day 0 without previous.csv (only horizon days count)
        self.first_day = 0
        if self.has_previous:
            self.first_day = min((a.day for a in problem.previous if a.day < 0), default=0)
        self.horizon: list[_Worked] = [self._worked(a) for a in roster.assignments]
        # a roster without breaks (no `breaks` column) counts people on duty all shift long
        self.breaks_given = any(a.breaks is not None for a in roster.assignments)
        self.previous: list[_Worked] = [
            self._worked(a) for a in problem.previous if a.employee_id in ids and a.day < 0
        ]
        # employee -> day -> shifts worked (previous.csv days negative), roster order kept
        self.by_day: dict[str, dict[int, list[ShiftType]]] = defaultdict(lambda: defaultdict(list))
        for w in self.previous + self.horizon:
            self.by_day[w.employee_id][w.day].append(w.shift)
        # (employee, kind) -> whole days of that kind: looked up for every person and week
        self.whole_days: dict[tuple[str, str], set[int]] = defaultdict(set)
        for r in (*problem.previous_absences, *problem.requests):
            if r.shift_id is None:
                self.whole_days[r.employee_id, r.kind].add(r.day)

    def _worked(self, a: Assignment) -> _Worked:
        return _Worked(a.employee_id, a.day, self.shifts[a.shift_id], a.breaks)

    def date_of(self, day: int) -> date:
        return self.problem.date_of(day)

    def dates(self, first: int, last: int) -> tuple[date, ...]:
        return tuple(self.date_of(d) for d in range(first, last + 1))

    def moment(self, minute: int) -> datetime:
        return datetime.combine(self.problem.start, time()) + timedelta(minutes=minute)

    def stretch(self, begin: int, end: int) -> str:
        a, b = self.moment(begin), self.moment(end)
        if a.date() == b.date() or (b - a <= timedelta(days=1) and b.time() == time()):
            return f"{a:%Y-%m-%d %H:%M}-{b:%H:%M}"
        return f"{a:%Y-%m-%d %H:%M} to {b:%Y-%m-%d %H:%M}"

    def shifts_on(self, employee_id: str, day: int) -> list[ShiftType]:
        return self.by_day[employee_id].get(day, [])

    def works(self, employee_id: str, day: int) -> bool:
        return bool(self.by_day[employee_id].get(day))

    def paid(self, employee_id: str, days: Iterable[int]) -> int:
        return sum(s.paid_minutes for d in days for s in self.shifts_on(employee_id, d))

    def weeks(self) -> list[list[int]]:
        """The horizon's days grouped by ISO week, in order."""
        weeks: dict[tuple[int, int], list[int]] = {}
        for d in range(self.days):
            iso = self.date_of(d).isocalendar()
            weeks.setdefault((iso[0], iso[1]), []).append(d)
        return list(weeks.values())

    def days_before(self, week: list[int]) -> list[int]:
        """The days of an ISO week that lie before day 0 (only the first week has any, and
        only when previous.csv is there)."""
        if week[0] != 0 or not (self.has_previous or self.previous):
            return []
        return list(range(-self.date_of(0).weekday(), 0))

    def weekends(self) -> list[tuple[int, int]]:
        """(Saturday, Sunday) day indexes of each weekend with a day in the horizon."""
        result: list[tuple[int, int]] = []
        for d in range(self.days):
            weekday = self.date_of(d).weekday()
            if weekday == 5 or (weekday == 6 and d == 0):
                saturday = d if weekday == 5 else d - 1
                result.append((saturday, saturday + 1))
        return result

    def worked_weekends(self, employee_id: str) -> list[tuple[int, int]]:
        return [
            w
            for w in self.weekends()
            if self.works(employee_id, w[0]) or self.works(employee_id, w[1])
        ]

    def unavailable_days(self, employee_id: str) -> set[int]:
        """Horizon days the person is unavailable for the whole day."""
        return {d for d in self.absent(employee_id, "unavailable") if d >= 0}

    def absent(self, employee_id: str, kind: str) -> set[int]:
        """Whole days of `kind` (unavailable, leave): the horizon's, and those dated on the
        previous.csv days of the first week (negative)."""
        return self.whole_days.get((employee_id, kind), set())

    def credit(self, e: Employee, days: Iterable[int]) -> tuple[int, int]:
        """(leave credit, unavailable credit) of a person on `days` (RULES.md, Leave)."""
        wanted = set(days)
        credit = e.limits.absence_credit_minutes
        leave = len(self.absent(e.id, "leave") & wanted)
        away = len(self.absent(e.id, "unavailable") & wanted)
        return credit * leave, credit * away

    def runs(
        self, employee_id: str, value: Callable[[list[ShiftType]], bool]
    ) -> list[tuple[int, int]]:
        """Maximal runs (first, last) of days from the first previous.csv day (or day 0) to
        the last horizon day on which value(shifts of that day) is true."""
        runs: list[tuple[int, int]] = []
        begin: int | None = None
        for d in range(self.first_day, self.days):
            if value(self.shifts_on(employee_id, d)):
                if begin is None:
                    begin = d
            elif begin is not None:
                runs.append((begin, d - 1))
                begin = None
        if begin is not None:
            runs.append((begin, self.days - 1))
        return runs


# --------------------------------------------------------------------------- hard rules


def _one_shift_per_day(scan: _Scan) -> list[Violation]:
    result = []
    for e in scan.problem.employees:
        for d in range(scan.days):
            shifts = scan.shifts_on(e.id, d)
            if len(shifts) > 1:
                names = ", ".join(s.id for s in shifts)
                result.append(
                    Violation(
                        "one_shift_per_day",
                        e.id,
                        (scan.date_of(d),),
                        len(shifts),
                        1,
                        f"{e.id} has {len(shifts)} shifts on {scan.date_of(d)} ({names}); limit 1",
                    )
                )
    return result


def _shift_types(scan: _Scan) -> list[Violation]:
    result = []
    for w in sorted(scan.horizon, key=lambda w: (w.employee_id, w.day)):
        weekday = scan.date_of(w.day).weekday()
        if weekday not in w.shift.weekdays:
            exists = ", ".join(WEEKDAYS[i] for i in sorted(w.shift.weekdays)) or "no day"
            result.append(
                Violation(
                    "shift_types",
                    w.employee_id,
                    (scan.date_of(w.day),),
                    1,
                    0,
                    f"{w.employee_id} works {w.shift.id} on {scan.date_of(w.day)}, a "
                    f"{_WEEKDAY_NAMES[weekday]}, but {w.shift.id} exists only on {exists}",
                )
            )
    for e in scan.problem.employees:
        for sid, limit in e.limits.max_shifts.items():
            days = [
                d for d in range(scan.days) if any(s.id == sid for s in scan.shifts_on(e.id, d))
            ]
            if len(days) > limit:
                dates = tuple(scan.date_of(d) for d in days)
                bound = "never allowed" if limit == 0 else f"limit {limit}"
                result.append(
                    Violation(
                        "shift_types",
                        e.id,
                        dates,
                        len(days),
                        limit,
                        f"{e.id} works {sid} on {_plural(len(days), 'day')} "
                        f"({', '.join(map(str, dates))}); {bound}",
                    )
                )
    return result


def _requests_hard(scan: _Scan) -> list[Violation]:
    result = []
    for r in scan.problem.requests:
        if r.kind not in ("unavailable", "leave", "fixed"):
            continue
        on_day = scan.shifts_on(r.employee_id, r.day)
        day = scan.date_of(r.day)
        matching = [s for s in on_day if r.shift_id in (None, s.id)]
        if r.kind == "unavailable" and matching:
            what = "that day" if r.shift_id is None else f"for {r.shift_id}"
            names = ", ".join(s.id for s in matching)
            result.append(
                Violation(
                    "unavailable",
                    r.employee_id,
                    (day,),
                    len(matching),
                    0,
                    f"{r.employee_id} works {names} on {day} while unavailable {what}",
                )
            )
        elif r.kind == "leave" and on_day:
            names = ", ".join(s.id for s in on_day)
            result.append(
                Violation(
                    "leave",
                    r.employee_id,
                    (day,),
                    len(on_day),
                    0,
                    f"{r.employee_id} works {names} on {day} while on leave",
                )
            )
        elif r.kind == "fixed" and not matching:
            wanted = "some shift" if r.shift_id is None else r.shift_id
            actual = ", ".join(s.id for s in on_day) if on_day else "is off"
            actual = f"works {actual}" if on_day else actual
            result.append(
                Violation(
                    "fixed",
                    r.employee_id,
                    (day,),
                    0,
                    1,
                    f"{r.employee_id} must work {wanted} on {day} (fixed) but {actual}",
                )
            )
    return result


def _min_rest(scan: _Scan) -> list[Violation]:
    rest = scan.problem.model.rules.min_rest_minutes
    longest = max((s.end_minute for s in scan.shifts.values()), default=0)
    reach = (longest + max(rest, 0)) // DAY_MINUTES + 1  # no conflict beyond this many days
    mine: dict[str, list[_Worked]] = defaultdict(list)
    for w in scan.previous + scan.horizon:
        mine[w.employee_id].append(w)
    result = []
    for e in scan.problem.employees:
        shifts = sorted(mine.get(e.id, []), key=lambda w: w.day)
        for i, first in enumerate(shifts):
            for second in shifts[i + 1 :]:
                if second.day - first.day > reach:
                    break
                if second.day == first.day or second.day < 0:
                    continue
                gap = second.start - first.end
                if gap >= rest:
                    continue
                d1, d2 = scan.date_of(first.day), scan.date_of(second.day)
                if gap < 0:
                    text = (
                        f"{e.id}'s {first.shift.id} on {d1} overlaps {second.shift.id} on {d2} "
                        f"by {_hm(-gap)}; minimum rest {_hm(rest)}"
                    )
                else:
                    text = (
                        f"{e.id} rests {_hm(gap)} between {first.shift.id} on {d1} and "
                        f"{second.shift.id} on {d2}; minimum {_hm(rest)}"
                    )
                result.append(Violation("min_rest", e.id, (d1, d2), gap, rest, text))
    return result


def _forbidden_successions(scan: _Scan) -> list[Violation]:
    pairs = scan.problem.model.rules.forbidden_successions
    if not pairs:
        return []
    result = []
    for e in scan.problem.employees:
        for d in range(-1, scan.days - 1):
            for s in scan.shifts_on(e.id, d):
                for t in scan.shifts_on(e.id, d + 1):
                    if (s.id, t.id) in pairs:
                        d1, d2 = scan.date_of(d), scan.date_of(d + 1)
                        result.append(
                            Violation(
                                "forbidden_successions",
                                e.id,
                                (d1, d2),
                                1,
                                0,
                                f"{e.id} works {s.id} on {d1} then {t.id} on {d2}, "
                                f"a forbidden succession",
                            )
                        )
    return result


def _max_runs(
    scan: _Scan, e: Employee, family: str, runs: list[tuple[int, int]], limit: int, what: str
) -> list[Violation]:
    result = []
    for a, b in runs:
        if b < 0 or b - a + 1 <= limit:
            continue  # only runs reaching into the horizon are the roster's doing
        dates = scan.dates(a, b)
        result.append(
            Violation(
                family,
                e.id,
                dates,
                b - a + 1,
                limit,
                f"{e.id} works {b - a + 1} {what} in a row, {_span(dates)}; limit {limit}",
            )
        )
    return result


def _min_runs(
    scan: _Scan,
    e: Employee,
    family: str,
    runs: list[tuple[int, int]],
    limit: int,
    text: str,
    open_start: bool,
    absent: set[int] | None = None,
) -> list[Violation]:
    """Runs shorter than `limit`, except runs touching the last day, runs next to an
    `absent` day and, without previous.csv (or when the run reaches back before
    previous.csv's first day, i.e. is unbounded: `open_start`), runs touching the first
    scanned day."""
    result = []
    for a, b in runs:
        if b == scan.days - 1 or b < -1:
            continue
        if absent and (a - 1 in absent or b + 1 in absent):
            continue
        if a == scan.first_day and (open_start or not scan.has_previous):
            continue
        length = b - a + 1
        if length >= limit:
            continue
        dates = scan.dates(a, b)
        result.append(
            Violation(
                family,
                e.id,
                dates,
                length,
                limit,
                f"{e.id} {text.format(n=length, s='' if length == 1 else 's')} in a row, "
                f"{_span(dates)}; minimum {limit}",
            )
        )
    return result


def _consecutive(scan: _Scan) -> list[Violation]:
    result = []
    for e in scan.problem.employees:
        lim = e.limits
        worked = scan.runs(e.id, bool)
        if lim.max_consecutive_days is not None:
            result += _max_runs(
                scan, e, "consecutive_days", worked, lim.max_consecutive_days, "days"
            )
        if lim.min_consecutive_days:
            result += _min_runs(
                scan,
                e,
                "consecutive_days",
                worked,
                lim.min_consecutive_days,
                "works only {n} day{s}",
                open_start=False,
                absent=scan.absent(e.id, "leave"),
            )
        if lim.min_consecutive_days_off:
            off = scan.runs(e.id, lambda shifts: not shifts)
            result += _min_runs(
                scan,
                e,
                "consecutive_days_off",
                off,
                lim.min_consecutive_days_off,
                "has only {n} day{s} off",
                open_start=True,
            )
        if lim.max_consecutive_nights is not None:
            nights = scan.runs(e.id, lambda shifts: any(s.night for s in shifts))
            result += _max_runs(
                scan, e, "consecutive_nights", nights, lim.max_consecutive_nights, "nights"
            )
    return result


def _weekly(scan: _Scan) -> list[Violation]:
    result = []
    weeks = scan.weeks()
    for e in scan.problem.employees:
        lim = e.limits
        for week in weeks:
            before = scan.days_before(week)
            label = f"the week {scan.date_of(week[0] - len(before))} to {scan.date_of(week[-1])}"
            with_before = scan.dates(week[0] - len(before), week[-1])
            if lim.max_days_per_week is not None:
                n = sum(scan.works(e.id, d) for d in before + week)
                if n > lim.max_days_per_week:
                    result.append(
                        Violation(
                            "days_per_week",
                            e.id,
                            with_before,
                            n,
                            lim.max_days_per_week,
                            f"{e.id} works {n} days in {label}; limit {lim.max_days_per_week}",
                        )
                    )
            leave, away = scan.credit(e, before + week)
            paid = scan.paid(e.id, before + week) + leave
            # days neither the horizon nor previous.csv covers scale the minimum
            floor = (lim.min_minutes_per_week or 0) * len(before + week) // 7 - away
            result += _paid_limits(
                "minutes_per_week", e, with_before, paid, leave, f"in {label}",
                lim.max_minutes_per_week, floor,
            )  # fmt: skip
    return result


def _minutes(scan: _Scan) -> list[Violation]:
    result = []
    horizon = scan.dates(0, scan.days - 1)
    label = f"over {horizon[0]} to {horizon[-1]}"
    for e in scan.problem.employees:
        lim = e.limits
        leave, away = scan.credit(e, range(scan.days))
        paid = scan.paid(e.id, range(scan.days)) + leave
        floor = (lim.min_minutes or 0) - away
        result += _paid_limits("minutes", e, horizon, paid, leave, label, lim.max_minutes, floor)
    return result


def _paid_limits(
    family: str,
    e: Employee,
    dates: tuple[date, ...],
    paid: int,
    leave: int,
    label: str,
    most: int | None,
    floor: int,
) -> list[Violation]:
    """The paid minutes (leave credit included) above `most` or below `floor` (> 0)."""
    of_leave = f" ({_hm(leave)} of it leave)" if leave else ""
    said = f"{e.id} is paid {_hm(paid)}{of_leave} {label}"
    found = []
    if most is not None and paid > most:
        found.append(Violation(family, e.id, dates, paid, most, f"{said}; maximum {_hm(most)}"))
    if floor > 0 and paid < floor:
        found.append(Violation(family, e.id, dates, paid, floor, f"{said}; minimum {_hm(floor)}"))
    return found


def _weekends(scan: _Scan) -> list[Violation]:
    result = []
    for e in scan.problem.employees:
        limit = e.limits.max_weekends
        if limit is None:
            continue
        worked = scan.worked_weekends(e.id)
        if len(worked) <= limit:
            continue
        dates = tuple(scan.date_of(d) for w in worked for d in w if scan.works(e.id, d))
        saturdays = ", ".join(str(scan.date_of(w[0])) for w in worked)
        result.append(
            Violation(
                "weekends",
                e.id,
                dates,
                len(worked),
                limit,
                f"{e.id} works {len(worked)} weekends (Saturdays {saturdays}); limit {limit}",
            )
        )
    return result


def _on_duty_spans(scan: _Scan) -> list[_Worked]:
    """Worked shifts that are on duty inside the horizon (previous.csv's crossing into it)."""
    return [w for w in scan.previous if w.end > 0] + scan.horizon


def _duty_pieces(scan: _Scan) -> list[tuple[str, int, int]]:
    """(employee, start, end) of every stretch on duty: worked shifts less their breaks."""
    return [(w.employee_id, a, b) for w in _on_duty_spans(scan) for a, b in w.pieces()]


def _mentoring(scan: _Scan) -> list[Violation]:
    rule = scan.problem.model.rules.mentoring
    if rule is None:
        return []
    tier = {e.id: e.tier for e in scan.problem.employees}
    end = scan.days * DAY_MINUTES
    spans = _duty_pieces(scan)
    bounds = sorted({0, end} | {p for _, a, b in spans for p in (a, b) if 0 < p < end})
    mentees: list[set[str]] = [set() for _ in bounds[:-1]]
    mentors: list[set[str]] = [set() for _ in bounds[:-1]]
    for who, start, stop in spans:
        group = (
            mentees
            if tier[who] in rule.mentee_tiers
            else mentors
            if tier[who] in rule.mentor_tiers
            else None
        )
        if group is None:
            continue
        i = bisect_left(bounds, max(start, 0))
        while i < len(group) and bounds[i + 1] <= stop:
            group[i].add(who)
            i += 1
    ratio = rule.max_juniors_per_mentor or None
    found: list[tuple[int, int, int, int]] = []  # begin, end, mentees, mentors
    for i in range(len(bounds) - 1):
        juniors, seniors = len(mentees[i]), len(mentors[i])
        allowed = (ratio * seniors) if ratio else (juniors if seniors else 0)
        if juniors <= allowed:
            continue
        if found and found[-1][1] == bounds[i] and found[-1][2:] == (juniors, seniors):
            found[-1] = (found[-1][0], bounds[i + 1], juniors, seniors)
        else:
            found.append((bounds[i], bounds[i + 1], juniors, seniors))
    result = []
    for begin, stop, juniors, seniors in found:
        allowed = ratio * seniors if ratio else 0
        first, last = begin // DAY_MINUTES, (stop - 1) // DAY_MINUTES
        need = f"at most {ratio} per mentor" if ratio else "at least one mentor needed"
        result.append(
            Violation(
                "mentoring",
                None,
                scan.dates(first, last),
                juniors,
                allowed,
                f"{scan.stretch(begin, stop)}: {_plural(juniors, 'junior')} on duty with "
                f"{_plural(seniors, 'mentor')}; {need}",
            )
        )
    return result


def _clock(minute: int) -> str:
    minute %= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _breaks(scan: _Scan) -> list[Violation]:
    """Each worked shift's breaks, when the roster gives them: the shift type's breaks in time
    order, each exactly its minutes long, starting inside its window on the grid."""
    if not scan.breaks_given:
        return []
    grid = scan.problem.model.interval_minutes or 15
    result = []
    for w in scan.horizon:
        given = sorted(w.breaks or ())
        who = f"{w.employee_id}'s {w.shift.id} on {scan.date_of(w.day)}"

        def fault(value: int, limit: int, text: str, w: _Worked = w, who: str = who) -> None:
            result.append(
                Violation(
                    "breaks", w.employee_id, (scan.date_of(w.day),), value, limit, f"{who}: {text}"
                )
            )

        at = w.shift.start_minute
        for n, b in enumerate(w.shift.breaks, start=1):
            window = f"{_clock(at + b.earliest)}-{_clock(at + b.latest)}"
            if n > len(given):
                fault(0, b.minutes, f"break {n} ({b.minutes} minutes starting {window}) is missing")
                continue
            begin, stop = given[n - 1]
            period = f"{_clock(at + begin)}-{_clock(at + stop)}"
            if stop - begin != b.minutes:
                too = "short" if stop - begin < b.minutes else "long"
                fault(
                    stop - begin,
                    b.minutes,
                    f"break {n} {period} lasts {stop - begin} "
                    f"minutes, too {too}; it is {b.minutes}",
                )
            if not b.earliest <= begin <= b.latest:
                fault(begin, b.latest, f"break {n} {period} starts outside its window {window}")
            elif (begin - b.earliest) % grid:
                fault(begin, b.latest, f"break {n} {period} starts off the {grid}-minute grid")
        for begin, stop in given[len(w.shift.breaks) :]:
            period = f"{_clock(at + begin)}-{_clock(at + stop)}"
            fault(
                len(given),
                len(w.shift.breaks),
                f"break {period} is one more than the {len(w.shift.breaks)} of its shift type",
            )
    return result


def _notes(scan: _Scan) -> tuple[str, ...]:
    if scan.problem.model.has_breaks and not scan.breaks_given:
        return (
            "breaks were not given (no breaks column): people count on duty for their whole shifts",
        )
    return ()


# --------------------------------------------------------------------------- coverage


def _interval_coverage(scan: _Scan) -> tuple[int, list[CoverageRow], list[Violation]]:
    problem = scan.problem
    grid = problem.model.interval_minutes or 60
    weights = problem.model.weights
    tiers = problem.model.tiers
    rank = {e.id: scan.rank[e.tier] for e in problem.employees}
    # the horizon's grid, and demand after it (the morning a last-day night runs into)
    last = max(
        [r.interval for r in problem.interval_demand or ()]
        + [f.interval for f in problem.forecast or ()],
        default=-1,
    )
    count = max(scan.days * DAY_MINUTES // grid, last + 1)
    on_duty: list[set[str]] = [set() for _ in range(count)]
    for who, begin, until in _duty_pieces(scan):
        first = max(0, -(-begin // grid))  # first interval starting at or after the start
        for i in range(first, min(count, until // grid)):
            on_duty[i].add(who)
    demand: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in problem.interval_demand or ():
        need, floor = demand[r.interval].get(r.tier, (0, 0))
        demand[r.interval][r.tier] = (need + r.required, floor + r.min_required)
    penalty = 0
    rows: list[CoverageRow] = []
    violations: list[Violation] = []
    for i in range(count):
        if i not in demand:
            penalty += weights.over_cover * len(on_duty[i])
            continue
        start = scan.moment(i * grid)
        label = scan.stretch(i * grid, (i + 1) * grid)
        need = floor = 0
        figures: list[tuple[str, int, int, int]] = []  # tier, D>=t, S>=t, floor>=t
        for t in reversed(tiers):
            own = demand[i].get(t, (0, 0))
            need += own[0]
            floor += own[1]
            staffed = sum(1 for e in on_duty[i] if rank[e] >= scan.rank[t])
            figures.append((t, need, staffed, floor))
        figures.reverse()
        unmet = max(0, max(d - s for _, d, s, _ in figures))
        _, total_need, total_staffed, _ = figures[0]
        surplus = total_staffed - (total_need - unmet)
        penalty += weights.under_cover * unmet + weights.over_cover * surplus
        for t, d, s, f in figures:
            rows.append(
                CoverageRow(
                    start=start,
                    tier=t,
                    required=d,
                    on_duty=s,
                    shortfall=max(0, d - s),
                    surplus=max(0, s - d),
                )
            )
            if s < f:
                who = t if t == tiers[-1] else f"{t} or higher"
                violations.append(
                    Violation(
                        "coverage",
                        None,
                        (start.date(),),
                        s,
                        f,
                        f"{label}: {s} on duty of tier {who}; at least {f} required",
                    )
                )
    return penalty, rows, violations


def _service(scan: _Scan, rows: list[CoverageRow]) -> int:
    """`[weights] service` = N (docs/RULES.md): for each interval and tier t with contacts
    c_t of its own, the convex price (_convex_miss) of round(N x c_t x (1 - SL(M))) over the
    people M of the pool on duty, SL Erlang's service level for the contacts of tiers t and
    higher (volume-weighted AHT), at M = S>=t."""
    problem = scan.problem
    weight = problem.model.weights.service
    service, grid = problem.model.service, problem.model.interval_minutes
    if not weight or problem.forecast is None or service is None or grid is None:
        return 0
    targets = ServiceTargets(**service.model_dump(exclude={"staffing"}))
    people = {(r.start, r.tier): r.on_duty for r in rows if r.on_duty is not None}
    pool = {t: sum(scan.rank[e.tier] >= scan.rank[t] for e in problem.employees) for t in scan.rank}
    queues: dict[int, list[tuple[int, str, float, int]]] = defaultdict(list)
    for f in problem.forecast:
        queues[f.interval].append((scan.rank[f.tier], f.tier, f.contacts, f.aht_seconds))
    total = 0
    for i, queue in queues.items():
        queue.sort()  # lowest tier first
        start = scan.moment(i * grid)
        for n, (_, tier, own, _) in enumerate(queue):
            if own <= 0:
                continue
            contacts = sum(c for _, _, c, _ in queue[n:])
            aht = sum(c * a for _, _, c, a in queue[n:]) / contacts
            miss = _convex_miss(weight * own, contacts, aht, grid * 60, targets, pool[tier])
            total += miss[min(people.get((start, tier), 0), len(miss) - 1)]
    return total


@lru_cache(maxsize=8192)
def _convex_miss(
    worth: float, contacts: float, aht: float, seconds: int, targets: ServiceTargets, most: int
) -> tuple[int, ...]:
    """For M = 0, 1, ... people on duty (until the price is 0 or M = `most`): the least
    convex function at or below round(worth x (1 - SL(M))), rounded up at each M. Exact
    integer arithmetic: the value at M between hull corners a < b is
    ceil((p_a (b - M) + p_b (M - a)) / (b - a))."""
    level = service_curve(contacts, aht, seconds, targets)
    raw: list[int] = []
    for m in range(most + 1):
        raw.append(round(worth * (1 - level(m))))
        if raw[-1] == 0:
            break
    hull: list[int] = []  # Andrew's monotone chain, lower hull, points (m, raw[m])
    for m, p in enumerate(raw):
        while len(hull) > 1:
            a, b = hull[-2], hull[-1]
            cross = (b - a) * (p - raw[a]) - (m - a) * (raw[b] - raw[a])
            if cross > 0:  # a, b, m turn left: b is a corner
                break
            hull.pop()
        hull.append(m)
    out = [raw[0]] * len(raw)
    for a, b in zip(hull, hull[1:], strict=False):
        for m in range(a, b + 1):
            out[m] = -(-(raw[a] * (b - m) + raw[b] * (m - a)) // (b - a))
    return tuple(out)


def _slot_coverage(scan: _Scan) -> tuple[int, list[CoverageRow], list[Violation]]:
    problem = scan.problem
    weights = problem.model.weights
    rank = {e.id: scan.rank[e.tier] for e in problem.employees}
    working: dict[tuple[int, str], set[str]] = defaultdict(set)
    for w in scan.horizon:
        working[w.day, w.shift.id].add(w.employee_id)
    penalty = 0
    rows: list[CoverageRow] = []
    violations: list[Violation] = []
    for r in problem.slot_demand or ():
        people = working.get((r.day, r.shift_id), set())
        if r.tier is not None:
            people = {e for e in people if rank[e] >= scan.rank[r.tier]}
        assigned = len(people)
        shortfall = max(0, r.required - assigned)
        surplus = max(0, assigned - r.required)
        under_w = weights.under_cover if r.under_weight is None else r.under_weight
        over_w = weights.over_cover if r.over_weight is None else r.over_weight
        penalty += under_w * shortfall + over_w * surplus
        day = scan.date_of(r.day)
        rows.append(
            CoverageRow(
                date=day,
                shift_id=r.shift_id,
                tier=r.tier,
                required=r.required,
                assigned=assigned,
                shortfall=shortfall,
                surplus=surplus,
            )
        )
        if assigned < r.min_required:
            who = "" if r.tier is None else f" of tier {r.tier} or higher"
            violations.append(
                Violation(
                    "coverage",
                    None,
                    (day,),
                    assigned,
                    r.min_required,
                    f"{day} {r.shift_id}: {assigned} assigned{who}; "
                    f"at least {r.min_required} required",
                )
            )
    return penalty, rows, violations


# --------------------------------------------------------------------------- soft rules


def _requests(scan: _Scan) -> int:
    price = scan.problem.model.weights.requests
    penalty = 0
    for r in scan.problem.requests:
        if r.kind not in ("on", "off"):
            continue
        worked = any(r.shift_id in (None, s.id) for s in scan.shifts_on(r.employee_id, r.day))
        refused = not worked if r.kind == "on" else worked
        if refused:
            penalty += price * r.weight
    return penalty


def _labour_cost(scan: _Scan) -> int:
    """Sum over worked shifts of round(hourly_cost x paid hours): the cost family's base."""
    hourly = {e.id: Fraction(str(e.hourly_cost)) for e in scan.problem.employees}
    return sum(round(hourly[w.employee_id] * w.shift.paid_minutes / 60) for w in scan.horizon)


def _fairness(scan: _Scan) -> tuple[int, list[FairnessRow]]:
    history: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for h in scan.problem.history:
        past = history[h.employee_id]
        past[0] += h.nights
        past[1] += h.weekends
        past[2] += h.minutes
    policy = scan.problem.model.fairness
    figures = []
    mine: dict[str, list[_Worked]] = defaultdict(list)
    for w in scan.horizon:
        mine[w.employee_id].append(w)
    for e in scan.problem.employees:
        nights, weekends, minutes = history[e.id]
        nights += sum(1 for w in mine[e.id] if w.shift.night)
        weekends += len(scan.worked_weekends(e.id))
        minutes += sum(w.shift.paid_minutes for w in mine[e.id]) + sum(
            scan.credit(e, range(scan.days))
        )
        name = "/".join(getattr(e, k) for k in policy.groups) or "all"
        figures.append(FairnessRow(e.id, e.contract, nights, weekends, minutes, name))
    groups: dict[str, list[FairnessRow]] = defaultdict(list)
    for f in figures:
        groups[f.group].append(f)
    weights = scan.problem.model.weights
    penalty = 0
    for group in groups.values():
        if len(group) < 2:
            continue
        nights_ = [f.nights for f in group]
        weekends_ = [f.weekends for f in group]
        minutes_ = [f.minutes for f in group]
        penalty += weights.fairness_nights * (max(nights_) - min(nights_))
        penalty += weights.fairness_weekends * (max(weekends_) - min(weekends_))
        penalty += weights.fairness_minutes * ((max(minutes_) - min(minutes_)) // 60)
    return penalty, figures


def _period_figures(scan: _Scan, e: Employee) -> dict[str, int]:
    """The policy's figures of one person in this period (no history)."""
    worked = [w for w in scan.horizon if w.employee_id == e.id]
    refused = 0
    for r in scan.problem.requests:
        if r.employee_id != e.id or r.kind not in ("on", "off"):
            continue
        granted = any(r.shift_id in (None, s.id) for s in scan.shifts_on(e.id, r.day))
        if granted != (r.kind == "on"):
            refused += r.weight
    return {
        "nights": sum(1 for w in worked if w.shift.night),
        "weekends": len(scan.worked_weekends(e.id)),
        "hours": sum(w.shift.paid_minutes for w in worked) + sum(scan.credit(e, range(scan.days))),
        "refused_requests": refused,
    }


def _spreads(scan: _Scan) -> tuple[list[Spread], list[Violation]]:
    """Every figure's spread within each fairness group of two or more; a violation for each
    declared limit exceeded."""
    policy = scan.problem.model.fairness
    members: dict[str, list[tuple[str, dict[str, int]]]] = defaultdict(list)
    for e in scan.problem.employees:
        group = "/".join(getattr(e, k) for k in policy.groups) or "all"
        members[group].append((e.id, _period_figures(scan, e)))
    spreads: list[Spread] = []
    violations: list[Violation] = []
    for group, people in members.items():
        if len(people) < 2:
            continue
        for figure, key in SPREAD_FIGURES.items():
            declared: int | None = getattr(policy, key)
            limit = None if declared is None else declared * (60 if figure == "hours" else 1)
            values = [(figures[figure], eid) for eid, figures in people]
            high = max(values, key=lambda t: t[0])
            low = min(values, key=lambda t: t[0])
            spread = Spread(figure, group, len(people), high[1], high[0], low[1], low[0], limit)
            spreads.append(spread)
            if spread.broken:
                assert spread.limit is not None
                violations.append(
                    Violation("fairness", None, (), spread.spread, spread.limit, spread.text())
                )
    return spreads, violations


def _change(scan: _Scan) -> tuple[int, list[Violation]]:
    """A repair's published roster: a person-day before its first free day that differs from
    it breaks the rule; one on or after it costs `[weights] change` (RULES.md, change)."""
    published = scan.problem.published
    if published is None:
        return 0, []
    was: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in published.assignments:
        was[a.employee_id, a.day].add(a.shift_id)
    first = scan.date_of(published.from_day)
    changed, violations = 0, []
    for e in scan.problem.employees:
        for day in range(scan.days):
            before = was.get((e.id, day), set())
            now = {s.id for s in scan.shifts_on(e.id, day)}
            if now == before:
                continue
            if day >= published.from_day:
                changed += 1
                continue
            when = scan.date_of(day)
            works = ", ".join(sorted(now)) or "no shift"
            listed = ", ".join(sorted(before)) or "off"
            violations.append(
                Violation(
                    "change", e.id, (when,), 1, 0,
                    f"{e.id} works {works} on {when}, published {listed}; days before "
                    f"{first} stay as published",
                )
            )  # fmt: skip
    return scan.problem.model.weights.change * changed, violations


# --------------------------------------------------------------------------- entry point


def evaluate(problem: Problem, roster: Roster) -> Evaluation:
    """Judge a roster: every hard-rule violation, every soft penalty, and the coverage
    figures, following docs/RULES.md."""
    scan = _Scan(problem, roster)
    if problem.slot_demand is not None:
        cover_penalty, rows, floors = _slot_coverage(scan)
    elif problem.interval_demand is not None:
        cover_penalty, rows, floors = _interval_coverage(scan)
    else:
        cover_penalty, rows, floors = 0, [], []
    violations = (
        floors
        + _one_shift_per_day(scan)
        + _shift_types(scan)
        + _requests_hard(scan)
        + _min_rest(scan)
        + _forbidden_successions(scan)
        + _consecutive(scan)
        + _weekly(scan)
        + _minutes(scan)
        + _weekends(scan)
        + _mentoring(scan)
        + _breaks(scan)
    )
    spreads, broken = _spreads(scan)
    violations += broken
    change_penalty, kept = _change(scan)
    violations += kept
    violations.sort(
        key=lambda v: (_ORDER[v.rule], v.employee_id or "", v.dates[0] if v.dates else date.min)
    )
    fairness_penalty, figures = _fairness(scan)
    penalties = dict.fromkeys(FAMILIES, 0)
    penalties["coverage"] = cover_penalty
    penalties["service"] = _service(scan, rows)
    penalties["requests"] = _requests(scan)
    labour_cost = _labour_cost(scan)
    penalties["cost"] = scan.problem.model.weights.cost * labour_cost
    penalties["fairness"] = fairness_penalty
    penalties["change"] = change_penalty
    return Evaluation(
        violations=tuple(violations),
        penalties=penalties,
        objective=sum(penalties.values()),
        coverage=tuple(rows),
        fairness=tuple(figures),
        labour_cost=labour_cost,
        spreads=tuple(spreads),
        notes=_notes(scan),
    )
