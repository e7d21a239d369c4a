"""Wire the variables and every rule family into one CP-SAT model."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.rules import (
    consecutive_days,
    consecutive_days_off,
    consecutive_nights,
    cost,
    coverage,
    days_per_week,
    fairness,
    fixed,
    forbidden_successions,
    mentoring,
    min_rest,
    minutes,
    minutes_per_week,
    one_shift_per_day,
    requests,
    shift_types,
    unavailable,
    weekends,
)
from rostering.model.variables import Expr, Variables, build_variables

FAMILIES: tuple[ModuleType, ...] = (
    coverage,
    one_shift_per_day,
    shift_types,
    unavailable,
    fixed,
    min_rest,
    forbidden_successions,
    consecutive_days,
    consecutive_days_off,
    consecutive_nights,
    days_per_week,
    minutes,
    minutes_per_week,
    weekends,
    mentoring,
    requests,
    cost,
    fairness,
)
FAMILY_NAMES: tuple[str, ...] = tuple(f.NAME for f in FAMILIES)


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    variables: Variables
    penalties: dict[str, Expr]  # family name -> its penalty expression (0 for hard families)


def build(problem: Problem) -> BuiltModel:
    """The CP-SAT model of a problem, minimising the sum of the families' penalties."""
    model = cp_model.CpModel()
    variables = build_variables(problem, model)
    penalties = {family.NAME: family.add(variables) for family in FAMILIES}
    model.minimize(sum(penalties.values()))
    return BuiltModel(model, variables, penalties)
