"""`max_weekends`: weekends (Saturday or Sunday worked) touching the horizon; a weekend
straddling the start counts a Saturday worked in previous.csv."""

from __future__ import annotations

from rostering.model.rules.weeks import weekends
from rostering.model.variables import Expr, Variables

NAME = "weekends"


def add(v: Variables) -> Expr:
    ends = weekends(v)
    for e, emp in enumerate(v.employees):
        limit = emp.limits.max_weekends
        if limit is None or len(ends) <= limit:
            continue
        worked: list[Expr] = []
        for saturday, days in ends:
            values = [v.works(e, d) for d in days]
            if any(isinstance(w, int) and w >= 1 for w in values):
                worked.append(1)
                continue
            flag = v.model.new_bool_var(f"weekend[{v.employees[e].id},{saturday}]")
            for w in values:
                if not isinstance(w, int):
                    v.model.add(flag >= w)
            worked.append(flag)
        v.add(sum(worked) <= limit, e)
    return 0
