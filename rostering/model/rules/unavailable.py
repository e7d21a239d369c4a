"""`unavailable` requests: the person must not work that shift (or that day) — hard."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "unavailable"


def add(v: Variables) -> Expr:
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    for r in v.problem.requests:
        if r.kind != "unavailable":
            continue
        e = index[r.employee_id]
        for sid, var in v.shifts_on(e, r.day):
            if r.shift_id is None or r.shift_id == sid:
                v.add(var == 0, e, r.day)
    return 0
