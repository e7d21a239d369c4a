"""Nobody works two shifts on the same day."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "one_shift_per_day"


def add(v: Variables) -> Expr:
    if not (v.guarded or NAME in v.relax):
        return 0  # works[e, d] = sum of the day's shifts already makes it hold (variables)
    for e in range(len(v.employees)):
        for d in range(v.days):
            shifts = [var for _, var in v.shifts_on(e, d)]
            if len(shifts) > 1:
                v.add(sum(shifts) <= 1, e, d)
    return 0
