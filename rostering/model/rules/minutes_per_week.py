"""`min_minutes_per_week` / `max_minutes_per_week` per ISO week. Both count the previous.csv
days of the same week and the week's leave credits; the minimum is lowered by its
unavailable credits and, over a week that neither the horizon nor previous.csv covers
whole, scaled by covered days / 7 (rounded down)."""

from __future__ import annotations

from rostering.model.rules.paid import credits, paid_minutes
from rostering.model.rules.weeks import iso_weeks, previous_days_in_week, scaled_minimum
from rostering.model.variables import Expr, Variables

NAME = "minutes_per_week"


def horizon_bounds(v: Variables, e: int, days: list[int]) -> tuple[int | None, int]:
    """(most, least) paid minutes of employee e on `days`, the horizon days of one ISO week,
    once previous.csv's paid minutes and the absence credits of the week are counted; None:
    no maximum. `most` may be negative (the week is already over its maximum)."""
    lim = v.employees[e].limits
    before = previous_days_in_week(v, days[0]) if v.has_previous or v.previous else []
    week = before + days
    already = paid_minutes(v, e, before)
    assert isinstance(already, int)  # previous.csv days are constants
    leave, away = credits(v.problem, e, week)
    most = None
    if lim.max_minutes_per_week is not None:
        most = lim.max_minutes_per_week - already - leave
    least = 0
    if lim.min_minutes_per_week:
        least = scaled_minimum(lim.min_minutes_per_week, len(week)) - already - leave - away
    return most, least


def add(v: Variables) -> Expr:
    weeks = iso_weeks(v)
    for e, emp in enumerate(v.employees):
        lim = emp.limits
        if lim.min_minutes_per_week is None and lim.max_minutes_per_week is None:
            continue
        for days in weeks.values():
            worked = paid_minutes(v, e, days)
            most, least = horizon_bounds(v, e, days)
            if most is not None:
                v.add(worked <= most, e)
            if least > 0:
                v.add(worked >= least, e)
    return 0
