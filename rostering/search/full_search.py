"""The full CP-SAT search of the model as it stands (hinted by the stages before it), and the
polish that sets a found roster's penalty variables to their least values."""

from __future__ import annotations

import threading
from typing import Any

from ortools.sat.python import cp_model

from rostering.model.build import BuiltModel
from rostering.search.budget import Budget
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import Shifts
from rostering.search.state import Tracker


class Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each roster of the full search; stops it at the bound proven before it."""

    def __init__(self, tracker: Tracker) -> None:
        super().__init__()
        self.tracker = tracker

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        self.tracker.found(objective, self.best_objective_bound)
        if self.tracker.reached(objective):
            self.stop_search()


def search(
    built: BuiltModel, budget: Budget, tracker: Tracker, work: float | None
) -> tuple[Any, cp_model.CpSolver]:
    """One CP-SAT search of the model until the budget's time is up, in a worker thread
    (signals stay with the caller). `work`: a deterministic-time budget (--deterministic)."""
    solver = new_solver(budget.left(), budget.workers, budget.seed, work)
    solver.parameters.catch_sigint_signal = False
    solver.parameters.log_search_progress = budget.log_search
    budget.attach(solver)
    outcome: dict[str, Any] = {}
    reporter = Reporter(tracker)

    def run() -> None:
        outcome["status"] = solver.solve(built.model, reporter)

    worker = threading.Thread(target=run, name="cp-sat", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
    status = outcome.get("status", cp_model.UNKNOWN)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
    return status, solver


def polish(built: BuiltModel, found: Shifts, seed: int) -> cp_model.CpSolver:
    """The same roster with its penalty variables at their least values.

    Penalty variables are bounded from below (unmet >= demand - staffed, ...), which keeps the
    LP relaxation strong; at the optimum they are exact, but a roster found before the search
    ended may carry slack. With every shift variable fixed, the rest is trivial for CP-SAT."""
    model = built.model
    for key, var in built.variables.x.items():
        model.add(var == int(found[key]))
    solver = new_solver(30.0, workers=1, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: the roster is one
        raise RuntimeError(f"polishing the roster failed: {solver.status_name(status)}")
    return solver
