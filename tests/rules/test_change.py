"""The `change` family: a repair's published past is hard, each later person-day changed costs
[weights] change; the model and evaluate agree, at both ends of the horizon."""

from __future__ import annotations

from rostering.domain import Problem, Published, Request, Roster, Weights
from rostering.evaluate import evaluate
from rostering.explain import explain
from rostering.solve import SolveParams, solve
from tests.builders import feasible, make_problem, patterns_of, roster, run


def published(problem: Problem, patterns: dict[str, str], from_day: int) -> Problem:
    shifts = roster(patterns).assignments
    return problem.model_copy(
        update={"published": Published(assignments=shifts, from_day=from_day)}
    )


def off(eid: str, *days: int) -> tuple[Request, ...]:
    return tuple(Request(employee_id=eid, day=d, kind="unavailable") for d in days)


def test_without_a_published_roster_the_family_is_empty() -> None:
    p = make_problem(1)
    result = run(p)
    assert (
        result.penalties["change"] == 0
        and evaluate(p, Roster(assignments=())).penalties["change"] == 0
    )


def test_days_before_from_stay_exactly_as_published_at_both_ends() -> None:
    p = published(make_problem(1), {"P1": "EL.N..E"}, from_day=6)
    assert feasible(p, {"P1": "EL.N..E"})
    assert feasible(p, {"P1": "EL.N..."})  # the last day is free (at a price)
    assert not feasible(p, {"P1": "LL.N..E"})  # the first day is not
    assert not feasible(p, {"P1": "EL.N.EE"})  # nor the day before --from: off stays off
    free = published(make_problem(1), {"P1": "EL.N..E"}, from_day=0)
    assert feasible(free, {"P1": "......."})


def test_each_person_day_changed_from_from_on_costs_the_weight() -> None:
    p = published(make_problem(2, weights=Weights(change=7)), {"P1": "EEEEE..", "P2": "......."}, 0)
    result = run(p)
    assert patterns_of(p, result) == {"P1": "EEEEE..", "P2": "......."}  # nothing to change
    assert result.penalties["change"] == 0
    # P1 away on the first and last working days: exactly those two person-days change
    sick = p.model_copy(update={"requests": off("P1", 0, 4)})
    result = run(sick)
    assert patterns_of(sick, result)["P1"] == ".EEE..."
    assert result.penalties["change"] == 14 == result.objective
    assert evaluate(sick, result.roster).penalties["change"] == 14  # type: ignore[arg-type]


def test_a_changed_shift_a_day_off_and_a_new_day_each_count_once() -> None:
    p = published(make_problem(1, weights=Weights(change=5)), {"P1": "E.....N"}, from_day=1)
    moved = roster({"P1": "EL....."})  # day 1 worked (was off), day 6 off (was N)
    other = roster({"P1": "E.....E"})  # day 6 another shift
    assert evaluate(p, moved).penalties["change"] == 10
    assert evaluate(p, other).penalties["change"] == 5
    assert evaluate(p, moved).is_feasible()
    assert run(p, {"P1": "EL....."}).penalties["change"] == 10


def test_evaluate_names_a_changed_published_past() -> None:
    p = published(make_problem(1), {"P1": "EL....."}, from_day=2)
    ev = evaluate(p, roster({"P1": "E.L...."}))
    assert [v.rule for v in ev.violations] == ["change"]
    assert ev.violations[0].message == (
        "P1 works no shift on 2026-12-01, published L; days before 2026-12-02 stay as published"
    )
    assert ev.penalties["change"] == 1000  # day 2 is free, and changed


def test_a_published_past_that_breaks_a_new_fact_is_explained() -> None:
    p = published(make_problem(1), {"P1": "EL....."}, from_day=3)
    p = p.model_copy(update={"requests": off("P1", 1)})
    assert run(p).status == "INFEASIBLE"
    why = explain(p, seconds=10)
    assert why is not None and why.rules == ("change", "unavailable")
    assert "change: P1 on 2026-12-01 (published; days before 2026-12-03 stay as published)" in (
        why.sentences
    )
    assert why.sentences[-1] == "solve with --relax change,unavailable to see the least-bad roster"


def test_relaxed_one_shift_a_day_counts_a_person_day_once() -> None:
    p = published(make_problem(1, weights=Weights(change=5)), {"P1": "E......"}, from_day=0)
    both = tuple(
        Request(employee_id="P1", day=d, kind="fixed", shift_id=s) for d in (0, 1) for s in "EL"
    )
    p = p.model_copy(update={"requests": both})
    params = SolveParams(time_limit=10, workers=2, relax=frozenset({"one_shift_per_day"}))
    relaxed = solve(p, params)
    assert relaxed.roster is not None and relaxed.relaxed_broken == 2
    # day 0: E and L against E; day 1: E and L against a day off: two person-days
    assert relaxed.penalties["change"] == 10
    assert evaluate(p, relaxed.roster).penalties["change"] == 10
