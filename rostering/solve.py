"""solve(problem, params) -> Result: build the CP-SAT model, search, read the roster back.

The search runs in a worker thread so that the calling thread stays responsive to
signals: `Stopper.stop()` (called from a SIGTERM/SIGINT handler, for instance) ends the
search and the best roster found so far is returned.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from rostering.domain import Assignment, Problem, Roster
from rostering.model.build import BuiltModel, build
from rostering.model.hint import add_personal_hints, independent
from rostering.model.variables import Variables


@dataclass(frozen=True)
class Progress:
    """One line of progress: a better roster was found."""

    objective: int
    bound: float
    gap: float
    elapsed: float


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds, counted from `started` (loading included)
    seed: int = 0
    workers: int = 0  # 0 = default_workers()
    deterministic: bool = False
    started: float | None = None  # time.monotonic() when the run began; default: now
    log_search: bool = False
    relax: frozenset[str] = frozenset()  # hard families to make soft (see model.build)


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

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        return gap(self.objective, self.best_bound)

    def is_feasible(self) -> bool:
        return self.roster is not None

    def cost(self) -> int | None:
        return self.objective


MIN_AUTO_WORKERS = 8


def default_workers() -> int:
    """Every core, and at least 8 search workers: CP-SAT's portfolio needs about 8 to run its
    LP-bound, LNS and local-search workers side by side. With 2 workers on the Curtois &
    Qu instances the rosters were as good but the proven bound was useless (5 vs 745 on
    Instance5 after 60 s), so the reported gap said nothing."""
    return max(os.cpu_count() or 1, MIN_AUTO_WORKERS)


def gap(objective: float, bound: float) -> float:
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


class Stopper:
    """Ends a running search from another thread or a signal handler."""

    def __init__(self) -> None:
        self.requested = False
        self._solver: cp_model.CpSolver | None = None

    def attach(self, solver: cp_model.CpSolver) -> None:
        self._solver = solver
        if self.requested:
            solver.stop_search()

    def stop(self) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, on_progress: Callable[[Progress], None] | None) -> None:
        super().__init__()
        self.started = started
        self.on_progress = on_progress
        self.first_solution: float | None = None

    def on_solution_callback(self) -> None:
        elapsed = time.monotonic() - self.started
        if self.first_solution is None:
            self.first_solution = elapsed
        if self.on_progress is not None:
            objective = round(self.objective_value)
            bound = self.best_objective_bound
            self.on_progress(Progress(objective, bound, gap(objective, bound), elapsed))


def polish(built: BuiltModel, found: cp_model.CpSolver, seed: int) -> cp_model.CpSolver:
    """The same roster with its penalty variables at their least values.

    Penalty variables are bounded from below (unmet >= demand - staffed, ...), which keeps the
    LP relaxation strong; at the optimum they are exact, but a roster found before the search
    ended may carry slack. With every shift variable fixed, the rest is trivial for CP-SAT."""
    model = built.model
    fixed = [(var, found.boolean_value(var)) for var in built.variables.x.values()]
    for var, value in fixed:
        model.add(var == int(value))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = 30.0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: the roster is one
        raise RuntimeError(f"polishing the roster failed: {solver.status_name(status)}")
    return solver


WRITE_RESERVE = 0.5  # seconds kept back from the time limit for evaluating and writing
# Large models whose people are independent get a first roster hinted person by person
# (rostering.model.hint): measured on Curtois Instance21 (100,646 shift variables, 90 s):
# no roster at all without it, a first roster at 35 s with it.
HINT_MIN_VARIABLES = 50_000
HINT_SHARE = 0.3  # at most this share of the time left goes to the hint


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
    built = build(problem, relax=params.relax)
    if extra_constraints is not None:
        extra_constraints(built.variables)
    hint_started = time.monotonic()
    if len(built.variables.x) >= HINT_MIN_VARIABLES and independent(problem):
        budget = HINT_SHARE * (params.time_limit - (hint_started - started))
        add_personal_hints(problem, built, budget, params.seed)
    hint_seconds = time.monotonic() - hint_started
    build_done = time.monotonic()
    workers = params.workers or default_workers()
    solver = cp_model.CpSolver()
    p = solver.parameters
    remaining = max(0.1, params.time_limit - (build_done - started) - WRITE_RESERVE)
    p.num_workers = workers
    p.random_seed = params.seed
    p.catch_sigint_signal = False
    p.log_search_progress = params.log_search
    if params.deterministic:
        # Wall-clock limits make multi-worker runs differ; interleaved search with a
        # deterministic-time budget does not. The budget comes from --time-limit alone, not
        # from `remaining`: the measured build time varies from run to run, and budgets a few
        # hundredths apart already give different rosters. Results still depend on the number
        # of workers (it decides which strategies run), so pass --workers to reproduce a run
        # on a machine with another core count. Deterministic time runs up to ~3x slower than
        # the clock on small machines, so the wall-clock safety net is generous: when it
        # fires, the run is no longer reproducible.
        p.interleave_search = True
        p.max_deterministic_time = max(0.1, params.time_limit - WRITE_RESERVE)
        p.max_time_in_seconds = max(remaining * 5, remaining + 60)
    else:
        p.max_time_in_seconds = remaining
    stopper = stopper or Stopper()
    stopper.attach(solver)
    callback = _Callback(started, on_progress)
    outcome: dict[str, Any] = {}

    def run() -> None:
        outcome["status"] = solver.solve(built.model, callback)

    worker = threading.Thread(target=run, name="cp-sat", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
    solved = time.monotonic()
    status = outcome.get("status", cp_model.UNKNOWN)
    timing = {
        "build_seconds": round(build_done - started, 3),
        "search_seconds": round(solved - build_done, 3),
        "hint_seconds": round(hint_seconds, 3),
        "first_solution_seconds": (
            round(callback.first_solution, 3) if callback.first_solution is not None else None
        ),
    }
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if status == cp_model.OPTIMAL:
        name, reason = "OPTIMAL", "optimal"
    elif status == cp_model.INFEASIBLE:
        name, reason = "INFEASIBLE", "infeasible"
    else:
        name = "FEASIBLE" if found else "UNKNOWN"
        reason = "signal" if stopper.requested else "time_limit"
    if not found:
        return Result(name, reason, None, None, None, {}, timing, workers)  # type: ignore[arg-type]
    v = built.variables
    assignments = tuple(
        Assignment(employee_id=v.employees[e].id, day=d, shift_id=sid)
        for (e, d, sid), var in v.x.items()
        if solver.boolean_value(var)
    )
    search_bound = solver.best_objective_bound
    if status != cp_model.OPTIMAL:
        solver = polish(built, solver, params.seed)
    penalties = {name_: int(solver.value(expr)) for name_, expr in built.penalties.items()}
    broken = sum(solver.boolean_value(var) for _, var in built.variables.relaxed)
    objective = sum(penalties.values())  # the relaxation price is not part of it
    bound: float | None = objective if status == cp_model.OPTIMAL else search_bound
    if params.relax:
        bound = None  # the solver's bound covers the relaxation price too
    roster = Roster(assignments=assignments)
    return Result(name, reason, objective, bound, roster, penalties, timing, workers, broken)
