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


def add_personal_hints(
    problem: Problem, built: BuiltModel, seconds: float, seed: int = 0
) -> dict[tuple[int, int, str], bool]:
    """Hint each person's own legal schedule (found alone) into `built`; returns the hinted
    shifts by (employee, day, shift id): a complete legal roster when everyone got one
    within `seconds` (their union breaks no hard rule: none links two people)."""
    deadline = time.monotonic() + seconds
    hinted: dict[tuple[int, int, str], bool] = {}
    for e in range(len(problem.employees)):
        remaining = deadline - time.monotonic()
        if remaining <= 0.05:
            break
        own = build(subteam(problem, [e]))
        own.model.clear_objective()  # any legal schedule will do: the search improves it
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 2  # measured: 10x faster than 1 on these tiny models
        solver.parameters.random_seed = seed
        solver.parameters.max_time_in_seconds = min(remaining, 2.0)
        if solver.solve(own.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        for (_, d, sid), var in own.variables.x.items():
            hinted[e, d, sid] = solver.boolean_value(var)
            built.model.add_hint(built.variables.x[e, d, sid], hinted[e, d, sid])
    return hinted
