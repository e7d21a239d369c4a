"""`max_days_per_week` per ISO week, counting previous.csv days of the same week."""

from __future__ import annotations

from rostering.model.rules.weeks import iso_weeks, previous_days_in_week
from rostering.model.variables import Expr, Variables

NAME = "days_per_week"


def add(v: Variables) -> Expr:
    weeks = iso_weeks(v)
    for e, emp in enumerate(v.employees):
        limit = emp.limits.max_days_per_week
        if limit is None:
            continue
        for days in weeks.values():
            before = sum(v.works(e, d) for d in previous_days_in_week(v, days[0]))
            v.add(sum(v.works(e, d) for d in days) + before <= limit, e)
    return 0
