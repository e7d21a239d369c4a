"""Windows of weeks as problems of their own (rostering.search.time_slices): a window's
sub-problem prices rosters as the full problem does up to a constant, its limits are the
horizon's less what is worked outside, and windows growing to the horizon reach the optimum."""

from __future__ import annotations

import math
import time

import pytest

from rostering.domain import Problem
from rostering.evaluate import evaluate
from rostering.search import time_slices, windows
from rostering.search.budget import Budget, default_workers
from rostering.search.marginal_price import Shifts
from rostering.search.params import SearchParams, WindowsParams
from tests.builders import as_roster, make_problem
from tests.test_columns import judged_by_evaluate, optimum, random_problem
from tests.test_windows import first_roster, price


def restricted(shifts: Shifts, lo: int, hi: int) -> Shifts:
    """The shifts of days lo .. hi - 1, re-indexed from lo."""
    return {(e, d - lo, sid): on for (e, d, sid), on in shifts.items() if lo <= d < hi}


def sub_price(problem: Problem, shifts: Shifts, lo: int, hi: int, margin: int) -> int | None:
    """evaluate's price of `shifts` on the sub-problem of days lo .. hi - 1 (None: not legal)."""
    sub = time_slices.sub_problem(problem, time_slices.worked_of(shifts), lo, hi, margin)
    judged = evaluate(sub, as_roster(sub, restricted(shifts, lo, hi)))
    return judged.objective if judged.is_feasible() else None


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("week", [0, 1, 2])
def test_a_week_changes_only_its_days_and_prices_as_the_full_problem(seed: int, week: int) -> None:
    """The sub-problem's price of a roster changed inside the window moves exactly as the full
    problem's; the window's roster is legal on the full problem."""
    problem = random_problem(seed, days=21)
    start = first_roster(problem)
    slices = time_slices.Slices(problem)
    assert slices.units == 3 and slices.margin == 7
    found = slices.search(start, week, 1, 10.0, Budget.free())
    assert found is not None
    lo, end = 7 * week, 7 * week + 7
    assert {k: on for k, on in found.items() if not lo <= k[1] < end} == {
        k: on for k, on in start.items() if not lo <= k[1] < end
    }
    hi = min(21, end + slices.margin)
    before, after = sub_price(problem, start, lo, hi, 7), sub_price(problem, found, lo, hi, 7)
    assert before is not None and after is not None
    assert price(problem, found) - price(problem, start) == after - before
    assert after <= before


def test_limits_over_the_horizon_lose_what_is_worked_outside() -> None:
    staff = {"A": {"max_minutes": 480 * 9, "min_minutes": 480 * 6, "max_weekends": 2,
                   "max_shifts": {"N": 3}}}  # fmt: skip
    problem = make_problem(staff, days=21)
    worked = {(0, 0, "N"): True, (0, 5, "E"): True, (0, 6, "E"): True, (0, 18, "N"): True,
              (0, 8, "E"): True}  # fmt: skip
    sub = time_slices.sub_problem(problem, time_slices.worked_of(worked), 7, 14, 7)
    limits = sub.employees[0].limits
    assert limits.max_minutes == 480 * 5  # four shifts outside days 7..13, each 480 paid
    assert limits.min_minutes == 480 * 2
    assert limits.max_weekends == 1  # the weekend of days 5-6; days 19-20 not
    assert limits.max_shifts == {"N": 1}
    assert [(a.day, a.shift_id) for a in sub.previous] == [(-7, "N"), (-2, "E"), (-1, "E")]
    assert sub.previous_given and sub.days == 7 and sub.start == problem.date_of(7)


@pytest.mark.parametrize("rounds", [0.0, 5.0])
@pytest.mark.parametrize("seed", [2, 5])
def test_weeks_growing_to_the_horizon_reach_the_optimum(seed: int, rounds: float) -> None:
    """By CP-SAT alone, or by column generation first (CP-SAT where its bound proves
    nothing)."""
    problem = random_problem(seed, days=21)
    start = first_roster(problem)
    judge = judged_by_evaluate(problem, lambda objective: None)
    params = WindowsParams(days=1, grow=1, last_days=1, seconds=20.0, tries=1, at_short=0.5)
    shifts, found = windows.improve(
        time_slices.Slices(problem, rounds, rounds), start, price(problem, start), judge,
        time.monotonic() + 120, Budget.free(), params=params,
    )  # fmt: skip
    assert found == price(problem, shifts) == optimum(problem)


def test_the_sub_problem_applies_only_where_it_prices_exactly() -> None:
    problem = random_problem(1, days=21)
    assert time_slices.applies(problem)
    fair = problem.model.model_copy(
        update={"weights": problem.model.weights.model_copy(update={"fairness_nights": 1})}
    )
    assert not time_slices.applies(problem.model_copy(update={"model": fair}))
    assert not time_slices.applies(problem.model_copy(update={"slot_demand": None}))


def test_a_window_of_a_huge_model_gets_the_workers_of_its_own_size() -> None:
    """A huge model searches with one worker (each holds a copy); a window of it is a small
    model of its own and gets the default for its size, unless workers were asked for."""
    params = SearchParams()
    huge = Budget(math.inf, time.monotonic(), 0, 0, params, params.sizes.huge)
    assert huge.workers == params.workers.huge
    assert huge.sized(20_000).workers == default_workers(20_000, params) > huge.workers
    assert huge.sized(20_000).stopper is huge.stopper
    asked = Budget(math.inf, time.monotonic(), 3, 0, params, params.sizes.huge)
    assert asked.sized(20_000).workers == 3
