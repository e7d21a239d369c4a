"""A first roster to start the search from, when the hard rules leave people independent.

Without mentoring and without coverage floors, no hard rule links two people: each person's
own schedule (shift types, minutes, runs, weekends, days off, requests) can be found alone, in
a small CP-SAT model, and the union of those schedules is a complete legal roster. On the
large benchmark instances CP-SAT otherwise spends minutes finding any roster at all.
"""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.build import BuiltModel, build
from rostering.model.search import new_solver


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


FIRST_TRY_SECONDS = 2.0  # each person's first search; those who find none try again later


def add_personal_hints(
    problem: Problem, built: BuiltModel, seconds: float, seed: int = 0
) -> dict[tuple[int, int, str], bool]:
    """Hint each person's own legal schedule (found alone) into `built`; returns the hinted
    shifts by (employee, day, shift id): a complete legal roster when everyone got one
    within `seconds` (their union breaks no hard rule: none links two people)."""
    deadline = time.monotonic() + seconds
    hinted: dict[tuple[int, int, str], bool] = {}
    models: dict[int, BuiltModel] = {}
    waiting = list(range(len(problem.employees)))
    cap: float | None = FIRST_TRY_SECONDS
    while waiting:  # those who found none within the cap try again with the time left
        missed = []
        for n, e in enumerate(waiting):
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                return hinted
            if e not in models:
                models[e] = build(subteam(problem, [e]))
                models[e].model.clear_objective()  # any legal schedule: the search improves it
            own = models[e]
            share = min(remaining, cap or remaining / (len(waiting) - n))
            solver = new_solver(share, workers=2, seed=seed)  # 2: 10x faster than 1 here
            if solver.solve(own.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                missed.append(e)
                continue
            del models[e]
            for (_, d, sid), var in own.variables.x.items():
                hinted[e, d, sid] = solver.boolean_value(var)
                built.model.add_hint(built.variables.x[e, d, sid], hinted[e, d, sid])
        if missed == waiting and cap is None:
            break  # nobody left found one with all the time there was
        waiting, cap = missed, None
    return hinted
