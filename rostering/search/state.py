"""What the stages of a route share: the model, the best legal roster found so far (judged by
evaluate), the best bound proven outside the main search, and progress reports."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rostering.domain import Assignment, Problem, Roster
from rostering.evaluate import Evaluation, evaluate
from rostering.model.breaks import BreakKey, greedy, placed
from rostering.model.build import BuiltModel
from rostering.model.variables import Variables
from rostering.search.budget import Budget, Progress, gap
from rostering.search.marginal_price import Shifts


class Tracker:
    """Progress over the stages of one solve: the first roster's time, and a report for
    each roster better than every one before, and for the best one again at each better bound
    proven outside the main search."""

    def __init__(self, budget: Budget, on_progress: Callable[[Progress], None] | None) -> None:
        self.budget = budget
        self.on_progress = on_progress
        self.first_solution: float | None = None
        self.best: int | None = None
        self.floor = 0.0  # a bound proven outside the main search (count plan, columns)

    def found(self, objective: int, bound: float) -> None:
        if self.first_solution is None:
            self.first_solution = self.budget.elapsed()
        if self.best is not None and objective >= self.best:
            return
        self.best = objective
        self._report(objective, max(bound, self.floor))

    def proved(self, bound: float) -> None:
        """A bound proven outside the main search; reported with the best roster so far (a
        roster found before its bound would otherwise keep a gap it no longer has)."""
        if bound <= self.floor:
            return
        self.floor = bound
        if self.best is not None:
            self._report(self.best, bound)

    def _report(self, objective: int, bound: float) -> None:
        if self.on_progress is not None:
            elapsed = self.budget.elapsed()
            self.on_progress(Progress(objective, bound, gap(objective, bound), elapsed))

    def reached(self, objective: int) -> bool:
        """Whether `objective` meets the bound proven outside the main search: optimal."""
        return bool(self.floor) and objective <= math.ceil(self.floor - 1e-6)


@dataclass
class StageRecord:
    name: str
    seconds: float
    objective: int | None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "seconds": round(self.seconds, 3), "objective": self.objective}


@dataclass
class State:
    """The route's shared state. `shifts`/`price`: the best legal roster found outside the main
    search, by evaluate's price; `usable` is False when extra constraints bind the roster
    (evaluate knows none of them), so no roster from outside the main search is kept."""

    problem: Problem
    built: BuiltModel
    tracker: Tracker
    usable: bool = True
    relaxed: bool = False  # hard families made soft (--relax)
    shifts: Shifts = field(default_factory=dict)
    price: int | None = None
    breaks: dict[BreakKey, int] | None = None  # the kept roster's break counts, if given
    latest: int | None = None  # the price of the roster offered last, legal or not
    from_columns: bool = False  # the columns gave the best roster
    plan_price: int | None = None  # the count plan's price, when a plan was made
    search: tuple[int, cp_model.CpSolver] | None = None  # the full search's status and solver
    route: list[StageRecord] = field(default_factory=list)
    judging: float = 0.0  # seconds the last judging took (a stage keeps that back at its end)

    @property
    def v(self) -> Variables:
        return self.built.variables

    def offer(self, shifts: Shifts) -> int:
        """Keep `shifts` if legal and better than the roster kept; returns its price."""
        return self._judged(shifts).objective

    def judge(self, shifts: Shifts, breaks: dict[BreakKey, int] | None = None) -> int | None:
        """`offer`, returning the price of a legal roster only (None otherwise); `breaks`:
        its break counts (the model's), placed by rostering.model.breaks.placed."""
        judged = self._judged(shifts, breaks)
        return judged.objective if judged.is_feasible() else None

    def _judged(self, shifts: Shifts, breaks: dict[BreakKey, int] | None = None) -> Evaluation:
        # a roster of shifts takes its breaks greedily unless its counts are given; the final
        # one has them placed exactly (solve's polish)
        began = time.monotonic()
        shifts_only = roster_of(self.v, shifts)
        if breaks is None:
            judged = evaluate(self.problem, greedy(self.problem, shifts_only))
        else:
            judged = evaluate(self.problem, placed(self.v, shifts_only, breaks))
        self.latest, self.judging = judged.objective, time.monotonic() - began
        better = self.price is None or judged.objective < self.price
        if self.usable and judged.is_feasible() and better:
            self.shifts, self.price, self.breaks = dict(shifts), judged.objective, breaks
            self.tracker.found(judged.objective, 0.0)
        return judged

    def reached(self) -> bool:
        """Whether the best roster kept meets the bound proven outside the main search."""
        return self.price is not None and self.tracker.reached(self.price)

    def while_gaining(
        self, budget: Budget, min_gain: float | None = None
    ) -> Callable[[Shifts], bool]:
        """A callback for passes of rosters: offer each pass's roster (one from outside the
        main search may break what that pass could not see, mentoring for instance); go on
        while each gains `min_gain` (`passes.min_gain` unless given) on the last and no stop
        was requested."""
        prices: list[int] = []
        min_gain = budget.params.passes.min_gain if min_gain is None else min_gain

        def on_pass(shifts: Shifts) -> bool:
            price = self.offer(shifts)
            better = not prices or price < prices[-1] * (1 - min_gain)
            prices.append(price)
            return better and not budget.stopped

        return on_pass

    def offer_quietly(self, shifts: Shifts) -> bool:
        """`offer`, as a pass callback that asks for no further pass."""
        self.offer(shifts)
        return False


def roster_of(v: Variables, shifts: Shifts) -> Roster:
    return Roster(
        assignments=tuple(
            Assignment(employee_id=v.employees[e].id, day=d, shift_id=sid)
            for (e, d, sid), on in shifts.items()
            if on
        )
    )
