"""Rosters built and improved person by person (rostering.search.person_passes)."""

from __future__ import annotations

import time

import pytest
from ortools.sat.python import cp_model

from rostering.domain import Mentoring, Request, Roster, SlotRequirement
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.search import stages
from rostering.search.budget import Budget
from rostering.search.person_passes import Shifts, independent, personal_roster
from rostering.solve import SolveParams, solve
from tests.builders import as_roster, hotline_without_limits, make_problem, tuned_solve

STAFF = {
    "A": {"min_minutes": 5 * 480, "max_consecutive_days": 3, "min_consecutive_days_off": 2},
    "B": {"min_minutes": 4 * 480, "max_weekends": 0, "max_shifts": {"N": 0}},
}


def hinted_roster(problem) -> Roster:  # type: ignore[no-untyped-def]
    built = build(problem)
    hinted = personal_roster(problem, built, seconds=10)
    assert set(hinted) == set(built.variables.x)  # everyone got a schedule
    hint = built.model.proto.solution_hint
    chosen = {i for i, value in zip(hint.vars, hint.values, strict=True) if value}
    assert chosen == {built.variables.x[key].index for key, on in hinted.items() if on}
    return as_roster(problem, hinted)


def test_each_person_gets_a_legal_schedule_of_their_own() -> None:
    away = (Request(employee_id="A", day=3, kind="unavailable"),)
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=2) for d in range(14))
    problem = make_problem(STAFF, days=14, requests=away, slot_demand=demand)
    assert independent(problem)
    roster = hinted_roster(problem)
    assert evaluate(problem, roster).violations == ()
    assert {a.employee_id for a in roster.assignments} == {"A", "B"}


def test_people_take_the_shifts_the_others_leave_uncovered() -> None:
    staff = {p: {"max_minutes": 7 * 480} for p in ("A", "B")}
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=1) for d in range(14))
    problem = make_problem(staff, days=14, slot_demand=demand)
    judged = evaluate(problem, hinted_roster(problem))
    assert judged.is_feasible()
    assert judged.penalties["coverage"] == 0  # with no coverage in view nobody would work


def test_later_passes_mend_what_the_first_left() -> None:
    """A takes the first week in the first pass (requests), before B, who may only work then,
    must take it too (both work early shifts only); the second pass moves A to the second
    week."""
    only_e = {"L": 0, "N": 0}
    staff = {
        "A": {"max_minutes": 7 * 480, "max_shifts": only_e},
        "B": {"min_minutes": 7 * 480, "max_minutes": 7 * 480, "max_shifts": only_e},
    }
    requests = tuple(Request(employee_id="A", day=d, kind="on", shift_id="E") for d in range(7))
    requests += tuple(Request(employee_id="B", day=d, kind="unavailable") for d in range(7, 14))
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=1) for d in range(14))
    problem = make_problem(staff, days=14, requests=requests, slot_demand=demand)
    prices: list[int] = []

    def on_pass(shifts: Shifts) -> bool:
        judged = evaluate(problem, as_roster(problem, shifts))
        assert judged.is_feasible()
        prices.append(judged.objective)
        return True

    personal_roster(problem, build(problem), seconds=20, on_pass=on_pass)
    assert prices[0] >= 7 * 100  # the second week uncovered
    assert prices[-1] == 7  # covered; A's seven requests for the first week unmet
    assert prices == sorted(prices, reverse=True)


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
    monkeypatch.setattr(stages.columns, "applies", lambda problem: False)  # no bound
    monkeypatch.setattr(stages, "search", lambda *args: (cp_model.UNKNOWN, cp_model.CpSolver()))
    progress: list[int] = []
    anywhere = tuned_solve(sizes={"person_first": 0})
    result = solve(
        problem, SolveParams(time_limit=10, search=anywhere), lambda p: progress.append(p.objective)
    )
    assert result.status == "FEASIBLE" and result.roster is not None
    assert result.best_bound is None  # no search, no bound
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible()
    assert result.objective == judged.objective == progress[-1]


def test_a_search_ending_on_a_worse_roster_than_the_hint_does_not_replace_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """CP-SAT may end on a roster priced above the one it was hinted with (Curtois
    Instance23 at 600 s did): the hint stays the result."""
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=2) for d in range(14))
    problem = make_problem(STAFF, days=14, slot_demand=demand)
    searched: list[float] = []

    def worse_search(built, *args):  # type: ignore[no-untyped-def]
        model = built.model.clone()  # a roster with no early shift, the only ones in demand
        model.clear_hints()
        model.add(sum(x for (_, _, sid), x in built.variables.x.items() if sid == "E") == 0)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        assert solver.solve(model) == cp_model.OPTIMAL
        searched.append(solver.objective_value)
        return cp_model.FEASIBLE, solver

    monkeypatch.setattr(stages.columns, "applies", lambda problem: False)  # no bound
    monkeypatch.setattr(stages, "search", worse_search)
    progress: list[int] = []
    anywhere = tuned_solve(sizes={"person_first": 0})
    result = solve(
        problem, SolveParams(time_limit=10, search=anywhere), lambda p: progress.append(p.objective)
    )
    assert result.roster is not None and result.objective is not None
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible()
    assert result.objective == judged.objective == progress[-1] < searched[0]


def test_without_a_search_or_a_complete_hint_there_is_no_roster(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = make_problem(STAFF, days=14)
    monkeypatch.setattr(stages.columns, "applies", lambda problem: False)
    monkeypatch.setattr(stages, "search", lambda *args: (cp_model.UNKNOWN, cp_model.CpSolver()))
    result = solve(problem, SolveParams(time_limit=10))
    assert result.status == "UNKNOWN" and result.roster is None


def test_passes_from_a_legal_roster_keep_mentoring_and_only_gain() -> None:
    """The bundled hotline week (mentoring, nested tiers, hourly demand): from CP-SAT's first
    roster, every pass person by person is legal and no worse than the one before."""
    problem = hotline_without_limits()
    built = build(problem)
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_first_solution = True
    solver.parameters.num_workers = 1
    assert solver.solve(built.model) == cp_model.FEASIBLE
    start = {key: bool(solver.boolean_value(var)) for key, var in built.variables.x.items()}
    prices = [evaluate(problem, as_roster(problem, start)).objective]

    def on_pass(shifts: Shifts) -> bool:
        judged = evaluate(problem, as_roster(problem, shifts))
        assert judged.is_feasible()
        prices.append(judged.objective)
        return True

    personal_roster(problem, built, seconds=15, on_pass=on_pass, start=start)
    assert len(prices) >= 3
    assert prices == sorted(prices, reverse=True)
    assert prices[-1] < prices[0]


def test_a_first_roster_with_mentoring_takes_mentors_first_and_is_legal() -> None:
    problem = hotline_without_limits()
    assert problem.model.rules.mentoring is not None
    built = build(problem)
    first: list[Shifts] = []

    def on_pass(shifts: Shifts) -> bool:
        first.append(shifts)
        return False

    personal_roster(problem, built, seconds=20, on_pass=on_pass)
    assert len(first) == 1 and set(first[0]) == set(built.variables.x)
    assert evaluate(problem, as_roster(problem, first[0])).is_feasible()


def test_each_person_s_search_gets_the_workers_of_a_person_s_model_not_of_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A huge model's default is one worker (each holds a copy of the whole); one person's
    model is small, so their searches take `passes.workers` unless workers were asked for."""
    demand = tuple(SlotRequirement(day=d, shift_id="E", required=2) for d in range(14))
    problem = make_problem(STAFF, days=14, slot_demand=demand)
    built = build(problem)
    workers: list[int] = []
    original = cp_model.CpSolver.solve

    def counted(self: cp_model.CpSolver, *args, **kwargs):  # type: ignore[no-untyped-def]
        workers.append(self.parameters.num_workers)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "solve", counted)
    huge = tuned_solve(sizes={"huge": len(built.variables.x)}, passes={"workers": 2})
    for asked, expected in ((0, {2}), (1, {1})):
        workers.clear()
        budget = Budget(60, time.monotonic(), asked, 0, huge, len(built.variables.x))
        assert budget.workers == 1  # the whole model's
        personal_roster(problem, built, 10, budget)
        assert set(workers) == expected
