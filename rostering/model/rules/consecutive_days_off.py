"""`min_consecutive_days_off` on runs of days off."""

from __future__ import annotations

from rostering.model.rules.runs import min_run
from rostering.model.variables import Expr, Variables

NAME = "consecutive_days_off"


def add(v: Variables) -> Expr:
    for e, emp in enumerate(v.employees):
        if not emp.limits.min_consecutive_days_off:
            continue

        def off(d: int, e: int = e) -> Expr:
            return 1 - v.works(e, d)

        min_run(
            v.adder(e),
            off,
            v.days,
            emp.limits.min_consecutive_days_off,
            v.has_previous,
            v.first_previous_day,
        )
    return 0
