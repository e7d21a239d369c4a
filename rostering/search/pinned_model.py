"""The full model searched with some of its shifts fixed: one copy, whose Boolean domains are
set anew for each search (columns' agreed shifts and dives, windows of days)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from rostering.model.build import BuiltModel
from rostering.search.budget import Budget
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import Shifts


class Pinned:
    """A copy of `built`'s model; each search fixes the shifts it is given."""

    def __init__(self, built: BuiltModel) -> None:
        self.model = built.model.clone()
        self.model.clear_hints()
        self.proved = False  # whether the last search proved its roster the best with its fixings
        self.x = {
            key: self.model.get_bool_var_from_proto_index(var.index)
            for key, var in built.variables.x.items()
        }

    def search(
        self,
        fixings: Shifts,
        hint: Shifts,
        seconds: float,
        budget: Budget,
    ) -> tuple[Shifts, int] | None:
        """The best roster found in `seconds` with the shifts of `fixings` fixed (every other
        one free), searched from `hint`, and its price by the search; None if none."""
        proto = self.model.proto
        self.model.clear_hints()
        for key, var in self.x.items():
            domain = proto.variables[var.index].domain  # a Boolean's: [low, high]
            on = fixings.get(key)
            domain[0], domain[1] = (0, 1) if on is None else (int(on), int(on))
            if key in hint:
                self.model.add_hint(var, hint[key])
        solver = new_solver(seconds, workers=budget.workers, seed=budget.seed)
        budget.attach(solver)
        status = solver.solve(self.model)
        self.proved = status == cp_model.OPTIMAL
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        shifts = {key: solver.boolean_value(var) for key, var in self.x.items()}
        return shifts, round(solver.objective_value)
