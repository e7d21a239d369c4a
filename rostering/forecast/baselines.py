"""Seasonal-naive baselines: the same weekday and interval in recent weeks.

Both look back over the training days of the same weekday that have data (a holiday or a
gap is skipped, not read as a closed day), most recent first:

* `last_week`: the most recent such day;
* `mean_4_weeks`: the mean of the four most recent such days.
"""

from __future__ import annotations

import numpy as np

from rostering.forecast.pattern import weekdays


def same_weekday(train: np.ndarray, first_weekday: int, weekday: int, count: int) -> np.ndarray:
    """The last `count` training days of `weekday` with any data, most recent first
    ([count or fewer, slots])."""
    wd = weekdays(first_weekday, train.shape[0])
    has_data = ~np.isnan(train).all(axis=1)
    rows = np.flatnonzero((wd == weekday) & has_data)[::-1][:count]
    return train[rows]


def seasonal_naive(
    train: np.ndarray,
    first_weekday: int,
    pattern: np.ndarray,
    offset: int,
    days: int,
    weeks: int,
) -> np.ndarray:
    """[days, slots]: the mean of the same weekday and interval over the `weeks` most recent
    training days of that weekday with data; NaN where closed (or never seen)."""
    n, slots = train.shape
    result = np.full((days, slots), np.nan)
    for i in range(days):
        weekday = (first_weekday + n + offset + i) % 7
        recent = same_weekday(train, first_weekday, weekday, weeks)
        if recent.size == 0:
            continue
        seen = (~np.isnan(recent)).sum(axis=0)
        total = np.nansum(recent, axis=0)
        mean = np.divide(total, seen, out=np.zeros(slots), where=seen > 0)
        result[i] = np.where(pattern[weekday], mean, np.nan)
    return result


def last_week(
    train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int
) -> np.ndarray:
    return seasonal_naive(train, first_weekday, pattern, offset, days, 1)


def mean_4_weeks(
    train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int
) -> np.ndarray:
    return seasonal_naive(train, first_weekday, pattern, offset, days, 4)
