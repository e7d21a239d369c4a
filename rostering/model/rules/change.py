"""`repair`: the published roster (Problem.published). Days before its first free day stay
exactly as published (hard); on and after it, each person-day whose shifts differ from the
published ones costs `[weights] change`. Without a published roster the family is empty."""

from __future__ import annotations

from collections import defaultdict

from rostering.model.variables import Expr, Variables

NAME = "change"


def add(v: Variables) -> Expr:
    published = v.problem.published
    if published is None:
        return 0
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    was: dict[tuple[int, int], set[str]] = defaultdict(set)
    for a in published.assignments:
        if a.employee_id in index and 0 <= a.day < v.days:  # a subteam holds its own people
            was[index[a.employee_id], a.day].add(a.shift_id)
    price = v.problem.model.weights.change
    penalty: Expr = 0
    for e in range(len(v.employees)):
        v.check()
        for d in range(v.days):
            shifts = dict(v.shifts_on(e, d))
            kept = was.get((e, d), set())
            if d < published.from_day:
                _keep(v, e, d, shifts, kept)
            elif price:
                penalty += price * _differs(v, e, d, shifts, kept)
    return penalty


def _keep(v: Variables, e: int, d: int, shifts: dict, kept: set[str]) -> None:
    """e works exactly the published shifts on day d (one group per person-day, so that
    explain names the days of the published past in a conflict)."""
    if kept - set(shifts):
        v.add(False, e, d)  # a published shift the model cannot give that day
        return
    v.add(sum(var for sid, var in shifts.items() if sid in kept) == len(kept), e, d)
    v.add(sum(var for sid, var in shifts.items() if sid not in kept) == 0, e, d)


def _differs(v: Variables, e: int, d: int, shifts: dict, kept: set[str]) -> Expr:
    """1 if e's shifts on day d are not the published ones. While one shift a day holds, a
    linear term; otherwise a Boolean equal to "some other shift, or a published one missing"."""
    if kept - set(shifts):
        return 1  # a published shift the model cannot give that day: always changed
    if not kept:
        return v.works(e, d)
    if len(kept) == 1 and not v.one_shift_is_soft:
        return 1 - shifts[next(iter(kept))]
    signs = [var for sid, var in shifts.items() if sid not in kept]
    signs += [shifts[sid].Not() for sid in kept]
    differs = v.model.new_bool_var(f"change[{v.employees[e].id},{v.date_of(d)}]")
    v.model.add_bool_or(signs).only_enforce_if(differs)
    for lit in signs:
        v.model.add_implication(lit, differs)
    return differs
