"""Coverage of demand: soft under- and over-cover, hard `min_required` floors.

Interval demand is priced by rostering.model.price (nested tiers). Shift-slot demand
(cover.csv) prices each row's shortfall and excess on its own."""

from __future__ import annotations

from rostering.model.breaks import break_spans
from rostering.model.duty import on_duty, windows
from rostering.model.price import IntervalPrice, slot_rows
from rostering.model.variables import Expr, Variables

NAME = "coverage"


def add(v: Variables) -> Expr:
    if v.problem.slot_demand is not None:
        return _slots(v)
    if v.problem.interval_demand is not None:
        return _intervals(v)
    return 0  # no demand at all: nothing to cover, nothing to price


def staffed_intervals(v: Variables) -> list[list[tuple[int, Expr]]]:
    """Per interval of the demand grid, up to the end of demand after the horizon: (tier
    rank, 0/1 expression) of each person who may be on duty in it, and (tier rank, -count)
    of each break start that takes people of that tier off duty in it."""
    grid = v.problem.model.interval_minutes or 60
    rank = {t: i for i, t in enumerate(v.problem.model.tiers)}
    tier_of = [rank[emp.tier] for emp in v.employees]
    bounds = list(range(0, v.problem.priced_minutes + 1, grid))
    staffed = [[(tier_of[e], x) for e, x in window] for window in on_duty(v, bounds)]
    for i, window in enumerate(windows(break_spans(v), bounds)):
        staffed[i] += [(rank[tier], x) for tier, x in window]
    return staffed


def _intervals(v: Variables) -> Expr:
    price = IntervalPrice(v.problem)
    staffed = staffed_intervals(v)
    return price.expression(v.model, staffed, lambda ct, day: v.add(ct, day=day), v.check)


def _slots(v: Variables) -> Expr:
    rank = {t: i for i, t in enumerate(v.problem.model.tiers)}
    penalty: Expr = 0
    for n, row in enumerate(slot_rows(v.problem)):
        qualified = [
            v.x[e, row.day, row.shift_id]
            for e, emp in enumerate(v.employees)
            if (e, row.day, row.shift_id) in v.x and rank[emp.tier] >= row.least
        ]
        assigned = sum(qualified)
        if row.floor:
            v.add(assigned >= row.floor, day=row.day)
        under = v.model.new_int_var(0, row.required, f"coverage.under[{n}]")
        over = v.model.new_int_var(0, len(qualified), f"coverage.over[{n}]")
        v.model.add(assigned - row.required == over - under)  # exact at the optimum, see above
        penalty += row.under * under + row.over * over
    return penalty
