"""Tiny problems built in Python, and a way to pin a roster with hard requests.

Patterns are strings, one character per day: a shift id (E, L, N) or "." for a day off.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rostering.domain import (
    Assignment,
    Contract,
    Employee,
    FairnessPolicy,
    IntervalRequirement,
    Limits,
    Mentoring,
    Problem,
    Request,
    Roster,
    Rules,
    ShiftType,
    SiteModel,
    SlotRequirement,
    Weights,
)
from rostering.model.variables import Variables
from rostering.search.budget import Budget, Stopper
from rostering.search.params import SearchParams
from rostering.solve import Result, SolveParams, solve

HOTLINE = Path(__file__).resolve().parents[1] / "instances" / "hotline-2026-w49"  # bundled

MONDAY = date(2026, 11, 30)
SHIFTS = (
    ShiftType(id="E", start_minute=6 * 60, minutes=480, paid_minutes=480, kind="early"),
    ShiftType(id="L", start_minute=14 * 60, minutes=480, paid_minutes=480, kind="late"),
    ShiftType(
        id="N", start_minute=22 * 60, minutes=480, paid_minutes=480, night=True, kind="night"
    ),
)


def make_problem(
    staff: dict[str, dict[str, Any]] | int = 1,
    days: int = 7,
    start: date = MONDAY,
    *,
    tiers: tuple[str, ...] = ("junior", "mid", "senior"),
    shifts: tuple[ShiftType, ...] = SHIFTS,
    rules: Rules = Rules(),
    weights: Weights = Weights(),
    requests: tuple[Request, ...] = (),
    previous: dict[str, str] | None = None,
    interval_demand: tuple[IntervalRequirement, ...] | None = None,
    slot_demand: tuple[SlotRequirement, ...] | None = None,
    mentoring: Mentoring | None = None,
    interval_minutes: int = 60,
    history: tuple = (),
    fairness: FairnessPolicy = FairnessPolicy(),
) -> Problem:
    """`staff` maps employee id -> {"tier": ..., "contract": ..., limit keys...}; an int n
    makes n mid-tier people P1..Pn without limits. `previous` maps employee id -> a pattern
    ending the day before `start`."""
    if isinstance(staff, int):
        staff = {f"P{i + 1}": {} for i in range(staff)}
    employees = []
    for eid, spec in staff.items():
        spec = dict(spec)
        tier = spec.pop("tier", tiers[min(1, len(tiers) - 1)])
        contract = spec.pop("contract", "c")
        cost = spec.pop("hourly_cost", 0.0)
        employees.append(
            Employee(id=eid, tier=tier, contract=contract, hourly_cost=cost, limits=Limits(**spec))
        )
    if mentoring is not None:
        rules = rules.model_copy(update={"mentoring": mentoring})
    model = SiteModel(
        name="tiny",
        interval_minutes=interval_minutes,
        tiers=tiers,
        shifts=shifts,
        contracts={e.contract: Contract(name=e.contract, limits=Limits()) for e in employees},
        rules=rules,
        weights=weights,
        fairness=fairness,
    )
    prev = []
    for eid, pattern in (previous or {}).items():
        for i, ch in enumerate(pattern):
            if ch != ".":
                prev.append(Assignment(employee_id=eid, day=i - len(pattern), shift_id=ch))
    return Problem(
        name="tiny",
        model=model,
        start=start,
        days=days,
        employees=tuple(employees),
        requests=requests,
        interval_demand=interval_demand,
        slot_demand=slot_demand if slot_demand is not None or interval_demand else (),
        previous=tuple(prev),
        previous_given=previous is not None,
        history=history,
    )


def random_tier_demand(
    rng: random.Random, intervals: int, floors: bool, floor_share: float, floor_every: int = 1
) -> tuple[IntervalRequirement, ...]:
    """0-2 people per interval and tier (junior, mid, senior); with `floors`, a floor of one
    on a `floor_share` of the intervals needing anyone, every `floor_every` intervals."""
    return tuple(
        IntervalRequirement(
            interval=i,
            tier=tier,
            required=(need := rng.choice([0, 0, 1, 1, 2])),
            min_required=int(
                floors and i % floor_every == 0 and need > 0 and rng.random() < floor_share
            ),
        )
        for i in range(intervals)
        for tier in ("junior", "mid", "senior")
    )


def random_offs(rng: random.Random, days: int) -> tuple[Request, ...]:
    """Two day-off requests (weight 2) of P0-P2 on random days."""
    return tuple(
        Request(employee_id=f"P{rng.randrange(3)}", day=rng.randrange(days), kind="off", weight=2)
        for _ in range(2)
    )


def pin(problem: Problem, patterns: dict[str, str]) -> Problem:
    """Fix the named people to their patterns: worked days with `fixed` requests, days off
    with `unavailable` ones. Mind that whole-day unavailability earns absence credits; use
    `run(problem, patterns)` to pin without requests."""
    extra = []
    for eid, pattern in patterns.items():
        assert len(pattern) == problem.days, pattern
        for d, ch in enumerate(pattern):
            kind = "unavailable" if ch == "." else "fixed"
            extra.append(
                Request(employee_id=eid, day=d, kind=kind, shift_id=None if ch == "." else ch)
            )
    return problem.model_copy(update={"requests": problem.requests + tuple(extra)})


def roster(patterns: dict[str, str], first_day: int = 0) -> Roster:
    return Roster(
        assignments=tuple(
            Assignment(employee_id=eid, day=first_day + d, shift_id=ch)
            for eid, pattern in patterns.items()
            for d, ch in enumerate(pattern)
            if ch != "."
        )
    )


def run(problem: Problem, patterns: dict[str, str] | None = None, seconds: float = 10.0) -> Result:
    """Solve; with `patterns`, the named people's variables are fixed to them (a shift the
    model has no variable for makes the run infeasible)."""
    params = SolveParams(time_limit=seconds, workers=2, seed=1)
    if not patterns:
        return solve(problem, params)
    index = {e.id: i for i, e in enumerate(problem.employees)}

    def fix(v: Variables) -> None:
        for eid, pattern in (patterns or {}).items():
            assert len(pattern) == problem.days, pattern
            e = index[eid]
            for d, ch in enumerate(pattern):
                if ch != "." and (e, d, ch) not in v.x:
                    v.model.add_bool_or([])  # an impossible shift: infeasible
                for (e2, d2, sid), var in v.x.items():
                    if e2 == e and d2 == d:
                        v.model.add(var == int(sid == ch))

    return solve(problem, params, extra_constraints=fix)


def feasible(problem: Problem, patterns: dict[str, str]) -> bool:
    """Whether the model accepts exactly these patterns."""
    result = run(problem, patterns)
    assert result.status in ("OPTIMAL", "INFEASIBLE"), result.status
    return result.status == "OPTIMAL"


def patterns_of(problem: Problem, result: Result) -> dict[str, str]:
    grid = {e.id: ["."] * problem.days for e in problem.employees}
    assert result.roster is not None
    for a in result.roster.assignments:
        grid[a.employee_id][a.day] = a.shift_id
    return {k: "".join(v) for k, v in grid.items()}


def as_roster(problem: Problem, shifts: dict[tuple[int, int, str], bool]) -> Roster:
    """The roster of the shifts on duty, by (employee index, day, shift id)."""
    return Roster(
        assignments=tuple(
            Assignment(employee_id=problem.employees[e].id, day=d, shift_id=sid)
            for (e, d, sid), on in shifts.items()
            if on
        )
    )


def recording(
    monkeypatch: pytest.MonkeyPatch,
    owner: object,
    name: str,
    note: Callable[[tuple[Any, ...], dict[str, Any]], None],
) -> None:
    """Replace `owner.name` by a function that notes each call's arguments, then calls it."""
    original = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        note(args, kwargs)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)


def tuned(seed: int = 0, **groups: dict[str, Any]) -> Budget:
    """A budget without deadline whose search parameters differ from the defaults by
    `groups`, e.g. tuned(columns={"backtrack_rise": -1.0}); values are not range-checked
    (tests may set values no file may)."""
    return Budget.free(seed, tuned_solve(**groups))


def tuned_solve(**groups: dict[str, Any]) -> SearchParams:
    """Search parameters for SolveParams(search=...), differing from the defaults by `groups`."""
    params = SearchParams()
    changed = {name: replace(getattr(params, name), **values) for name, values in groups.items()}
    return replace(params, **changed)


class CountedStop(Stopper):
    """A stop requested once `checks` run out: at a known point of a search."""

    def __init__(self, checks: int) -> None:
        self.checks = iter(range(checks))
        super().__init__()

    @property  # type: ignore[override]
    def requested(self) -> bool:
        return next(self.checks, None) is None

    @requested.setter
    def requested(self, value: bool) -> None:
        pass

    def attach(self, solver: Any) -> None:
        """Searches are not stopped from here: only the checks count."""


def hotline_headcount() -> Problem:
    """The bundled week priced by headcount alone (its model's `service` weight 0): a week
    whose optimum the search proves in seconds (tests.test_counts.HOTLINE_OPTIMUM)."""
    from rostering.pipeline import load

    problem = load(HOTLINE)
    weights = problem.model.weights.model_copy(update={"service": 0})
    return problem.model_copy(
        update={"model": problem.model.model_copy(update={"weights": weights})}
    )


def hotline_without_limits() -> Problem:
    """hotline_headcount without its [fairness] limits: the stages that keep people apart
    (the columns' rosters, passes person by person) are tested on it."""
    problem = hotline_headcount()
    model = problem.model.model_copy(update={"fairness": FairnessPolicy()})
    return problem.model_copy(update={"model": model})
