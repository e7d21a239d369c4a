"""`leave` requests: a paid whole-day absence — hard: the person works no shift that day.
Its credit toward minute limits is counted by the minute families (rules/paid.credits)."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "leave"


def add(v: Variables) -> Expr:
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    for r in v.problem.requests:
        if r.kind != "leave":
            continue
        e = index[r.employee_id]
        for _, var in v.shifts_on(e, r.day):
            v.add(var == 0, e, r.day)
    return 0
