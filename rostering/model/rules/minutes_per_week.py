"""`min_minutes_per_week` / `max_minutes_per_week` per ISO week. The maximum counts
previous.csv days of the same week; the minimum of a partial week is scaled by
days-in-horizon / 7 (rounded down) and lowered by absence credits of that week."""

from __future__ import annotations

from rostering.model.rules.paid import paid_minutes, unavailable_days
from rostering.model.rules.weeks import iso_weeks, previous_days_in_week, scaled_minimum
from rostering.model.variables import Expr, Variables

NAME = "minutes_per_week"


def add(v: Variables) -> Expr:
    weeks = iso_weeks(v)
    for e, emp in enumerate(v.employees):
        lim = emp.limits
        if lim.min_minutes_per_week is None and lim.max_minutes_per_week is None:
            continue
        absent = unavailable_days(v.problem, emp.id)
        for days in weeks.values():
            worked = paid_minutes(v, e, days)
            if lim.max_minutes_per_week is not None:
                before = paid_minutes(v, e, previous_days_in_week(v, days[0]))
                v.add(worked + before <= lim.max_minutes_per_week, e)
            if lim.min_minutes_per_week:
                floor = scaled_minimum(lim.min_minutes_per_week, len(days))
                floor -= lim.absence_credit_minutes * len(absent.intersection(days))
                if floor > 0:
                    v.add(worked >= floor, e)
    return 0
