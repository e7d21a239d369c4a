"""`min_minutes` / `max_minutes`: paid minutes over the whole horizon. Each whole day
unavailable lowers the minimum by `absence_credit_minutes`."""

from __future__ import annotations

from rostering.model.rules.paid import paid_minutes, unavailable_days
from rostering.model.variables import Expr, Variables

NAME = "minutes"


def add(v: Variables) -> Expr:
    for e, emp in enumerate(v.employees):
        lim = emp.limits
        if lim.min_minutes is None and lim.max_minutes is None:
            continue
        total = paid_minutes(v, e, list(range(v.days)))
        if lim.max_minutes is not None:
            v.add(total <= lim.max_minutes, e)
        if lim.min_minutes:
            credit = lim.absence_credit_minutes * len(unavailable_days(v.problem, emp.id))
            if lim.min_minutes - credit > 0:
                v.add(total >= lim.min_minutes - credit, e)
    return 0
