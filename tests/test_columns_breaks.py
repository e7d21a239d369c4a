"""Column generation with breaks (rostering.search.columns, columns_links): the master's break
counts keep its bound below the optimum, and the pick's counts place a roster that evaluate
prices as the pick does."""

from __future__ import annotations

import math
import random

import pytest

from rostering.domain import (
    Break,
    Mentoring,
    Problem,
    Rules,
    SlotRequirement,
    Weights,
)
from rostering.evaluate import evaluate
from rostering.model.breaks import placed
from rostering.model.build import build
from rostering.pipeline import load
from rostering.search import columns
from rostering.search.columns_links import BREAK, links_of
from tests.builders import SHIFTS, as_roster, make_problem, random_offs, random_tier_demand
from tests.rules.test_breaks import HELPDESK, HELPDESK_OPTIMUM, one_day
from tests.test_columns import optimum

LUNCH = Break(minutes=60, earliest=180, latest=300)  # starts 3, 4 or 5 hours in (60-min grid)
WITH_LUNCH = tuple(s.model_copy(update={"breaks": (LUNCH,)}) for s in SHIFTS)
MENTORING = Mentoring(
    mentee_tiers=("junior",), mentor_tiers=("mid", "senior"), max_juniors_per_mentor=2
)


def lunch_problem(seed: int) -> Problem:
    """Six or seven people of three tiers over three days, every shift with a one-hour lunch
    on an hourly grid, random demand per tier (floors on even seeds), mentoring, a night
    from the day before, requests."""
    rng = random.Random(seed)
    staff: dict[str, dict[str, object]] = {}
    for i, tier in enumerate(["junior"] * rng.randint(2, 3) + ["mid"] * 2 + ["senior"] * 2):
        staff[f"P{i}"] = {"tier": tier, "min_consecutive_days_off": 1}
    demand = random_tier_demand(rng, 3 * 24, seed % 2 == 0, 0.05)
    requests = random_offs(rng, 3)
    return make_problem(
        staff, days=3, shifts=WITH_LUNCH, requests=requests, interval_demand=demand,
        previous={"P3": "N"}, rules=Rules(min_rest_minutes=660), mentoring=MENTORING,
        weights=Weights(under_cover=rng.choice([20, 100]), over_cover=rng.choice([1, 2])),
    )  # fmt: skip


def slot_problem(seed: int) -> Problem:
    """Shift-slot demand (breaks move no slot's count) with mentoring (they do move who
    mentors whom): juniors, mids and seniors over three days, every shift with a lunch."""
    rng = random.Random(seed)
    staff = {f"P{i}": {"tier": t} for i, t in enumerate(["junior"] * 3 + ["mid"] * 2 + ["senior"])}
    demand = tuple(
        SlotRequirement(day=d, shift_id=s, required=rng.randint(0, 3))
        for d in range(3)
        for s in ("E", "L", "N")
    )
    return make_problem(staff, days=3, shifts=WITH_LUNCH, slot_demand=demand, mentoring=MENTORING)


def exact_roster(problem: Problem, outcome: columns.Outcome) -> int:
    """evaluate's price of the outcome's roster with its breaks placed by its counts."""
    v = build(problem).variables
    assert outcome.breaks is not None
    roster = placed(v, as_roster(problem, outcome.shifts), outcome.breaks)
    judged = evaluate(problem, roster)
    assert judged.is_feasible(), judged.violations
    assert all(a.breaks for a in roster.assignments)
    return judged.objective


@pytest.mark.parametrize(
    ("make", "seed"),
    [(lunch_problem, seed) for seed in (1, 3, 4, 6)] + [(slot_problem, seed) for seed in (1, 2)],
)
def test_the_bound_with_breaks_never_exceeds_the_optimum_and_the_pick_is_priced_exactly(
    make: object, seed: int
) -> None:
    problem = make(seed)  # type: ignore[operator]
    assert columns.applies(problem) and problem.model.has_breaks
    outcome = columns.generate(build(problem).variables, seconds=20)
    assert outcome.converged and outcome.bound is not None and outcome.shifts
    best = optimum(problem)
    assert outcome.bound <= best + 1e-6
    assert outcome.price is not None and best <= outcome.price
    assert exact_roster(problem, outcome) == outcome.price


def test_staggered_lunches_are_in_the_bound() -> None:
    """Two juniors, one needed all day: staggered lunches leave 12 surplus intervals
    (tests/rules/test_breaks.py). The master proves exactly that; priced as whole shifts it
    would prove 16, above the optimum."""
    problem = one_day({"A": {"tier": "junior"}, "B": {"tier": "junior"}})
    outcome = columns.generate(build(problem).variables, seconds=20)
    assert outcome.bound is not None and math.ceil(outcome.bound - 1e-6) == 12
    assert outcome.price == exact_roster(problem, outcome) == 12
    (a,), (b,) = (x.breaks for x in placed(  # type: ignore[misc]
        build(problem).variables, as_roster(problem, outcome.shifts), outcome.breaks or {}
    ).assignments)  # fmt: skip
    assert a[1] <= b[0] or b[1] <= a[0]


def test_a_mentor_s_lunch_is_in_the_mentoring_rows() -> None:
    """A junior and a mentor: staggering would cover noon but leave the junior alone, so the
    pick puts their lunches together, as the full model does."""
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid",), max_juniors_per_mentor=2)
    problem = one_day({"J": {"tier": "junior"}, "M": {"tier": "mid"}}, mentoring=rule)
    outcome = columns.generate(build(problem).variables, seconds=20)
    best = optimum(problem)
    assert outcome.bound is not None and outcome.bound <= best + 1e-6
    assert outcome.price == exact_roster(problem, outcome) == best


def test_one_linking_row_per_day_shift_tier_and_break() -> None:
    problem = lunch_problem(1)
    v = build(problem).variables
    links = links_of(v)
    linking = [n for n, row in enumerate(links.rows) if row.kind == BREAK]
    tiers = {(d, sid, v.employees[e].tier) for e, d, sid in v.x}
    assert len(linking) == len(tiers)  # one lunch per shift
    assert len(links.break_most) == 3 * len(tiers)  # three starts each
    for key, most in links.break_most.items():
        d, sid, tier, _, _ = key
        assert most == sum(1 for e, d2, s2 in v.x if (d2, s2) == (d, sid)
                           and v.employees[e].tier == tier)  # fmt: skip
        assert sum(c for n, c in links.break_terms[key] if n in linking) == -1
        assert links.break_cost[key] <= 0  # the over-cover its hour saves (none after the end)
    assert any(cost < 0 for cost in links.break_cost.values())


def test_the_helpdesk_bound_holds() -> None:
    """(tests/rules/test_breaks.py solves the helpdesk through the columns to its optimum.)"""
    problem = load(HELPDESK)
    outcome = columns.generate(build(problem).variables, seconds=20)
    assert outcome.bound is not None and outcome.bound <= HELPDESK_OPTIMUM + 1e-6
    assert outcome.price is not None and outcome.price >= HELPDESK_OPTIMUM
    assert exact_roster(problem, outcome) == outcome.price
