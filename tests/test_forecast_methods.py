"""Forecasts of synthetic histories with a known pattern: the methods recover it, closed
hours are not forecast, holidays are neither learnt nor forecast as normal days."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from rostering.forecast import make_forecast, read_history
from rostering.forecast.calendar import country_holidays, read_holiday_file
from rostering.forecast.history import History
from rostering.forecast.make import Forecast
from rostering.io.errors import InputError
from tests.forecast_data import FIRST, expected, history_rows, write_history

WEEKS = 6
NEXT = FIRST + timedelta(weeks=WEEKS)  # the Monday after the history


def history(tmp_path: Path, rows: list[tuple[str, float]], name: str = "h.csv") -> History:
    return read_history(write_history(tmp_path / name, rows), 30)


def by_start(forecast: Forecast) -> dict[str, float]:
    return {f"{r[0]:%Y-%m-%dT%H:%M}": r[2] for r in forecast.rows()}


def wape_against_truth(forecast: Forecast, days: int = 7) -> float:
    got = by_start(forecast)
    err = total = 0.0
    for d in range(days):
        day = forecast.start + timedelta(days=d)
        for minute in range(0, 1440, 30):
            truth = expected(day, minute)
            key = f"{day}T{minute // 60:02d}:{minute % 60:02d}"
            err += abs(got.get(key, 0.0) - truth)
            total += truth
    return err / total


@pytest.mark.parametrize("method", ["last_week", "mean_4_weeks"])
def test_baselines_repeat_a_noiseless_pattern(tmp_path: Path, method: str) -> None:
    result = make_forecast(history(tmp_path, history_rows(WEEKS)), NEXT, 7, method)
    assert wape_against_truth(result) < 1e-5


def test_mstl_recovers_the_intraday_and_weekly_pattern(tmp_path: Path) -> None:
    data = history(tmp_path, history_rows(WEEKS, noise=True))
    result = make_forecast(data, NEXT, 7, "mstl")
    assert result.methods == ["mstl"]
    # Poisson noise alone leaves about 5 % per interval; a lost weekly or daily shape far more
    assert wape_against_truth(result) < 0.04
    got = by_start(result)
    monday, wednesday = (sum(v for k, v in got.items() if k.startswith(str(NEXT + timedelta(d))))
                         for d in (0, 2))  # fmt: skip
    assert monday / wednesday == pytest.approx(1.3, rel=0.04)


def test_mstl_interval_brackets_the_forecast(tmp_path: Path) -> None:
    result = make_forecast(history(tmp_path, history_rows(WEEKS, noise=True)), NEXT, 7, "mstl")
    for _, _, contacts, _, low, high in result.rows():
        assert 0 <= low <= contacts <= high


def test_closed_hours_and_days_are_not_forecast(tmp_path: Path) -> None:
    for zero_nights in (False, True):  # closed time without rows, or exported as zero rows
        rows = history_rows(WEEKS, zero_nights=zero_nights)
        result = make_forecast(history(tmp_path, rows), NEXT, 7, "mean_4_weeks")
        starts = [r[0] for r in result.rows()]
        assert len(starts) == 5 * 28  # Monday-Friday, 07:00-20:30
        assert {s.weekday() for s in starts} == {0, 1, 2, 3, 4}
        assert (
            min(s.hour for s in starts) == 7
            and max(s.hour * 60 + s.minute for s in starts) == 20 * 60 + 30
        )


def test_gap_in_history_is_filled_not_learnt_as_zero(tmp_path: Path) -> None:
    gap = frozenset(FIRST + timedelta(weeks=w, days=2) for w in (3, 4))  # two Wednesdays missing
    result = make_forecast(history(tmp_path, history_rows(WEEKS, skip=gap)), NEXT, 7, "mstl")
    assert wape_against_truth(result) < 0.02


def test_history_holiday_is_not_learnt(tmp_path: Path) -> None:
    holiday = NEXT - timedelta(weeks=1)  # the last Monday, at 20 % of a normal Monday
    rows = history_rows(WEEKS, scale={holiday: 0.2})
    data = history(tmp_path, rows)
    plain = make_forecast(data, NEXT, 7, "last_week")
    known = make_forecast(data, NEXT, 7, "last_week", holidays={holiday: "Test Day"})
    monday = f"{NEXT}T10:00"
    assert by_start(plain)[monday] == pytest.approx(0.2 * expected(NEXT, 600), rel=1e-5)
    assert by_start(known)[monday] == pytest.approx(expected(NEXT, 600), rel=1e-5)
    assert wape_against_truth(known) < 1e-5


def test_horizon_holiday_learnt_from_history(tmp_path: Path) -> None:
    past = FIRST + timedelta(weeks=2, days=3)  # a Thursday at 40 %
    coming = NEXT + timedelta(days=1)  # the coming Tuesday
    data = history(tmp_path, history_rows(WEEKS, scale={past: 0.4}))
    result = make_forecast(data, NEXT, 7, "mean_4_weeks", holidays={past: "A", coming: "B"})
    assert by_start(result)[f"{coming}T10:00"] == pytest.approx(
        0.4 * expected(coming, 600), rel=1e-5
    )
    assert by_start(result)[f"{NEXT}T10:00"] == pytest.approx(expected(NEXT, 600), rel=1e-5)
    assert any(f"holiday {coming} (B): forecast at 0.40 x a normal day" in n for n in result.notes)


def test_horizon_holiday_closed_when_history_holidays_were(tmp_path: Path) -> None:
    past = FIRST + timedelta(weeks=2)  # a Monday without rows: the line was closed
    coming = NEXT + timedelta(days=3)
    rows = history_rows(WEEKS, skip=frozenset({past}))
    result = make_forecast(history(tmp_path, rows), NEXT, 7, "mstl",
                           holidays={past: "Bank Day", coming: "Bank Day"})  # fmt: skip
    assert {r[0].date() for r in result.rows()} == {NEXT + timedelta(d) for d in (0, 1, 2, 4)}
    assert any("not forecast (closed), as Bank Day in the history" in n for n in result.notes)


def test_horizon_holiday_without_history_to_learn_from(tmp_path: Path) -> None:
    coming = NEXT + timedelta(days=4)
    data = history(tmp_path, history_rows(WEEKS))
    result = make_forecast(data, NEXT, 7, "mean_4_weeks", holidays={coming: ""})
    assert coming not in {r[0].date() for r in result.rows()}
    assert any("no holiday on an open weekday in the history" in w for w in result.warnings)
    half = make_forecast(data, NEXT, 7, "mean_4_weeks", holidays={coming: ""}, holiday_factor=0.5)
    assert by_start(half)[f"{coming}T10:00"] == pytest.approx(0.5 * expected(coming, 600), rel=1e-5)


def test_tiers_and_aht_are_forecast(tmp_path: Path) -> None:
    lines = ["start,tier,contacts,aht_seconds"]
    for s, c in history_rows(WEEKS):
        lines.append(f"{s},junior,{c:g},{200 if s.endswith('T09:00') else 300}")
        hour = int(s[11:13])
        if 10 <= hour < 19:  # the senior desk: weekdays 10:00-19:00 only
            lines.append(f"{s},senior,{c / 10:g},600")
    path = tmp_path / "tiers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = make_forecast(read_history(path, 30), NEXT, 7, "mean_4_weeks")
    rows = result.rows()
    senior = [r for r in rows if r[1] == "senior"]
    assert len(senior) == 5 * 18 and min(r[0].hour for r in senior) == 10
    assert {r[3] for r in senior} == {600}
    junior = {f"{r[0]:%H:%M}": r[3] for r in rows if r[1] == "junior"}
    assert junior["09:00"] == 200 and junior["12:00"] == 300


def test_start_must_follow_the_history(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="on or before the history's last day 2026-02-13"):
        make_forecast(history(tmp_path, history_rows(WEEKS)), NEXT - timedelta(days=3), 7)


def test_holiday_file_and_country(tmp_path: Path) -> None:
    path = tmp_path / "holidays.csv"
    path.write_text("date,name\n2026-12-24,Christmas Eve\n2026-12-31,\n", encoding="utf-8")
    assert read_holiday_file(path) == {date(2026, 12, 24): "Christmas Eve", date(2026, 12, 31): ""}
    path.write_text("date\n2026-12-24\n2026-12-24\n", encoding="utf-8")
    with pytest.raises(InputError, match="holidays.csv:3: column date: 2026-12-24 already"):
        read_holiday_file(path)
    us = country_holidays("US", date(2026, 12, 1), date(2026, 12, 31))
    assert date(2026, 12, 25) in us and len(us) == 1
    with pytest.raises(InputError, match="--country 'XX': not a country code"):
        country_holidays("XX", date(2026, 1, 1), date(2026, 12, 31))


def test_mstl_falls_back_on_a_short_history(tmp_path: Path) -> None:
    rows = history_rows(days=16, noise=True)  # two weeks and two days: one weekly cycle too few
    data = history(tmp_path, rows)
    result = make_forecast(data, data.last_day + timedelta(days=1), 7, "mstl")
    assert result.methods in (["mstl"], ["mean_4_weeks"])
    if result.methods == ["mean_4_weeks"]:
        assert any("too little usable history for mstl" in n for n in result.notes)
    assert np.isfinite([r[2] for r in result.rows()]).all()
