"""Fairness, soft: within each contract group, the spread (max - min) of nights, weekends and
paid minutes (whole hours), each including the history carried from earlier periods."""

from __future__ import annotations

from collections import defaultdict

from rostering.model.rules.paid import paid_minutes
from rostering.model.rules.weeks import weekends
from rostering.model.variables import Expr, Variables

NAME = "fairness"


def _spread(v: Variables, values: list[Expr], upper: int, label: str) -> Expr:
    high = v.model.new_int_var(0, upper, f"fairness.{label}.max")
    low = v.model.new_int_var(0, upper, f"fairness.{label}.min")
    for value in values:  # bounds, tight at the optimum (solve() polishes the last roster)
        v.model.add(high >= value)
        v.model.add(low <= value)
    return high - low


def _weekend_flags(v: Variables, e: int) -> list[Expr]:
    flags: list[Expr] = []
    for saturday, days in weekends(v):
        values = [v.works(e, d) for d in days]
        if any(isinstance(w, int) and w >= 1 for w in values):
            flags.append(1)
            continue
        flag = v.model.new_bool_var(f"fairness.weekend[{v.employees[e].id},{saturday}]")
        v.model.add_max_equality(flag, values)
        flags.append(flag)
    return flags


def add(v: Variables) -> Expr:
    w = v.problem.model.weights
    if not (w.fairness_nights or w.fairness_weekends or w.fairness_minutes):
        return 0
    groups: dict[str, list[int]] = defaultdict(list)
    for e, emp in enumerate(v.employees):
        groups[emp.contract].append(e)
    carried: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for h in v.problem.history:
        carried[h.employee_id]["nights"] += h.nights
        carried[h.employee_id]["weekends"] += h.weekends
        carried[h.employee_id]["minutes"] += h.minutes
    nights = {s.id for s in v.problem.model.shifts if s.night}
    longest = max((s.paid_minutes for s in v.problem.model.shifts), default=0)
    penalty: Expr = 0
    for name, members in groups.items():
        if len(members) < 2:
            continue
        past = [carried[v.employees[e].id] for e in members]
        if w.fairness_nights:
            values = [
                sum(v.works_shifts(e, d, nights) for d in range(v.days)) + p["nights"]
                for e, p in zip(members, past, strict=True)
            ]
            top = v.days + max(p["nights"] for p in past)
            penalty += w.fairness_nights * _spread(v, values, top, f"{name}.nights")
        if w.fairness_weekends:
            values = [
                sum(_weekend_flags(v, e)) + p["weekends"]
                for e, p in zip(members, past, strict=True)
            ]
            top = v.days // 7 + 2 + max(p["weekends"] for p in past)
            penalty += w.fairness_weekends * _spread(v, values, top, f"{name}.weekends")
        if w.fairness_minutes:
            values = [
                paid_minutes(v, e, list(range(v.days))) + p["minutes"]
                for e, p in zip(members, past, strict=True)
            ]
            top = v.days * longest + max(p["minutes"] for p in past)
            spread = _spread(v, values, top, f"{name}.minutes")
            hours = v.model.new_int_var(0, top // 60 + 1, f"fairness.{name}.hours")
            v.model.add(60 * hours >= spread - 59)  # hours >= spread // 60
            penalty += w.fairness_minutes * hours
    return penalty
