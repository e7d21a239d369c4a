"""`min_minutes` / `max_minutes`: paid minutes over the whole horizon. Each whole day of
leave counts `absence_credit_minutes` toward both; each whole day unavailable lowers the
minimum by it."""

from __future__ import annotations

from rostering.model.rules.paid import credits, paid_minutes
from rostering.model.variables import Expr, Variables

NAME = "minutes"


def add(v: Variables) -> Expr:
    for e, emp in enumerate(v.employees):
        lim = emp.limits
        if lim.min_minutes is None and lim.max_minutes is None:
            continue
        horizon = list(range(v.days))
        leave, away = credits(v.problem, e, horizon)
        total = paid_minutes(v, e, horizon)
        if lim.max_minutes is not None:
            v.add(total + leave <= lim.max_minutes, e)
        if lim.min_minutes and lim.min_minutes - away - leave > 0:
            v.add(total >= lim.min_minutes - away - leave, e)
    return 0
