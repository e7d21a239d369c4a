"""MSTL (intraday x weekly seasonality, AutoETS trend) from Nixtla's statsforecast.

The model sees only open intervals, one after another: a weekday operation open 07:00-21:00
on a 30-minute grid is a series of 28 values a day and 140 a week, with no zero-filled
nights or weekends between them. Its seasons are the week (open intervals per week) and,
when every open day has as many open intervals, the day. The series is modelled on a log
scale (log(1 + contacts)): the intraday curve scales with the day's volume, which the
additive MSTL then captures, and the forecast cannot go below zero.
"""

from __future__ import annotations

import numpy as np

from rostering.forecast.pattern import fill_gaps, weekdays
from rostering.io.errors import InputError

EXTRA_MESSAGE = (
    "the mstl method needs statsforecast: pip install 'rostering[forecast]' "
    "(or use --method mean_4_weeks or last_week, which need nothing more)"
)


def available() -> bool:
    try:
        import statsforecast  # noqa: F401
    except ImportError:
        return False
    return True


def seasons(pattern: np.ndarray) -> list[int]:
    """[day, week] in open intervals; the day only when every open weekday has as many."""
    per_day = [int(c) for c in pattern.sum(axis=1) if c > 0]
    week = sum(per_day)
    if not per_day:
        return []
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
    level: float,
    *,
    log: bool = True,
    window_days: int | None = None,
    trend: str = "ZZN",
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """(mean, low, high), each [days, slots], or None when the history is too short for a
    weekly season (under two weeks of usable days after the last unfillable gap).
    `window_days` keeps only the most recent days; `trend` is AutoETS's model string."""
    try:
        from statsforecast.models import MSTL, AutoETS
    except ImportError:
        raise InputError(EXTRA_MESSAGE) from None
    n, slots = train.shape
    filled, start = fill_gaps(train, first_weekday, pattern)
    if window_days is not None:
        start = max(start, n - window_days)
    if start >= n:
        return None
    wd = weekdays(first_weekday, n + offset + days)
    y = np.concatenate([filled[d, pattern[wd[d]]] for d in range(start, n)])
    lengths = [s for s in seasons(pattern) if y.size >= 2 * s]
    if not lengths or lengths[-1] != int(pattern.sum()):
        return None
    ahead = [int(pattern[wd[d]].sum()) for d in range(n, n + offset + days)]
    steps = sum(ahead)
    model = MSTL(season_length=lengths, trend_forecaster=AutoETS(model=trend))
    percent = round(level * 100)
    out = model.forecast(y=np.log1p(y) if log else y, h=steps, level=[percent])
    back = np.expm1 if log else (lambda v: v)
    mean = back(out["mean"])
    low = back(out[f"lo-{percent}"])
    high = back(out[f"hi-{percent}"])
    result = [np.full((days, slots), np.nan) for _ in range(3)]
    position = sum(ahead[:offset])
    for i in range(days):
        mask = pattern[wd[n + offset + i]]
        count = int(mask.sum())
        for array, values in zip(result, (mean, low, high), strict=True):
            array[i, mask] = np.clip(values[position : position + count], 0.0, None)
        position += count
    return result[0], result[1], result[2]
