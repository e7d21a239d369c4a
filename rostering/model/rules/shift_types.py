"""How often each person may work each shift type (`max_shifts`; 0 = never, see variables)."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "shift_types"


def add(v: Variables) -> Expr:
    for e, emp in enumerate(v.employees):
        for sid, limit in emp.limits.max_shifts.items():
            worked = [v.x[e, d, sid] for d in range(v.days) if (e, d, sid) in v.x]
            if len(worked) > limit:
                v.add(sum(worked) <= limit, e)
    return 0
