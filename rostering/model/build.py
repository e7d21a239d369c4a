"""Wire the variables and every rule family into one CP-SAT model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.families import FAMILIES, HARD_FAMILIES
from rostering.model.variables import Expr, Halted, Variables, build_variables

# each family's model rule: the module rostering.model.rules.<name>, whose add(v) adds its
# constraints and returns its penalty
RULES: tuple[tuple[str, ModuleType], ...] = tuple(
    (f.name, import_module(f"rostering.model.rules.{f.name}")) for f in FAMILIES
)
RELAX_PRICE = 1_000_000  # per relaxed constraint broken: above any realistic soft penalty


@dataclass
class BuiltModel:
    model: cp_model.CpModel
    variables: Variables
    penalties: dict[str, Expr]  # family name -> its penalty expression (0 for hard families)
    relaxation: Expr = 0  # RELAX_PRICE x relaxed constraints broken

    @property
    def objective(self) -> Expr:
        """What the model minimises: the penalties and the relaxation price."""
        return sum(self.penalties.values()) + self.relaxation

    @property
    def guards(self) -> dict:
        return self.variables.guards


def build(
    problem: Problem,
    relax: frozenset[str] = frozenset(),
    guarded: bool = False,
    halt: Callable[[], bool] | None = None,
) -> BuiltModel:
    """The CP-SAT model of a problem, minimising the sum of the families' penalties.

    `relax`: families whose hard constraints may be broken at RELAX_PRICE each (the
    least-bad roster of an infeasible period). `guarded`: every group of hard constraints
    is enforced only under a guard literal (see `explain`). `halt()` is asked between rule
    families and every few people: True raises Halted (the time limit, a signal)."""
    unknown = sorted(set(relax) - set(HARD_FAMILIES))
    if unknown:
        raise ValueError(
            f"cannot relax {', '.join(unknown)}; hard rules: {', '.join(HARD_FAMILIES)}"
        )
    model = cp_model.CpModel()
    soft_days = guarded or "one_shift_per_day" in relax
    variables = build_variables(problem, model, one_shift_is_soft=soft_days, halt=halt)
    variables.relax = frozenset(relax)
    variables.guarded = guarded
    penalties = {}
    for name, rule in RULES:
        if halt is not None and halt():
            raise Halted
        variables.family = name
        penalties[name] = rule.add(variables)
    relaxation = RELAX_PRICE * sum(var for _, var in variables.relaxed)
    built = BuiltModel(model, variables, penalties, relaxation)
    model.minimize(built.objective)
    return built
