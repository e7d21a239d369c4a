"""`fixed` requests: the person works exactly that shift (empty shift: some shift) — hard."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "fixed"


def add(v: Variables) -> Expr:
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    for r in v.problem.requests:
        if r.kind != "fixed":
            continue
        e = index[r.employee_id]
        wanted = [var for sid, var in v.shifts_on(e, r.day) if r.shift_id in (None, sid)]
        v.add(sum(wanted) == 1, e, r.day)  # no candidate shift: infeasible, as it should be
    return 0
