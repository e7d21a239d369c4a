"""Coverage of demand: soft under- and over-cover, hard `min_required` floors.

Interval demand uses nested tiers: in each interval, unmet = max(0, max_t D>=t - S>=t) and
surplus = on duty - (total demand - unmet); the penalty is under x unmet + over x surplus.
Shift-slot demand (cover.csv) prices each row's shortfall and excess on its own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from rostering.domain import DAY_MINUTES, Problem
from rostering.model.duty import on_duty
from rostering.model.variables import Expr, Variables

NAME = "coverage"


def add(v: Variables) -> Expr:
    if v.problem.slot_demand is not None:
        return _slots(v)
    if v.problem.interval_demand is not None:
        return _intervals(v)
    return 0  # no demand at all: nothing to cover, nothing to price


def cumulative_demand(problem: Problem) -> dict[int, dict[str, tuple[int, int]]]:
    """interval -> tier -> (D>=t, floor>=t) from the interval requirements."""
    tiers = problem.model.tiers
    own: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in problem.interval_demand or ():
        own[r.interval][r.tier] = (r.required, r.min_required)
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for i, by_tier in own.items():
        need = floor = 0
        cumulative: dict[str, tuple[int, int]] = {}
        for t in reversed(tiers):
            need += by_tier.get(t, (0, 0))[0]
            floor += by_tier.get(t, (0, 0))[1]
            cumulative[t] = (need, floor)
        result[i] = cumulative
    return result


def _intervals(v: Variables) -> Expr:
    grid = v.problem.model.interval_minutes or 60
    rank = {t: i for i, t in enumerate(v.problem.model.tiers)}
    tier_of = [rank[emp.tier] for emp in v.employees]
    bounds = list(range(0, v.days * DAY_MINUTES + 1, grid))
    staffed = [[(tier_of[e], x) for e, x in window] for window in on_duty(v, bounds)]
    return interval_penalty(v.model, v.problem, staffed, lambda ct, day: v.add(ct, day=day))


def interval_penalty(
    model: cp_model.CpModel,
    problem: Problem,
    staffed: list[list[tuple[int, Expr]]],
    add_floor: Callable[[Expr, int], object],
) -> Expr:
    """The coverage price over the demand grid, given for each interval the (tier rank,
    expression) pairs of who is on duty: 0/1 per person, or a count of people of that tier
    (the shift-count plan of `rostering.model.counts`). `add_floor(constraint, day)` adds a
    hard min_required floor."""
    grid = problem.model.interval_minutes or 60
    weights = problem.model.weights
    rank = {t: i for i, t in enumerate(problem.model.tiers)}
    lowest = problem.model.tiers[0]
    demand = cumulative_demand(problem)
    penalty: Expr = 0
    for i, window in enumerate(staffed):
        total = sum(x for _, x in window)
        need = demand.get(i)
        if not need:
            penalty += weights.over_cover * total
            continue
        # unmet >= max(0, max_t D>=t - S>=t): minimisation makes it equal (solve() polishes
        # the last roster so that its reported price is exact); bounds keep the LP strong
        unmet = model.new_int_var(0, need[lowest][0], f"coverage.unmet[{i}]")
        for t, (required, floor) in need.items():
            on = sum(x for tier, x in window if tier >= rank[t])
            if required:
                model.add(unmet >= required - on)
            if floor:
                add_floor(on >= floor, i * grid // DAY_MINUTES)
        penalty += weights.under_cover * unmet
        penalty += weights.over_cover * (total - need[lowest][0] + unmet)
    return penalty


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
