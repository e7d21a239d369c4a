"""Rosters built and improved person by person.

Without mentoring and without coverage floors, no hard rule links two people: each person's
own schedule (shift types, minutes, runs, weekends, days off, requests) can be found alone, in
a small CP-SAT model, and the union of those schedules is a complete legal roster. On the
large benchmark instances CP-SAT otherwise spends minutes finding any roster at all.

Each person's schedule is priced with their own penalties plus what it does to the site's
coverage with everyone else's schedule as it stands (rostering.search.marginal_price): a shift where
the others leave a shortfall earns the under-cover weight, one where they already suffice
costs the over-cover weight. For one person that price is exact, so rescheduling people one
at a time never makes the roster worse (block coordinate descent); passes over everyone go
on while they change something. Mentoring links people, but with everyone else fixed it only
bounds one person's schedule (a mentee off where no mentor has room, a mentor on where the
mentees need them): from a legal roster, the passes keep it legal.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.breaks import BreakKey, placement_counts
from rostering.model.build import BuiltModel, build
from rostering.model.variables import Variables
from rostering.search.budget import Budget
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import MentorWatch, Shifts, coverage_of


def passes_keep_legal(problem: Problem) -> bool:
    """Whether passes person by person keep a legal roster legal: no hard rule links people
    in a way one person alone cannot keep — coverage floors (min_required), hard fairness
    limits (a group's spread). Mentoring they keep (MentorWatch)."""
    floors = any(r.min_required for r in problem.interval_demand or ()) or any(
        r.min_required for r in problem.slot_demand or ()
    )
    return not floors and not problem.model.fairness.has_limits


def independent(problem: Problem) -> bool:
    """No hard rule involves two people."""
    return problem.model.rules.mentoring is None and passes_keep_legal(problem)


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


# The two CP-SAT workers of a search for any legal schedule (unpriced): quick restarts without
# LP find one far sooner on long horizons; priced searches keep the default pair.
FEASIBILITY_SUBSOLVERS = ("quick_restart_no_lp", "default_lp")


class _People:
    """Each person's schedule, found alone against the coverage everyone else leaves."""

    def __init__(self, v: Variables, budget: Budget) -> None:
        self.problem = v.problem
        # each search holds one person's model, not the whole (a huge one's single worker)
        self.budget = budget.sized(len(v.x) // max(1, len(v.problem.employees)))
        self.keep_models = len(v.x) <= budget.params.sizes.keep_person_models
        self.cover = coverage_of(v)
        self.watch = MentorWatch(v) if v.problem.model.rules.mentoring is not None else None
        self.schedules: dict[int, Shifts] = {}
        self.models: dict[int, BuiltModel] = {}

    def start_from(self, shifts: Shifts) -> None:
        """Everyone's schedule as in `shifts` (a complete roster)."""
        for key, on in shifts.items():
            self.schedules.setdefault(key[0], {})[key] = on
        self._move(shifts, 1)

    def _move(self, shifts: Shifts, step: int) -> None:
        self.cover.move(shifts, step)
        if self.watch is not None:
            self.watch.move(shifts, step)

    def place(self, e: int, seconds: float, priced: bool = True) -> bool | None:
        """(Re)schedule person e within `seconds`, hinted by their schedule so far; without
        `priced`, the first legal schedule found (a quicker search). Returns None when no
        schedule was found, else whether it changed."""
        own = self.models.get(e) or build(subteam(self.problem, [e]))
        if self.keep_models:
            self.models[e] = own
        old = self.schedules.get(e, {})
        self._move(old, -1)
        shifts = {(e, d, sid): var for (_, d, sid), var in own.variables.x.items()}
        model = own.model  # with mentoring, a copy takes this pass's bounds (vars keep indexes)
        if self.watch is not None:
            model = own.model.clone()
            self.watch.constrain(model, e, shifts)
        if priced:
            coverage = [self.cover.price(*key) * var for key, var in shifts.items()]
            model.minimize(own.objective + sum(coverage))
        else:
            model.clear_objective()
        model.clear_hints()
        for key, var in shifts.items():
            if key in old:
                model.add_hint(var, old[key])
        workers = self.budget.at_most(self.budget.params.passes.workers)
        solver = new_solver(seconds, workers=workers, seed=self.budget.seed)
        if not priced:
            solver.parameters.subsolvers.extend(FEASIBILITY_SUBSOLVERS)
        self.budget.attach(solver)
        found = solver.solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        new = {key: solver.boolean_value(var) for key, var in shifts.items()} if found else old
        self._move(new, 1)
        if new:
            self.schedules[e] = new
        return new != old if found else None

    def reschedule_everyone(self, deadline: float) -> bool:
        """One pass over everyone, until `deadline`; whether any schedule changed."""
        changed = False
        everyone = len(self.problem.employees)
        for n in range(everyone):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                break
            first_try = self.budget.params.passes.first_try_seconds
            share = min(remaining, first_try, remaining / (everyone - n))
            changed = bool(self.place(n, share)) or changed
        return changed

    def shifts(self) -> Shifts:
        return {key: on for own in self.schedules.values() for key, on in own.items()}


def personal_roster(
    problem: Problem,
    built: BuiltModel,
    seconds: float,
    budget: Budget | None = None,
    on_pass: Callable[[Shifts], bool] | None = None,
    start: Shifts | None = None,
    priced: bool = True,
    first_seconds: float | None = None,
) -> Shifts:
    """Person by person within `seconds`: a first pass (each gets an even share of the
    time, at most `first_try_seconds`, then if need be as long again for any legal schedule,
    and from the first who needs that on, everyone after only that; those who still find none
    try again with the time left), then passes rescheduling everyone in turn while they
    change something and `on_pass(shifts)` (called after each complete roster) returns True.
    The shifts are hinted into `built` and returned: a complete legal roster when everyone
    got a schedule (their union breaks no hard rule: none links two people). The budget's
    stop ends each search.

    Without `priced`, the first pass looks for any legal schedule only (huge models);
    `first_seconds`: the time its even shares are taken of, at most (a first roster soon).
    With mentoring, the first pass takes mentors first and then keeps mentees where mentors
    have room, so a complete roster is legal. With `start` (a complete roster) there is no
    first pass: the passes start from it and keep it legal, mentoring included, or mend its
    broken mentoring where they can; coverage floors and fairness limits are beyond them
    (passes_keep_legal)."""
    budget = budget or Budget.free()
    deadline = time.monotonic() + seconds
    first_end = time.monotonic() + (seconds if first_seconds is None else first_seconds)
    people = _People(built.variables, budget)
    waiting = [] if start else list(range(len(problem.employees)))
    if start:
        people.start_from(start)
    elif people.watch is not None:  # mentors first: mentees then go where mentors have room
        mentee, mentor = people.watch.mentee, people.watch.mentor
        waiting.sort(key=lambda e: (mentee[e], -mentor[e]))
    cap: float | None = budget.params.passes.first_try_seconds
    while waiting:  # those who found none within the cap try again with the time left
        missed = []
        for n, e in enumerate(waiting):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                return hinted(built, people.shifts())
            spread = remaining if cap is None else min(remaining, first_end - time.monotonic())
            share = max(0.0, spread) / (len(waiting) - n)
            # priced in half an even share (building the model takes time too); unpriced
            # from the first who needs more
            if cap is not None and priced and people.place(e, min(share / 2, cap)) is not None:
                continue
            # no priced schedule in an even share: any legal one, and from here on only that
            # (the passes price them); long horizons get no roster at all without it
            priced = False
            if people.place(e, min(cap or share, deadline - time.monotonic()), False) is None:
                missed.append(e)
        if missed == waiting and cap is None:
            return hinted(built, people.shifts())  # nobody left found one in all the time
        waiting, cap = missed, None
    while on_pass is None or on_pass(people.shifts()):
        if not people.reschedule_everyone(deadline):
            break
    return hinted(built, people.shifts())


def hinted(built: BuiltModel, shifts: Shifts, breaks: dict[BreakKey, int] | None = None) -> Shifts:
    """Hint `shifts` (and only them) to the model's next search, with their break counts
    `breaks` when given, else their breaks placed greedily when shift types have breaks;
    returns them."""
    built.model.clear_hints()
    for key, on in shifts.items():
        built.model.add_hint(built.variables.x[key], on)
    v = built.variables
    if v.break_counts:
        worked = [key for key, on in shifts.items() if on]
        counts = placement_counts(v, worked) if breaks is None else breaks
        for placement, count in counts.items():
            built.model.add_hint(v.break_counts[placement], count)
    return shifts
