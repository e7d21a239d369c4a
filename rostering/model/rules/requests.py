"""`on` / `off` requests, soft: weight x the model's `requests` weight when not granted.
An `on` request is refused when that shift (any shift, if empty) is not worked;
an `off` request is refused when it is (any shift, if empty)."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "requests"


def add(v: Variables) -> Expr:
    price = v.problem.model.weights.requests
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    penalty: Expr = 0
    for r in v.problem.requests:
        if r.kind not in ("on", "off") or not price or not r.weight:
            continue
        e = index[r.employee_id]
        worked = sum(var for sid, var in v.shifts_on(e, r.day) if r.shift_id in (None, sid))
        refused = 1 - worked if r.kind == "on" else worked
        penalty += price * r.weight * refused
    return penalty
