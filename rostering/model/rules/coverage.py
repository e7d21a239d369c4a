"""Coverage of demand: soft under- and over-cover, hard `min_required` floors.

Interval demand is priced by rostering.model.price (nested tiers). Shift-slot demand
(cover.csv) prices each row's shortfall and excess on its own."""

from __future__ import annotations

from rostering.domain import DAY_MINUTES
from rostering.model.duty import on_duty
from rostering.model.price import IntervalPrice
from rostering.model.variables import Expr, Variables

NAME = "coverage"


def add(v: Variables) -> Expr:
    if v.problem.slot_demand is not None:
        return _slots(v)
    if v.problem.interval_demand is not None:
        return _intervals(v)
    return 0  # no demand at all: nothing to cover, nothing to price


def _intervals(v: Variables) -> Expr:
    grid = v.problem.model.interval_minutes or 60
    rank = {t: i for i, t in enumerate(v.problem.model.tiers)}
    tier_of = [rank[emp.tier] for emp in v.employees]
    bounds = list(range(0, v.days * DAY_MINUTES + 1, grid))
    staffed = [[(tier_of[e], x) for e, x in window] for window in on_duty(v, bounds)]
    price = IntervalPrice(v.problem)
    return price.expression(v.model, staffed, lambda ct, day: v.add(ct, day=day))


def _slots(v: Variables) -> Expr:
    weights = v.problem.model.weights
    rank = {t: i for i, t in enumerate(v.problem.model.tiers)}
    penalty: Expr = 0
    for n, r in enumerate(v.problem.slot_demand or ()):
        qualified = [
            v.x[e, r.day, r.shift_id]
            for e, emp in enumerate(v.employees)
            if (e, r.day, r.shift_id) in v.x and (r.tier is None or rank[emp.tier] >= rank[r.tier])
        ]
        assigned = sum(qualified)
        if r.min_required:
            v.add(assigned >= r.min_required, day=r.day)
        under_w = weights.under_cover if r.under_weight is None else r.under_weight
        over_w = weights.over_cover if r.over_weight is None else r.over_weight
        under = v.model.new_int_var(0, r.required, f"coverage.under[{n}]")
        over = v.model.new_int_var(0, len(qualified), f"coverage.over[{n}]")
        v.model.add(assigned - r.required == over - under)  # exact at the optimum, see above
        penalty += under_w * under + over_w * over
    return penalty
