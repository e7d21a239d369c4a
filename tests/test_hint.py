"""The person-by-person first roster for large models whose people are independent."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from rostering import solve as solve_module
from rostering.domain import Assignment, Mentoring, Request, Roster, SlotRequirement
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.model.hint import add_personal_hints, independent
from rostering.solve import SolveParams, solve
from tests.builders import make_problem

STAFF = {
    "A": {"min_minutes": 5 * 480, "max_consecutive_days": 3, "min_consecutive_days_off": 2},
    "B": {"min_minutes": 4 * 480, "max_weekends": 0, "max_shifts": {"N": 0}},
}


def hinted_roster(problem) -> Roster:  # type: ignore[no-untyped-def]
    built = build(problem)
    hinted = add_personal_hints(problem, built, seconds=10)
    assert set(hinted) == set(built.variables.x)  # everyone got a schedule
    hint = built.model.proto.solution_hint
    chosen = {i for i, value in zip(hint.vars, hint.values, strict=True) if value}
    assert chosen == {built.variables.x[key].index for key, on in hinted.items() if on}
    return Roster(
        assignments=tuple(
            Assignment(employee_id=problem.employees[e].id, day=d, shift_id=sid)
            for (e, d, sid), on in hinted.items()
            if on
        )
    )


def test_each_person_gets_a_legal_schedule_of_their_own() -> None:
    away = (Request(employee_id="A", day=3, kind="unavailable"),)
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=2) for d in range(14))
    problem = make_problem(STAFF, days=14, requests=away, slot_demand=demand)
    assert independent(problem)
    roster = hinted_roster(problem)
    assert evaluate(problem, roster).violations == ()
    assert {a.employee_id for a in roster.assignments} == {"A", "B"}


def test_mentoring_and_floors_link_people() -> None:
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid",))
    assert not independent(make_problem(STAFF, mentoring=rule))
    floor = (SlotRequirement(day=0, shift_id="E", required=1, min_required=1),)
    assert not independent(make_problem(STAFF, slot_demand=floor))


def test_a_complete_hint_is_the_roster_when_the_search_finds_none(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=2) for d in range(14))
    problem = make_problem(STAFF, days=14, slot_demand=demand)
    monkeypatch.setattr(solve_module, "HINT_MIN_VARIABLES", 0)
    monkeypatch.setattr(solve_module, "_run", lambda *args: (cp_model.UNKNOWN, cp_model.CpSolver()))
    progress: list[int] = []
    result = solve(problem, SolveParams(time_limit=10), lambda p: progress.append(p.objective))
    assert result.status == "FEASIBLE" and result.roster is not None
    assert result.best_bound is None  # no search, no bound
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible()
    assert result.objective == judged.objective == progress[-1]


def test_without_a_search_or_a_complete_hint_there_is_no_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = make_problem(STAFF, days=14)
    monkeypatch.setattr(solve_module, "_run", lambda *args: (cp_model.UNKNOWN, cp_model.CpSolver()))
    result = solve(problem, SolveParams(time_limit=10))
    assert result.status == "UNKNOWN" and result.roster is None
