"""The one object every stage reads its time, workers and stop signal from."""

from __future__ import annotations

import copy
import math
import os
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rostering.search.params import SearchParams


@dataclass(frozen=True)
class Progress:
    """One line of progress: a better roster was found, or a better bound proven outside the
    main search (the columns', the count plan's) for the best roster so far."""

    objective: int
    bound: float
    gap: float
    elapsed: float


def gap(objective: float, bound: float) -> float:
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


def cores() -> int:
    return os.cpu_count() or 1


def default_workers(shift_variables: int, params: SearchParams) -> int:
    """Every core, and at least `workers.min_auto` search workers (CP-SAT's portfolio runs its
    LP-bound, LNS and local-search workers side by side only with about 8); huge models get
    `workers.huge`, since each worker holds its own copy of the model."""
    if shift_variables >= params.sizes.huge:
        return min(cores(), params.workers.huge)
    return max(cores(), params.workers.min_auto)


def reserve_seconds(params: SearchParams, shift_variables: int) -> float:
    """The time kept back from the limit to judge and write a roster (and to free a model)."""
    return params.reserve.seconds + params.reserve.per_variable * shift_variables


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


class Budget:
    """A run's deadline (the time limit from `started`, less a reserve for judging and
    writing), its workers, seed and work budget (--deterministic), and its stop signal.

    `workers` is the ceiling of every stage: a stage that wants more threads of its own
    (a pick, the class passes) gets at most this many."""

    def __init__(
        self,
        time_limit: float,
        started: float,
        workers: int,
        seed: int,
        params: SearchParams,
        shift_variables: int,
        deterministic: bool = False,
        stopper: Stopper | None = None,
        log_search: bool = False,
    ) -> None:
        self.time_limit = time_limit
        self.started = started
        self.params = params
        self.asked = workers  # 0: the default for the model's size
        self.workers = workers or default_workers(shift_variables, params)
        self.seed = seed
        self.deterministic = deterministic
        self.log_search = log_search
        self.stopper = stopper or Stopper()
        self.reserve = reserve_seconds(params, shift_variables)
        # --deterministic: budgets from the time limit alone, not from the time left (the
        # build time varies from run to run; budgets a few hundredths apart differ in roster)
        self.work = time_limit - params.reserve.seconds if deterministic else None

    @classmethod
    def free(cls, seed: int = 0, params: SearchParams | None = None) -> Budget:
        """No deadline, default workers: for a technique called on its own (tests, tools)."""
        return cls(math.inf, time.monotonic(), 0, seed, params or SearchParams(), 0)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        """Seconds left for searching."""
        return self.time_limit - self.elapsed() - self.reserve

    def total(self) -> float:
        """Seconds left, the reserve included: what shares of "the time" are taken of."""
        return self.left() + self.reserve

    def sized(self, shift_variables: int) -> Budget:
        """This budget for a smaller model searched on its own (a window of a huge one): its
        default workers, unless workers were asked for."""
        if self.asked:
            return self
        sized = copy.copy(self)
        sized.workers = default_workers(shift_variables, self.params)
        return sized

    def at_most(self, workers: int) -> int:
        return max(1, min(workers, self.workers))

    @property
    def stopped(self) -> bool:
        return self.stopper.requested

    def attach(self, solver: cp_model.CpSolver) -> None:
        """Called with each CP-SAT solver before it searches, so that a stop ends it."""
        self.stopper.attach(solver)
