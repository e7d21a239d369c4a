"""solve(problem, params) -> Result: build the CP-SAT model, run the search's route, read the
roster back.

The search runs in a worker thread so that the calling thread stays responsive to
signals: `Stopper.stop()` (called from a SIGTERM/SIGINT handler, for instance) ends the
search and the best roster found so far is returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rostering.domain import Problem, Roster
from rostering.model.breaks import placed
from rostering.model.build import build
from rostering.model.variables import Halted, Variables
from rostering.search.budget import Budget, Progress, Stopper, gap, reserve_seconds
from rostering.search.full_search import polish
from rostering.search.params import SearchParams
from rostering.search.route import run_route
from rostering.search.state import State, Tracker, roster_of

__all__ = ["Progress", "Result", "SolveParams", "Stopper", "gap", "solve"]


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds, counted from `started` (loading included)
    seed: int = 0
    workers: int = 0  # 0 = default_workers()
    deterministic: bool = False
    started: float | None = None  # time.monotonic() when the run began; default: now
    log_search: bool = False
    relax: frozenset[str] = frozenset()  # hard families to make soft (see model.build)
    search: SearchParams = SearchParams()


@dataclass(frozen=True)
class Result:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    stop_reason: str  # optimal, time_limit, signal, infeasible
    objective: int | None
    best_bound: float | None
    roster: Roster | None
    penalties: dict[str, int]  # the solver's own view, per family
    timing: dict[str, float | None] = field(default_factory=dict)
    workers: int = 1
    relaxed_broken: int = 0  # relaxed constraints the roster breaks (with params.relax)
    route: tuple[dict[str, object], ...] = ()  # the stages run: name, seconds, objective

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        return gap(self.objective, self.best_bound)

    def is_feasible(self) -> bool:
        return self.roster is not None

    def cost(self) -> int | None:
        return self.objective


def solve(
    problem: Problem,
    params: SolveParams = SolveParams(),
    on_progress: Callable[[Progress], None] | None = None,
    stopper: Stopper | None = None,
    extra_constraints: Callable[[Variables], None] | None = None,
) -> Result:
    """Solve a problem within the time limit; never raises for an infeasible problem.
    `extra_constraints` may add constraints over the variables (tests pin rosters this way)."""
    started = params.started if params.started is not None else time.monotonic()
    stopper = stopper or Stopper()
    # the build stops in time to judge and write (the budget's reserve, for at most one
    # shift variable per person, day and shift type: freeing a large model takes seconds
    # too), and at half the time limit at the latest
    most = len(problem.employees) * problem.days * len(problem.model.shifts)
    reserve = reserve_seconds(params.search, most)
    ends = started + max(params.time_limit - reserve, params.time_limit / 2)

    def halt() -> bool:  # the build stops at the time limit or a signal
        return stopper.requested or time.monotonic() > ends

    try:
        built = build(problem, relax=params.relax, halt=halt)
    except Halted:
        timing: dict[str, float | None] = {"build_seconds": round(time.monotonic() - started, 3)}
        reason = "signal" if stopper.requested else "time_limit"
        return Result("UNKNOWN", reason, None, None, None, {}, timing, params.workers or 1)
    if extra_constraints is not None:
        extra_constraints(built.variables)
    v = built.variables
    budget = Budget(
        params.time_limit, started, params.workers, params.seed, params.search, len(v.x),
        params.deterministic, stopper, params.log_search,
    )  # fmt: skip
    tracker = Tracker(budget, on_progress)
    state = State(problem, built, tracker, usable=extra_constraints is None,
                  relaxed=bool(params.relax))  # fmt: skip
    built_at = budget.elapsed()
    run_route(state, budget)
    status, solver = state.search or (cp_model.UNKNOWN, cp_model.CpSolver())
    timing = {
        "build_seconds": round(built_at, 3),
        "search_seconds": round(budget.elapsed() - built_at, 3),
        "first_solution_seconds": (
            round(tracker.first_solution, 3) if tracker.first_solution is not None else None
        ),
    }
    if state.plan_price is not None:
        timing["plan_price"] = state.plan_price
        timing["plan_bound"] = tracker.floor or None
    route = tuple(record.as_dict() for record in state.route)
    found_now = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if status == cp_model.OPTIMAL:
        name, reason = "OPTIMAL", "optimal"
    elif status == cp_model.INFEASIBLE:
        name, reason = "INFEASIBLE", "infeasible"
    else:
        name = "FEASIBLE" if found_now or state.shifts else "UNKNOWN"
        reason = "signal" if budget.stopped else "time_limit"
    if not found_now and not state.shifts:
        return Result(name, reason, None, None, None, {}, timing, budget.workers, route=route)
    search_bound: float | None = solver.best_objective_bound if found_now else None
    if tracker.floor and (search_bound is None or tracker.floor > search_bound):
        search_bound = tracker.floor  # a stage proved more than the search
    shifts = state.shifts  # never better than an optimal search: the model admits it too
    if found_now and not _worse(solver, state.price):
        shifts = {key: solver.boolean_value(var) for key, var in v.x.items()}
    final = solver if status == cp_model.OPTIMAL else polish(built, shifts, params.seed)
    penalties = {name_: int(final.value(expr)) for name_, expr in built.penalties.items()}
    broken = sum(final.boolean_value(var) for _, var in v.relaxed)
    objective = sum(penalties.values())  # the relaxation price is not part of it
    bound: float | None = objective if status == cp_model.OPTIMAL else search_bound
    if tracker.reached(objective) and not params.relax:  # proven outside the main search
        name, reason, bound = "OPTIMAL", "optimal", objective
    if params.relax:
        bound = None  # the solver's bound covers the relaxation price too
    counts = {key: int(final.value(count)) for key, count in (v.break_counts or {}).items()}
    roster = placed(v, roster_of(v, shifts), counts)
    if route:  # the best after the last stage is this roster, polished (a search's has slack)
        route = (*route[:-1], {**route[-1], "objective": objective})
    return Result(name, reason, objective, bound, roster, penalties, timing,
                  budget.workers, broken, route)  # fmt: skip


def _worse(solver: cp_model.CpSolver, price: int | None) -> bool:
    """Whether the search's roster is priced above `price` (the best roster from outside it):
    the search may end on a roster worse than its hint. Its objective value bounds its
    polished price from above."""
    return price is not None and round(solver.objective_value) > price
