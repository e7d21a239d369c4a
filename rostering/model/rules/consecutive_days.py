"""`max_consecutive_days` and `min_consecutive_days` on runs of worked days; a run next to a
day of leave is exempt from the minimum (the absence cut it; `unavailable` days, like the
benchmark literature's days off, are planned around)."""

from __future__ import annotations

from rostering.model.rules.paid import absent_days
from rostering.model.rules.runs import max_run, min_run
from rostering.model.variables import Expr, Variables

NAME = "consecutive_days"


def add(v: Variables) -> Expr:
    for e, emp in enumerate(v.employees):

        def seq(d: int, e: int = e) -> Expr:
            return v.works(e, d)

        lim = emp.limits
        if lim.max_consecutive_days is not None:
            max_run(v.adder(e), seq, v.days, lim.max_consecutive_days, v.has_previous)
        if lim.min_consecutive_days:
            absent = frozenset(absent_days(v.problem, emp.id, "leave"))
            min_run(
                v.adder(e), seq, v.days, lim.min_consecutive_days, v.has_previous,
                v.first_previous_day, absent,
            )  # fmt: skip
    return 0
