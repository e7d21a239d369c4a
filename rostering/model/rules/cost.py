"""Labour cost, soft: weight `cost` x each shift's cost, where a shift costs
round(hourly_cost x paid_minutes / 60) (half to even), an integer."""

from __future__ import annotations

from fractions import Fraction

from rostering.model.variables import Expr, Variables

NAME = "cost"


def shift_cost(hourly_cost: float, paid_minutes: int) -> int:
    return round(Fraction(str(hourly_cost)) * paid_minutes / 60)


def add(v: Variables) -> Expr:
    price = v.problem.model.weights.cost
    if not price:
        return 0
    penalty: Expr = 0
    for (e, _, sid), var in v.x.items():
        amount = shift_cost(v.employees[e].hourly_cost, v.shift(sid).paid_minutes)
        if amount:
            penalty += price * amount * var
    return penalty
