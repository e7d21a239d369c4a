"""`[weights] service`: the price of contacts not answered within target, forecast demand
only (rostering.model.price.service_tables)."""

from __future__ import annotations

from rostering.model.price import IntervalPrice
from rostering.model.rules.coverage import staffed_intervals
from rostering.model.variables import Expr, Variables

NAME = "service"


def add(v: Variables) -> Expr:
    price = IntervalPrice(v.problem)
    if not price.service:
        return 0
    return price.service_expression(v.model, staffed_intervals(v))
