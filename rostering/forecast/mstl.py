"""MSTL (intraday x weekly seasonality) from Nixtla's statsforecast.

The model sees only open intervals, one after another: a weekday operation open 07:00-21:00
on a 30-minute grid is a series of 28 values a day and 140 a week, with no zero-filled
nights or weekends between them. Its seasons are the week (open intervals per week) and,
when every open day has as many open intervals, the day. The series is modelled on a log
scale (log(1 + contacts)): the intraday curve scales with the day's volume, and the
forecast cannot go below zero.

MSTL splits the series into the two seasonal shapes (each smoothed over several weeks) and
a seasonally adjusted rest, which is forecast by its mean over the last four weeks
(statsforecast's WindowAverage). An AutoETS trend, statsforecast's default, is available as
`trend="ets"`: fitted on one-step errors, it follows the last hours' level, which says
little about next week (docs/BENCHMARKS.md has the measured difference).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rostering.forecast.pattern import fill_gaps, weekdays
from rostering.io.errors import InputError

EXTRA_MESSAGE = (
    "the mstl method needs statsforecast: pip install 'rostering[forecast]' "
    "(or use --method mean_4_weeks or last_week, which need nothing more)"
)
LEVEL_WEEKS = 4  # the seasonally adjusted level: mean of the last four weeks
TRAIN_WEEKS = 20  # older history changes the seasonal shapes little and costs time


def seasons(pattern: np.ndarray) -> list[int]:
    """[day, week] in open intervals; the week alone when open days differ in length."""
    per_day = [int(c) for c in pattern.sum(axis=1) if c > 0]
    if not per_day:
        return []
    week = sum(per_day)
    day = per_day[0]
    if all(c == day for c in per_day) and day < week:
        return [day, week]
    return [week]


def mstl(
    train: np.ndarray,
    first_weekday: int,
    pattern: np.ndarray,
    offset: int,
    days: int,
    *,
    log: bool = True,
    trend: str = "window",
    train_weeks: int | None = TRAIN_WEEKS,
    level_weeks: int = LEVEL_WEEKS,
    daily_season: bool = True,
) -> np.ndarray | None:
    """The point forecast [days, slots] (NaN where closed), or None when the usable history
    (after the last gap that cannot be filled) holds under two weeks. The keywords are the
    alternatives benchmarks/forecast_bench.py measures."""
    try:
        from statsforecast.models import MSTL, AutoETS, WindowAverage
    except ImportError:
        raise InputError(EXTRA_MESSAGE) from None
    n, slots = train.shape
    filled, start = fill_gaps(train, first_weekday, pattern)
    if train_weeks is not None:
        start = max(start, n - 7 * train_weeks)
    lengths = seasons(pattern) if daily_season else seasons(pattern)[-1:]
    if start >= n or not lengths:
        return None
    wd = weekdays(first_weekday, n + offset + days)
    y = np.concatenate([filled[d, pattern[wd[d]]] for d in range(start, n)])
    ahead = [int(pattern[wd[d]].sum()) for d in range(n, n + offset + days)]
    steps = sum(ahead)
    week = lengths[-1]
    if y.size < 2 * week:
        return None
    forecaster: Any
    if trend == "ets":
        forecaster = AutoETS(model="ZZN")
    else:
        forecaster = WindowAverage(window_size=min(level_weeks * week, y.size))
    model = MSTL(season_length=lengths, trend_forecaster=forecaster)
    out = model.forecast(y=np.log1p(y) if log else y, h=max(steps, 1))["mean"]
    forecast = np.expm1(out) if log else out
    result = np.full((days, slots), np.nan)
    position = sum(ahead[:offset])
    for i in range(days):
        mask = pattern[wd[n + offset + i]]
        count = int(mask.sum())
        result[i, mask] = np.clip(forecast[position : position + count], 0.0, None)
        position += count
    return result
