"""Opening hours learnt from history, and the gaps a model must not learn from.

Intervals are indexed by day (rows) and interval of the day (columns). A weekday's interval
is *open* when it had contacts on any of that weekday's last four days with data: nights
and weekends of an operation that never opens them are never forecast, and zero-filled
closed hours in an export do not count as open either.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

RECENT_DAYS = 4  # a weekday's opening hours: its last four days with data
FILL_WEEKS = 4  # a gap is filled from the same weekday and interval up to 4 weeks away


def weekdays(first_weekday: int, days: int) -> np.ndarray:
    """Weekday (Monday 0) of each day index."""
    return (first_weekday + np.arange(days)) % 7


def mask_days(contacts: np.ndarray, first_day: date, dates: set[date]) -> np.ndarray:
    """A copy of `contacts` with the rows of `dates` (holidays) set to NaN: not learnt."""
    result = contacts.copy()
    for day in dates:
        index = (day - first_day).days
        if 0 <= index < result.shape[0]:
            result[index] = np.nan
    return result


def open_pattern(contacts: np.ndarray, first_weekday: int) -> np.ndarray:
    """open[w, s]: interval s of weekday w had contacts on one of w's last RECENT_DAYS days
    with data (holidays masked out beforehand)."""
    days, slots = contacts.shape
    result = np.zeros((7, slots), dtype=bool)
    wd = weekdays(first_weekday, days)
    has_data = ~np.isnan(contacts).all(axis=1)
    for w in range(7):
        rows = np.flatnonzero((wd == w) & has_data)[-RECENT_DAYS:]
        if rows.size:
            result[w] = np.nan_to_num(contacts[rows], nan=0.0).max(axis=0) > 0
    return result


def fill_gaps(
    contacts: np.ndarray, first_weekday: int, pattern: np.ndarray
) -> tuple[np.ndarray, int]:
    """(filled, start): every open interval without data takes the mean of the same weekday
    and interval at the nearest distance of 1 to FILL_WEEKS weeks that has data (both sides
    when both have it). Closed intervals are 0. A gap with no data that near cannot be filled:
    the series then starts after it (`start` is the first usable day)."""
    days, _ = contacts.shape
    filled = np.where(np.isnan(contacts), np.nan, contacts)
    wd = weekdays(first_weekday, days)
    open_rows = pattern[wd]  # [days, slots]
    start = 0
    for d, s in zip(*np.nonzero(open_rows & np.isnan(contacts)), strict=True):
        value = np.nan
        for k in range(1, FILL_WEEKS + 1):
            near = [contacts[i, s] for i in (d - 7 * k, d + 7 * k) if 0 <= i < days]
            near = [v for v in near if not np.isnan(v)]
            if near:
                value = float(np.mean(near))
                break
        if np.isnan(value):
            start = max(start, int(d) + 1)
        filled[d, s] = value
    filled[~open_rows] = 0.0
    return filled, start


def holiday_days(first_day: date, days: int, holidays: set[date]) -> list[int]:
    """Day indices of the holidays within `days` days from first_day."""
    return sorted(
        (h - first_day).days for h in holidays if first_day <= h < first_day + timedelta(days)
    )
