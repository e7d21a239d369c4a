"""The benchmark scenarios (benchmarks/scenarios.py): deterministic, loadable, calibrated,
solvable. Fast: the one solve stops at its first roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from benchmarks import scale_bench, scenarios
from rostering.evaluate import evaluate
from rostering.pipeline import load, write_staffing
from rostering.solve import Progress, SolveParams, Stopper, solve

FILES = ("model.toml", "instance.toml", "forecast.csv", "staff.csv", "requests.csv")
BANK_WEEK = date(2003, 3, 3)
bank_data = pytest.mark.skipif(
    not (scenarios.BANK_DATA / scenarios.BANK_HALFHOURLY).is_file(),
    reason="the bank call data (../shared/data/bank_calls) is not present",
)


def read_all(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def test_synthetic_site_is_deterministic_and_loads(tmp_path: Path) -> None:
    first = scenarios.synthetic_site(tmp_path / "a", 50, seed=7)
    second = scenarios.synthetic_site(tmp_path / "b", 50, seed=7)
    assert read_all(first) == read_all(second)
    assert set(FILES) | {"previous.csv"} == set(read_all(first))
    other = scenarios.synthetic_site(tmp_path / "c", 50, seed=8)
    assert read_all(other)["forecast.csv"] != read_all(first)["forecast.csv"]

    problem = load(first)
    assert len(problem.employees) == 50
    assert [s.id for s in problem.model.shifts] == ["E1", "E2", "D1", "L1", "L2", "N1"]
    assert problem.model.rules.mentoring is not None
    assert len(problem.requests) == 50 // 4
    assert len(problem.previous) > 0
    assert problem.interval_demand
    assert write_staffing(first, tmp_path / "staffing.csv") == 7 * 24 * 3


def test_synthetic_site_is_calibrated_like_the_hotline(tmp_path: Path) -> None:
    figures = scenarios.calibration(scenarios.synthetic_site(tmp_path / "s", 100, seed=7))
    ratios = {f.level: f.ratio for f in figures}
    # the busiest tier level needs about TARGET_LOAD of its on-duty hours
    assert max(ratios.values()) == pytest.approx(scenarios.TARGET_LOAD, abs=0.02)
    assert all(r <= scenarios.TARGET_LOAD + 0.02 for r in ratios.values())


@bank_data
def test_bank_week_loads_and_needs_a_few_hundred_people(tmp_path: Path) -> None:
    directory = scenarios.bank_week(tmp_path / "bank", BANK_WEEK)
    assert set(FILES) == set(read_all(directory))
    problem = load(directory)
    assert problem.days == 7 and problem.start == BANK_WEEK
    assert 400 <= len(problem.employees) <= 500
    assert problem.model.interval_minutes == 30
    assert all(s.weekdays == frozenset(range(5)) for s in problem.model.shifts)
    # every open half hour of the five weekdays, three tier queues each
    assert write_staffing(directory, tmp_path / "staffing.csv") == 5 * 28 * 3

    peaks = scenarios.daily_peaks(directory)
    assert [d.weekday() for d in peaks] == [0, 1, 2, 3, 4]  # no weekend demand
    assert all(200 <= n <= 450 for n in peaks.values()), peaks
    assert max(peaks.values()) >= 300  # Monday's late-morning peak
    figures = {f.level: f for f in scenarios.calibration(directory)}
    assert 12_000 <= figures["junior+"].required_hours <= 16_000
    assert all(0.6 <= f.ratio <= 0.85 for f in figures.values())


@bank_data
def test_bank_week_must_be_a_monday_with_data(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="Monday"):
        scenarios.bank_week(tmp_path / "x", date(2003, 3, 4))
    with pytest.raises(ValueError, match="no bank data"):
        scenarios.bank_week(tmp_path / "x", date(2004, 3, 1))


def test_small_synthetic_site_solves_without_hard_violations(tmp_path: Path) -> None:
    problem = load(scenarios.synthetic_site(tmp_path / "s", 50, seed=7))
    stopper = Stopper()
    events: list[Progress] = []

    def first_roster(p: Progress) -> None:
        events.append(p)
        stopper.stop()  # one roster is enough to check the hard rules

    result = solve(problem, SolveParams(time_limit=10), first_roster, stopper)
    assert result.roster is not None, result.status
    assert events
    assert evaluate(problem, result.roster).violations == ()


def test_gap_times_come_from_events_or_the_final_bound() -> None:
    events = [(1.0, 200, 100.0, 0.5), (2.0, 101, 100.0, 0.0099), (3.0, 100, 99.95, 0.0005)]
    assert scale_bench._first_time(events, 0.01, 0.0005, 9.0) == (2.0, False)
    assert scale_bench._first_time(events, 0.001, 0.0005, 9.0) == (3.0, False)
    assert scale_bench._first_time(events[:1], 0.01, 0.0, 9.0) == (9.0, True)
    assert scale_bench._first_time(events[:1], 0.01, 0.5, 9.0) == (None, False)
    assert scale_bench._first_time([], 0.01, None, 9.0) == (None, False)
