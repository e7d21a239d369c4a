"""The search's route: which stages run, recorded in the result and summary.json, and
`--workers` as the ceiling of every CP-SAT search and pricing thread."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ortools.sat.python import cp_model

from rostering.cli import main
from rostering.evaluate import evaluate
from rostering.pipeline import load
from rostering.search.route import ROUTES, demand_kind
from rostering.solve import SolveParams, solve
from tests.builders import HOTLINE, tuned_solve
from tests.test_columns import random_problem


def test_each_kind_of_demand_has_its_route_ending_in_the_full_search() -> None:
    names = {kind: [stage.name for stage in stages] for kind, stages in ROUTES.items()}
    assert names == {
        "slots": [
            "published", "early_roster", "columns", "person_first", "windows", "slices",
            "full_search",
        ],
        "intervals": [
            "published", "columns", "person_first", "person_passes", "count_plan", "full_search"
        ],
    }  # fmt: skip
    assert demand_kind(load(HOTLINE)) == "intervals"
    assert demand_kind(random_problem(1)) == "slots"


def test_the_route_taken_is_in_summary_json_with_each_stage_s_seconds_and_objective(
    tmp_path: Path,
) -> None:
    """The bundled week: its columns prove their roster optimal, so the passes and the full
    search have nothing to do; the summary says so."""
    out = tmp_path / "out"
    args = ["solve", str(HOTLINE), "--out", str(out), "-q", "--time-limit", "20"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    route = summary["route"]
    assert [stage["name"] for stage in route][0] == "columns"
    assert all(stage["seconds"] >= 0 for stage in route)
    assert route[-1]["objective"] == summary["objective"]
    if summary["status"] == "OPTIMAL" and summary["best_bound"] == route[0]["objective"]:
        assert "full_search" not in [stage["name"] for stage in route]


def test_a_long_horizon_of_slot_demand_is_searched_in_windows_of_weeks() -> None:
    """Thirteen weeks: a first roster person by person, then windows of weeks (no columns
    over the horizon, no windows of days); the roster is evaluate's and legal."""
    problem = random_problem(3, days=91)
    search = tuned_solve(sizes={"slot_person_first": 100}, slices={"seconds": 4.0})
    result = solve(problem, SolveParams(time_limit=20, workers=2, search=search))
    assert [stage["name"] for stage in result.route][:2] == ["person_first", "slices"]
    assert result.roster is not None
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible() and judged.objective == result.objective
    assert result.route[1]["objective"] <= result.route[0]["objective"]


def test_a_long_horizon_under_columns_gets_a_roster_person_by_person_before_their_rounds() -> None:
    """Twelve weeks: the columns' first roster comes from a dive after their rounds, so a
    roster person by person comes first, within its share of the time; the rest starts from
    it. Eleven weeks: the columns alone."""
    search = tuned_solve(columns={"early_seconds": 2.0})
    long = solve(random_problem(3, days=84), SolveParams(time_limit=10, workers=2, search=search))
    names = [stage["name"] for stage in long.route]
    assert names[:2] == ["early_roster", "columns"]
    assert long.route[0]["seconds"] < 3 and long.route[0]["objective"] is not None
    assert long.timing["first_solution_seconds"] < 3
    assert (
        long.roster is not None and evaluate(random_problem(3, days=84), long.roster).is_feasible()
    )
    short = solve(random_problem(3, days=77), SolveParams(time_limit=5, workers=2, search=search))
    assert [stage["name"] for stage in short.route][0] == "columns"


def test_a_deterministic_run_takes_only_the_full_search() -> None:
    result = solve(random_problem(2), SolveParams(time_limit=5, deterministic=True, workers=2))
    assert [stage["name"] for stage in result.route] == ["full_search"]


@pytest.mark.parametrize("problem", ["hotline", "slots"])
def test_one_worker_means_one_cp_sat_worker_and_one_search_at_a_time(
    monkeypatch: pytest.MonkeyPatch, problem: str
) -> None:
    """With workers=1 every CP-SAT search of every stage (pricing, picks, fixings, dives,
    passes, windows, the full search) runs one worker, and never two at once."""
    workers: list[int] = []
    running = [0]
    most = [0]
    lock = threading.Lock()
    original = cp_model.CpSolver.solve

    def counted(self: cp_model.CpSolver, *args: Any, **kwargs: Any) -> Any:
        with lock:
            workers.append(self.parameters.num_workers)
            running[0] += 1
            most[0] = max(most[0], running[0])
        try:
            return original(self, *args, **kwargs)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(cp_model.CpSolver, "solve", counted)
    instance = load(HOTLINE) if problem == "hotline" else random_problem(3)
    result = solve(instance, SolveParams(time_limit=8, workers=1))
    assert result.roster is not None and result.workers == 1
    assert workers and set(workers) == {1}
    assert most[0] == 1


def test_a_stop_before_or_during_the_build_ends_the_solve_without_a_roster() -> None:
    """SIGTERM (a stop) or a time limit already spent: the build halts at its next check and
    solve returns no roster, saying why."""
    from rostering.solve import Stopper

    stopper = Stopper()
    stopper.stop()
    stopped = solve(load(HOTLINE), SolveParams(time_limit=60), stopper=stopper)
    assert (stopped.status, stopped.stop_reason, stopped.roster) == ("UNKNOWN", "signal", None)
    late = SolveParams(time_limit=5, started=time.monotonic() - 10)
    spent = solve(load(HOTLINE), late)
    assert (spent.status, spent.stop_reason, spent.roster) == ("UNKNOWN", "time_limit", None)
    assert spent.route == ()
