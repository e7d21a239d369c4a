"""`max_consecutive_nights`: no longer run of days on night shifts."""

from __future__ import annotations

from rostering.model.rules.runs import max_run
from rostering.model.variables import Expr, Variables

NAME = "consecutive_nights"


def add(v: Variables) -> Expr:
    nights = {s.id for s in v.problem.model.shifts if s.night}
    if not nights:
        return 0
    for e, emp in enumerate(v.employees):
        limit = emp.limits.max_consecutive_nights
        if limit is None:
            continue

        def seq(d: int, e: int = e) -> Expr:
            return v.works_shifts(e, d, nights)

        max_run(v.adder(e), seq, v.days, limit, v.has_previous)
    return 0
