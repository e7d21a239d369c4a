"""Forecast -> headcount: run the staffing math on every interval and tier level.

Nested tiers (`[service] staffing = "pooled"`, the default): a contact of tier t can be taken
by anyone of tier t or higher, so the people of tier t or higher are one pool for the contacts
of tiers t and higher, their AHT the volume-weighted mean. D>=t is the headcount that pool
needs; tier t's own requirement is D>=t - D>=t+1 (never below 0). `"separate"` staffs each
tier's contacts as a queue of its own.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from rostering.domain import Employee, ForecastRow, IntervalRequirement, Problem
from rostering.staffing import IntervalStaffing, ServiceTargets, staff_interval

STAFFING_COLUMNS = (
    "start", "tier", "contacts", "aht_seconds", "agents", "required", "service_level",
    "asa_seconds", "occupancy", "abandon_rate", "pooled_required",
)  # fmt: skip


@dataclass(frozen=True)
class StaffingRow:
    """One tier level in one interval: the contacts its queue serves (pooled: of tiers t and
    higher; separate: tier t's own), what the staffing math made of them, and the headcount
    tier t itself is required to bring (`required`)."""

    interval: int
    start: datetime
    tier: str
    contacts: float
    aht_seconds: float
    staffing: IntervalStaffing  # agents, headcount and predicted figures of this queue
    required: int  # tier t's own headcount: D>=t - D>=t+1 when pooled

    @property
    def pooled_required(self) -> int:
        """D>=t: the headcount of tier t or higher this queue needs."""
        return self.staffing.required


def targets_of(problem: Problem) -> ServiceTargets | None:
    service = problem.model.service
    if service is None:
        return None
    return ServiceTargets(**service.model_dump(exclude={"staffing"}))


def tier_queues(problem: Problem) -> dict[int, dict[str, ForecastRow]]:
    """interval -> tier -> its forecast row (tiers lowest first)."""
    order = {t: n for n, t in enumerate(problem.model.tiers)}
    queues: dict[int, dict[str, ForecastRow]] = defaultdict(dict)
    for f in sorted(problem.forecast or (), key=lambda f: (f.interval, order[f.tier])):
        queues[f.interval][f.tier] = f
    return queues


def pooled(rows: list[ForecastRow]) -> tuple[float, float]:
    """The contacts of `rows` as one queue: their sum and volume-weighted mean AHT."""
    contacts = sum(f.contacts for f in rows)
    if contacts == 0:
        return 0.0, float(max(f.aht_seconds for f in rows))
    return contacts, sum(f.contacts * f.aht_seconds for f in rows) / contacts


def staffing_table(problem: Problem) -> list[StaffingRow]:
    """One row per forecast interval and tier, in time then tier order."""
    model = problem.model
    targets = targets_of(problem)
    if problem.forecast is None or targets is None or model.interval_minutes is None:
        return []
    grid = model.interval_minutes
    origin = datetime.combine(problem.start, datetime.min.time())
    together = model.service is not None and model.service.staffing == "pooled"
    rows: list[StaffingRow] = []
    for interval, by_tier in sorted(tier_queues(problem).items()):
        tiers = list(by_tier)
        above = 0  # D>=t+1 of the level above, pooled
        level: list[StaffingRow] = []
        for n in reversed(range(len(tiers))):
            own = by_tier[tiers[n]]
            queue = [by_tier[t] for t in tiers[n:]] if together else [own]
            contacts, aht = pooled(queue)
            staffing = staff_interval(contacts, grid * 60, aht, targets)
            required = max(0, staffing.required - above) if together else staffing.required
            above = max(above, staffing.required)
            start = origin + timedelta(minutes=interval * grid)
            level.append(StaffingRow(interval, start, own.tier, contacts, aht, staffing, required))
        rows.extend(reversed(level))
    return rows


def with_requirements(problem: Problem) -> Problem:
    """The problem with interval demand computed from its forecast (unchanged otherwise),
    warned when the team's contracts cannot give the person-hours it needs."""
    if problem.forecast is None or problem.interval_demand is not None:
        return problem
    demand = tuple(
        IntervalRequirement(interval=r.interval, tier=r.tier, required=r.required)
        for r in staffing_table(problem)
    )
    staffed = problem.model_copy(update={"interval_demand": demand})
    warning = capacity_warning(staffed)
    if warning is None:
        return staffed
    return staffed.model_copy(update={"warnings": (*problem.warnings, warning)})


def capacity_warning(problem: Problem) -> str | None:
    """A warning when the demand needs more person-hours on duty within the horizon than the
    team's contracts allow at most (days, weekly days and minutes, horizon minutes)."""
    grid = problem.model.interval_minutes or 60
    horizon = problem.days * 24 * 60 // grid
    level: dict[int, int] = defaultdict(int)
    for r in problem.interval_demand or ():
        if r.interval < horizon:
            level[r.interval] += r.required
    needed = sum(level.values()) * grid / 60
    most = sum(most_on_duty_minutes(problem, e) for e in problem.employees) / 60
    if needed <= most:
        return None
    return (
        f"the forecast needs {needed:,.0f} person-hours on duty, the team's contracts "
        f"allow at most {most:,.0f}: expect shortfalls"
    )


def most_on_duty_minutes(problem: Problem, e: Employee) -> int:
    """An upper bound on one person's minutes on duty in the horizon: at most one shift a day
    on the days they are not unavailable, within max_days_per_week and max_minutes_per_week
    per ISO week (the best choice of shifts each week) and max_minutes over the horizon
    (rest and runs are ignored)."""
    limits = e.limits
    shifts = [s for s in problem.model.shifts if limits.max_shifts.get(s.id) != 0]
    away = ("unavailable", "leave")
    off = {r.day for r in problem.requests
           if r.employee_id == e.id and r.kind in away and r.shift_id is None}  # fmt: skip
    weeks: dict[date, list[int]] = defaultdict(list)
    for d in range(problem.days):
        day = problem.date_of(d)
        weeks[day - timedelta(days=day.weekday())].append(d)
    duty = paid = 0
    for days in weeks.values():
        best: dict[tuple[int, int], int] = {(0, 0): 0}  # (days worked, paid) -> on duty
        for d in days:
            if d in off:
                continue
            weekday = problem.date_of(d).weekday()
            step = dict(best)
            for (n, pay), on in best.items():
                if limits.max_days_per_week is not None and n >= limits.max_days_per_week:
                    continue
                for s in shifts:
                    key = (n + 1, pay + s.paid_minutes)
                    cap = limits.max_minutes_per_week
                    if weekday not in s.weekdays or (cap is not None and key[1] > cap):
                        continue
                    step[key] = max(step.get(key, -1), on + s.minutes)
            best = step
        (_, week_paid), week_duty = max(best.items(), key=lambda item: item[1])
        duty, paid = duty + week_duty, paid + week_paid
    if limits.max_minutes is not None and paid > limits.max_minutes:
        ratio = duty / paid  # on duty per paid minute of the best weeks
        duty = int(limits.max_minutes * ratio)
    return duty
