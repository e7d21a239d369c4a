"""The shift-count plan and the rosters that follow it (rostering.search.count_plan), and solve()
taking that route for large models with interval demand."""

from __future__ import annotations

from collections import Counter

import pytest

from rostering.domain import Assignment, Roster
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.pipeline import load
from rostering.search import stages
from rostering.search.count_plan import bounds_every_roster, classes, follow, plan_counts, usable
from rostering.solve import SolveParams, solve
from tests.builders import HOTLINE, hotline_headcount, tuned_solve

HOTLINE_OPTIMUM = (
    644  # hotline_headcount(), proven (all of it coverage, next Monday 00-07 included)
)


@pytest.fixture(scope="module")
def hotline():  # type: ignore[no-untyped-def]
    problem = hotline_headcount()
    return problem, build(problem).variables


def test_the_plan_prices_coverage_no_higher_than_the_optimal_roster(hotline) -> None:  # type: ignore[no-untyped-def]
    # every class-level constraint of the plan is a sum of personal rules, so the plan is a
    # relaxation: its optimum cannot exceed the best roster's coverage price
    _, v = hotline
    plan = plan_counts(v, seconds=20)
    assert plan is not None and plan.optimal
    assert 0 < plan.price <= HOTLINE_OPTIMUM
    assert plan.bound == plan.price  # proven optimal: its price is its bound
    members = classes(v)
    for (_, _, c), people in plan.counts.items():
        assert 0 <= people <= len(members[c])
    for c, people in members.items():  # one shift a day per person
        for d in range(v.days):
            assert sum(n for (dd, _, cc), n in plan.counts.items() if dd == d and cc == c) <= len(
                people
            )


def test_the_plan_staffs_each_class_at_least_its_weekly_minimum(hotline) -> None:  # type: ignore[no-untyped-def]
    # full-timers work at least 1920 paid minutes (4 shifts of 480), less 480 per whole day
    # they are unavailable (the absence credit)
    problem, v = hotline
    plan = plan_counts(v, seconds=20)
    assert plan is not None
    worked = Counter[tuple[str, str]]()
    for (_, _, c), people in plan.counts.items():
        worked[c] += people
    absent = Counter(
        r.employee_id for r in problem.requests if r.kind == "unavailable" and r.shift_id is None
    )
    for c, people in classes(v).items():
        if c[1] == "full_time":
            least = sum(max(0, 4 - absent[v.employees[e].id]) for e in people)
            assert worked[c] >= least


def test_following_the_plan_rosters_everyone_within_their_own_rules(hotline) -> None:  # type: ignore[no-untyped-def]
    problem, v = hotline
    plan = plan_counts(v, seconds=20)
    assert plan is not None
    seen: list[int] = []
    shifts = follow(v, plan, [20.0, 20.0], on_pass=lambda s: seen.append(len(s)) or True)
    assert set(shifts) == set(v.x)  # every shift variable of every class has a value
    assert seen and all(n == len(v.x) for n in seen)
    roster = Roster(
        assignments=tuple(
            Assignment(employee_id=v.employees[e].id, day=d, shift_id=s)
            for (e, d, s), on in shifts.items()
            if on
        )
    )
    judged = evaluate(problem, roster)
    # classes are rostered apart, so only mentoring (which links them) may be broken
    assert {violation.rule for violation in judged.violations} <= {"mentoring"}
    assert judged.penalties["coverage"] >= plan.price


def test_only_large_models_with_interval_demand_are_planned(hotline) -> None:  # type: ignore[no-untyped-def]
    _, v = hotline
    assert usable(v, min_variables=len(v.x))
    assert not usable(v, min_variables=len(v.x) + 1)


def test_solve_through_the_plan_returns_a_legal_roster_priced_as_evaluate_prices_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(stages.columns, "applies", lambda _: False)  # the plan's route
    everywhere = tuned_solve(sizes={"count_plan": 0})
    problem = hotline_headcount()
    progress: list[int] = []
    result = solve(
        problem,
        SolveParams(time_limit=20, seed=1, search=everywhere),
        lambda p: progress.append(p.objective),
    )
    assert result.roster is not None and "plan_price" in result.timing
    # the plan's bound is the run's bound when the search proves less
    assert result.best_bound is not None
    assert result.timing["plan_bound"] <= result.best_bound <= HOTLINE_OPTIMUM
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible()
    assert judged.objective == result.objective
    assert result.objective >= HOTLINE_OPTIMUM
    assert progress == sorted(progress, reverse=True) and progress[-1] == result.objective


def test_the_plan_bounds_rosters_only_while_no_penalty_can_be_negative() -> None:
    problem = load(HOTLINE)
    assert bounds_every_roster(problem)
    first = problem.employees[0].model_copy(update={"hourly_cost": -1.0})
    paid = problem.model_copy(update={"employees": (first, *problem.employees[1:])})
    assert not bounds_every_roster(paid)
    request = problem.requests[0].model_copy(update={"weight": -1})
    wished = problem.model_copy(update={"requests": (request, *problem.requests[1:])})
    assert not bounds_every_roster(wished)
