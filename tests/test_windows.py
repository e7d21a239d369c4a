"""Windows of days (rostering.search.windows): each search keeps the roster outside its days,
every roster is legal, and windows that grow to the horizon reach the optimum."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.search import stages, windows
from rostering.search.budget import Budget
from rostering.search.marginal_price import Shifts
from rostering.search.params import WindowsParams
from rostering.search.state import State
from rostering.solve import SolveParams, solve
from tests.builders import as_roster, recording, tuned, tuned_solve
from tests.test_columns import judged_by_evaluate, optimum, random_problem


def first_roster(problem: Problem, optimal: bool = False) -> Shifts:
    """The full model's first roster, whatever its price (its optimal one if `optimal`)."""
    built = build(problem)
    solver = cp_model.CpSolver()
    solver.parameters.stop_after_first_solution = not optimal
    solver.parameters.num_workers = 8 if optimal else 1
    wanted = (cp_model.OPTIMAL,) if optimal else (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert solver.solve(built.model) in wanted
    return {key: solver.boolean_value(var) for key, var in built.variables.x.items()}


def price(problem: Problem, shifts: Shifts) -> int:
    judged = evaluate(problem, as_roster(problem, shifts))
    assert judged.is_feasible()
    return judged.objective


@pytest.mark.parametrize("first", [0, 6, 10])
def test_a_window_changes_only_its_days_and_never_prices_the_roster_higher(first: int) -> None:
    problem = random_problem(2)
    start = first_roster(problem)
    found = windows.Windows(build(problem)).search(start, first, 4, 5.0, Budget.free())
    assert found is not None
    assert {k: on for k, on in found.items() if not first <= k[1] < first + 4} == {
        k: on for k, on in start.items() if not first <= k[1] < first + 4
    }
    assert price(problem, found) <= price(problem, start)


def test_the_same_copy_serves_window_after_window() -> None:
    """Fixing is undone between searches: a later window may change days an earlier one
    kept fixed."""
    problem = random_problem(3)
    looked = windows.Windows(build(problem))
    start = first_roster(problem)
    for first in (0, 10, 0):
        found = looked.search(start, first, 4, 5.0, Budget.free())
        assert found is not None
        assert all(found[k] == on for k, on in start.items() if not first <= k[1] < first + 4)
        assert price(problem, found) <= price(problem, start)
        start = found


@pytest.mark.parametrize("seed", [1, 4])
def test_windows_that_grow_to_the_horizon_reach_the_optimum(seed: int) -> None:
    """From a first roster, windows until none gains: the last window is the whole horizon,
    so the roster is optimal; each roster found was judged, and the one returned is legal
    at the price returned."""
    problem = random_problem(seed)
    start = first_roster(problem)
    prices: list[int] = []
    judge = judged_by_evaluate(problem, prices.append)
    shifts, found = windows.improve(
        windows.Windows(build(problem)), start, price(problem, start), judge, time.monotonic() + 120
    )
    assert found == price(problem, shifts) == optimum(problem) == min(prices)


def test_windows_stop_when_done() -> None:
    problem = random_problem(4)
    start = first_roster(problem)
    prices: list[int] = []
    judge = judged_by_evaluate(problem, prices.append)
    begun = price(problem, start)
    windows.improve(windows.Windows(build(problem)), start, begun, judge,
                    time.monotonic() + 120, None, lambda price: price < begun)  # fmt: skip
    assert prices and prices[-1] < begun and all(p >= begun for p in prices[:-1])


Frozen = frozenset[tuple[tuple[int, int, str], bool]]  # a roster, hashable
Search = tuple[int, int, Frozen, bool]


def searches_recorded(monkeypatch: pytest.MonkeyPatch, proving: bool = True) -> list[Search]:
    """Each window searched: its first day, its length, the roster it was searched from and
    whether the search proved it (never, unless `proving`)."""
    done: list[Search] = []
    search = windows.Windows.search

    def recorded(self, shifts, first, length, seconds, budget):  # type: ignore[no-untyped-def]
        found = search(self, shifts, first, length, seconds, budget)
        self.pinned.proved = self.pinned.proved and proving
        done.append((first, length, frozenset(shifts.items()), self.pinned.proved))
        return found

    monkeypatch.setattr(windows.Windows, "search", recorded)
    return done


@pytest.mark.parametrize("seed", [1, 3, 8])
def test_a_window_proven_is_searched_again_only_once_its_days_changed(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """From the same roster a window is searched again only after its search ended unproven,
    and at most `tries` times; a window proven is searched again at its length only once a
    better roster changed one of its days; the windows still reach the optimum."""
    done = searches_recorded(monkeypatch)
    problem = random_problem(seed)
    start = first_roster(problem)
    judge = judged_by_evaluate(problem, lambda price: None)
    _, found = windows.improve(
        windows.Windows(build(problem)), start, price(problem, start), judge, time.monotonic() + 120
    )
    assert found == optimum(problem)
    earlier: dict[tuple[int, int, Frozen], list[bool]] = {}
    for first, length, roster, proved in done:
        before = earlier.setdefault((first, length, roster), [])
        assert not any(before) and len(before) < WindowsParams().tries
        before.append(proved)
    assert any(proved for *_, proved in done)
    for n, (first, length, roster, proved) in enumerate(done):
        days = range(first, first + length)
        for again, later, since, _ in done[n + 1 :]:
            if proved and (again, later) == (first, length):
                assert any(key[1] in days for key, _ in roster ^ since)
                break


def test_windows_left_unproven_end_past_the_last_length(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From an optimal roster, with no search proving its window: each window of the first
    length is searched `tries` times, each of the next as well up to `last_days`, then the windows
    end, long before their deadline, on the roster they began from."""
    done = searches_recorded(monkeypatch, proving=False)

    problem = random_problem(4)
    start = first_roster(problem, optimal=True)
    judge = judged_by_evaluate(problem, lambda price: None)
    deadline = time.monotonic() + 600
    quick = tuned(windows={"seconds": 0.5})
    shifts, _ = windows.improve(
        windows.Windows(build(problem)), start, price(problem, start), judge, deadline, quick
    )
    assert shifts == start and time.monotonic() < deadline - 300
    p = WindowsParams()
    lengths = range(p.days, p.last_days + 1, p.grow)
    expected = {(first, length) for length in lengths for first in range(problem.days - length + 1)}
    assert sorted((first, length) for first, length, *_ in done) == sorted(list(expected) * p.tries)


def columns_giving(shifts: Shifts, gives: bool = True) -> Callable[..., None]:
    """A stand-in for the columns stage: offers `shifts` as its roster (if `gives`)."""

    def run(stage: stages.Columns, state: State, budget: Budget) -> None:
        state.from_columns = gives and state.judge(shifts) is not None

    return run


def test_solve_gives_the_columns_roster_to_windows_before_the_full_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A columns' roster not proven optimal goes to windows before the full search (where
    demand is per shift slot); the result is legal, evaluate agrees with its objective, and
    it is no worse."""
    problem = random_problem(6)
    poor = first_roster(problem)
    calls: list[int] = []
    recording(monkeypatch, windows, "improve", lambda args, kwargs: calls.append(args[2]))
    monkeypatch.setattr(stages.Columns, "run", columns_giving(poor))
    res = solve(problem, SolveParams(time_limit=10))
    assert res.roster is not None
    judged = evaluate(problem, res.roster)
    assert judged.is_feasible() and judged.objective == res.objective
    assert res.objective is not None and res.objective <= price(problem, poor)
    assert calls == [price(problem, poor)]


@pytest.mark.parametrize(
    ("left", "limit", "seconds"),
    [(150.0, 600.0, 120.0), (60.0, 600.0, 60.0), (40.0, 600.0, 40.0), (10.0, 60.0, 8.0)],
)
def test_windows_get_most_of_the_time_left_but_a_tenth_of_the_limit_if_left(
    left: float, limit: float, seconds: float
) -> None:
    assert stages.windows_seconds(left, limit, WindowsParams()) == pytest.approx(seconds)


@pytest.mark.parametrize("from_columns", [True, False])
def test_a_roster_for_the_windows_gets_no_person_by_person_passes(
    monkeypatch: pytest.MonkeyPatch, from_columns: bool
) -> None:
    """Where windows follow (shift-slot demand), the person-by-person passes run only when
    there is no roster yet for the windows to start from: they give the first one."""
    problem = random_problem(6)
    poor = first_roster(problem)
    passes: list[bool] = []
    anywhere = tuned_solve(sizes={"slot_person_first": 0})  # passes at any size
    recording(
        monkeypatch, stages, "personal_roster",
        lambda args, kwargs: passes.append(kwargs.get("start") is not None),
    )  # fmt: skip
    monkeypatch.setattr(stages.Columns, "run", columns_giving(poor, from_columns))
    res = solve(problem, SolveParams(time_limit=10, search=anywhere))
    assert res.roster is not None and evaluate(problem, res.roster).objective == res.objective
    assert passes == ([] if from_columns else [False])
