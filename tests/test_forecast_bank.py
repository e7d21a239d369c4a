"""The bank call history end to end: history CSV -> forecast -> bank instance -> staffing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks import bank_history, scenarios
from rostering.cli import main
from rostering.forecast import read_history
from rostering.forecast.pattern import open_pattern
from rostering.pipeline import load

pytestmark = pytest.mark.skipif(
    not (scenarios.BANK_DATA / scenarios.BANK_HALFHOURLY).is_file(),
    reason="the bank call data (../shared/data/bank_calls) is not present",
)
WEEK = date(2003, 10, 27)  # the Monday after the data


def test_bank_history_opens_weekdays_0700_to_2100(tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    assert bank_history.write_history(path) == 4592
    history = read_history(path, 30)
    assert (history.first_day, history.last_day) == (date(2003, 3, 3), date(2003, 10, 24))
    pattern = open_pattern(history.series[0].contacts, history.first_day.weekday())
    assert pattern.sum(axis=1).tolist() == [28, 28, 28, 28, 28, 0, 0]
    assert pattern[0, 14] and not pattern[0, 13] and pattern[0, 41] and not pattern[0, 42]


def test_forecast_staffs_the_bank_week(tmp_path: Path) -> None:
    history = tmp_path / "history.csv"
    bank_history.write_history(history)
    folder = tmp_path / "bank"
    result = CliRunner().invoke(main, ["forecast", str(history), "--start", str(WEEK),
                                       "--days", "7", "--interval", "30",
                                       "--out", str(folder / "forecast.csv")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote 140 rows" in result.stdout
    bank_history.write_instance(folder, WEEK)
    problem = load(folder)
    assert problem.forecast is not None and len(problem.forecast) == 140 * 3
    daily = sum(f.contacts for f in problem.forecast) / 5
    assert 27_000 < daily < 40_000  # the data's daily volumes run from 27,666 to 42,889
    assert problem.interval_demand and max(r.required for r in problem.interval_demand) > 50
