"""A first roster built person by person, when the hard rules leave people independent.

Without mentoring and without coverage floors, no hard rule links two people: each person's
own schedule (shift types, minutes, runs, weekends, days off, requests) can be found alone, in
a small CP-SAT model, and the union of those schedules is a complete legal roster. On the
large benchmark instances CP-SAT otherwise spends minutes finding any roster at all.

Each person's schedule is priced with their own penalties plus what it does to the site's
shift-slot coverage (cover.csv) with everyone else's schedule as it stands: a shift on a slot
still short of a row's requirement earns that row's under-cover weight, one on a slot already
full costs its over-cover weight. For one person that price is exact, so rescheduling people
one at a time never makes the roster worse (block coordinate descent); passes over everyone
go on while they change something.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.build import BuiltModel, build
from rostering.model.search import new_solver

Shifts = dict[tuple[int, int, str], bool]  # (employee, day, shift id) -> on duty


def independent(problem: Problem) -> bool:
    """No hard rule involves two people."""
    floors = any(r.min_required for r in problem.interval_demand or ()) or any(
        r.min_required for r in problem.slot_demand or ()
    )
    return problem.model.rules.mentoring is None and not floors


def subteam(problem: Problem, members: list[int]) -> Problem:
    """The problem of these employees (indexes) alone: their own rules and requests, no
    demand and no mentoring (the rules that link them to others)."""
    ids = {problem.employees[e].id for e in members}
    rules = problem.model.rules.model_copy(update={"mentoring": None})
    return problem.model_copy(
        update={
            "model": problem.model.model_copy(update={"rules": rules}),
            "employees": tuple(problem.employees[e] for e in members),
            "requests": tuple(r for r in problem.requests if r.employee_id in ids),
            "previous": tuple(a for a in problem.previous if a.employee_id in ids),
            "history": tuple(h for h in problem.history if h.employee_id in ids),
            "interval_demand": None,
            "slot_demand": None,
            "forecast": None,
        }
    )


class SlotCover:
    """The shift-slot rows (cover.csv) and how many people count toward each right now."""

    def __init__(self, problem: Problem) -> None:
        weights = problem.model.weights
        rank = {t: i for i, t in enumerate(problem.model.tiers)}
        self.ranks = [rank[emp.tier] for emp in problem.employees]
        self.rows: list[tuple[int, int, int]] = []  # required, under weight, over weight
        self.at: dict[tuple[int, str], list[tuple[int, int]]] = {}  # slot -> (row, least rank)
        for n, r in enumerate(problem.slot_demand or ()):
            under = weights.under_cover if r.under_weight is None else r.under_weight
            over = weights.over_cover if r.over_weight is None else r.over_weight
            self.rows.append((r.required, under, over))
            least = -1 if r.tier is None else rank[r.tier]
            self.at.setdefault((r.day, r.shift_id), []).append((n, least))
        self.count = [0] * len(self.rows)

    def _rows(self, e: int, day: int, shift_id: str) -> list[int]:
        return [n for n, least in self.at.get((day, shift_id), ()) if self.ranks[e] >= least]

    def move(self, shifts: Shifts, step: int) -> None:
        """Count these shifts in (step 1) or out (step -1)."""
        for (e, day, shift_id), on in shifts.items():
            if on:
                for n in self._rows(e, day, shift_id):
                    self.count[n] += step

    def price(self, e: int, day: int, shift_id: str) -> int:
        """What e on this shift adds to the coverage price, the counts as they stand."""
        total = 0
        for n in self._rows(e, day, shift_id):
            required, under, over = self.rows[n]
            total += -under if self.count[n] < required else over
        return total

    def total(self) -> int:
        """The coverage price of the counts as they stand."""
        return sum(
            under * max(0, required - n) + over * max(0, n - required)
            for (required, under, over), n in zip(self.rows, self.count, strict=True)
        )


FIRST_TRY_SECONDS = 2.0  # each person's first search; those who find none try again later
KEEP_MODELS_VARIABLES = 200_000  # keep each person's model between passes below this size


class _People:
    """Each person's schedule, found alone against the coverage everyone else leaves."""

    def __init__(
        self,
        problem: Problem,
        seed: int,
        keep_models: bool,
        attach: Callable[[cp_model.CpSolver], None] | None,
    ) -> None:
        self.problem = problem
        self.seed = seed
        self.keep_models = keep_models
        self.attach = attach
        self.cover = SlotCover(problem)
        self.schedules: dict[int, Shifts] = {}
        self.models: dict[int, BuiltModel] = {}

    def place(self, e: int, seconds: float) -> bool | None:
        """(Re)schedule person e within `seconds`, hinted by their schedule so far. Returns
        None when no schedule was found, else whether it changed."""
        own = self.models.get(e) or build(subteam(self.problem, [e]))
        if self.keep_models:
            self.models[e] = own
        old = self.schedules.get(e, {})
        self.cover.move(old, -1)
        shifts = {(e, d, sid): var for (_, d, sid), var in own.variables.x.items()}
        coverage = [self.cover.price(*key) * var for key, var in shifts.items()]
        own.model.minimize(own.objective + sum(coverage))
        own.model.clear_hints()
        for key, var in shifts.items():
            if key in old:
                own.model.add_hint(var, old[key])
        solver = new_solver(seconds, workers=2, seed=self.seed)  # 2: 10x faster than 1 here
        if self.attach is not None:
            self.attach(solver)
        found = solver.solve(own.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        new = {key: solver.boolean_value(var) for key, var in shifts.items()} if found else old
        self.cover.move(new, 1)
        if new:
            self.schedules[e] = new
        return new != old if found else None

    def reschedule_everyone(self, deadline: float) -> bool:
        """One pass over everyone, until `deadline`; whether any schedule changed."""
        changed = False
        for n in range(len(self.problem.employees)):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            share = min(remaining, FIRST_TRY_SECONDS, remaining / (len(self.schedules) - n))
            changed = bool(self.place(n, share)) or changed
        return changed

    def shifts(self) -> Shifts:
        return {key: on for own in self.schedules.values() for key, on in own.items()}


def personal_roster(
    problem: Problem,
    built: BuiltModel,
    seconds: float,
    seed: int = 0,
    on_pass: Callable[[Shifts], bool] | None = None,
    attach: Callable[[cp_model.CpSolver], None] | None = None,
) -> Shifts:
    """Person by person within `seconds`: a first pass (each gets an even share of the
    time, at most FIRST_TRY_SECONDS; those who find no schedule in it try again with the time
    left), then passes rescheduling everyone in turn while they change something and
    `on_pass(shifts)` (called after each complete roster) returns True. The shifts are hinted
    into `built` and returned: a complete legal roster when everyone got a schedule (their
    union breaks no hard rule: none links two people). `attach(solver)` is called before
    each search (to stop it from elsewhere)."""
    deadline = time.monotonic() + seconds
    people = _People(problem, seed, len(built.variables.x) <= KEEP_MODELS_VARIABLES, attach)
    waiting = list(range(len(problem.employees)))
    cap: float | None = FIRST_TRY_SECONDS
    while waiting:  # those who found none within the cap try again with the time left
        missed = []
        for n, e in enumerate(waiting):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                return _hinted(built, people.shifts())
            share = remaining / (len(waiting) - n)
            if people.place(e, min(share, cap) if cap else share) is None:
                missed.append(e)
        if missed == waiting and cap is None:
            return _hinted(built, people.shifts())  # nobody left found one in all the time
        waiting, cap = missed, None
    while on_pass is None or on_pass(people.shifts()):
        if not people.reschedule_everyone(deadline):
            break
    return _hinted(built, people.shifts())


def _hinted(built: BuiltModel, shifts: Shifts) -> Shifts:
    built.model.clear_hints()
    for key, on in shifts.items():
        built.model.add_hint(built.variables.x[key], on)
    return shifts
