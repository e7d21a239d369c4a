"""Rolling-origin backtest: forecast each of the last K windows of the history from the
days before it, and score the forecast against what happened.

Origins are `days` apart and the last window ends on the history's last day. Only
intervals with an actual row are scored (a gap or a closed holiday has nothing to compare
with); an interval with an actual but no forecast (forecast as closed) counts as a forecast
of 0. Figures, over all scored intervals of all origins and queues:

* WAPE per interval: sum |forecast - actual| / sum actual;
* WAPE per day: the same on each day's totals (per queue);
* bias: sum (forecast - actual) / sum actual (the same per interval and per day);
* coverage: the share of intervals whose actual lies within the prediction interval;
* seconds: the mean wall time of one forecast (all queues of one window).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from rostering.forecast.calendar import Holidays
from rostering.forecast.history import MIN_HISTORY_DAYS, History
from rostering.forecast.make import make_forecast
from rostering.io.errors import InputError
from rostering.io.safe import csv_text, write_atomic

SCORE_COLUMNS = (
    "method", "origin", "days", "intervals", "actual", "wape_interval", "wape_daily", "bias",
    "coverage", "seconds",
)  # fmt: skip


@dataclass
class Score:
    """Sums over the scored intervals of one method at one origin (or all origins)."""

    method: str
    origin: date | None  # None: all origins together
    days: int = 0  # days with at least one scored interval
    intervals: int = 0
    actual: float = 0.0
    abs_interval: float = 0.0
    abs_daily: float = 0.0
    signed: float = 0.0
    covered: int = 0
    seconds: float = 0.0
    forecasts: int = 0

    def add(self, other: Score) -> None:
        for name in ("days", "intervals", "actual", "abs_interval", "abs_daily", "signed",
                     "covered", "seconds", "forecasts"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def _share(self, value: float) -> float:
        return value / self.actual if self.actual > 0 else float("nan")

    @property
    def wape_interval(self) -> float:
        return self._share(self.abs_interval)

    @property
    def wape_daily(self) -> float:
        return self._share(self.abs_daily)

    @property
    def bias(self) -> float:
        return self._share(self.signed)

    @property
    def coverage(self) -> float:
        return self.covered / self.intervals if self.intervals else float("nan")

    @property
    def mean_seconds(self) -> float:
        return self.seconds / self.forecasts if self.forecasts else float("nan")


@dataclass(frozen=True)
class Backtest:
    history: History
    days: int
    origins: list[date]
    level: float
    per_origin: list[Score]
    overall: list[Score]


def origin_dates(history: History, days: int, origins: int) -> list[date]:
    """The K origins, oldest first: the last window ends on the history's last day."""
    end = history.last_day + timedelta(days=1)
    dates = [end - timedelta(days=days * k) for k in range(origins, 0, -1)]
    earliest = dates[0]
    usable = (earliest - history.first_day).days
    if usable < MIN_HISTORY_DAYS:
        most = max(0, ((end - history.first_day).days - MIN_HISTORY_DAYS) // days)
        raise InputError(
            f"--origins {origins}: the earliest origin {earliest} leaves {usable} days of "
            f"history before it, under {MIN_HISTORY_DAYS}; this history allows at most {most} "
            f"origins of {days} days"
        )
    return dates


def run_backtest(
    history: History,
    days: int,
    origins: int,
    methods: Sequence[str],
    level: float = 0.8,
    holidays: Holidays | None = None,
    holiday_factor: float | None = None,
    on_origin: Callable[[date, Score], None] | None = None,
) -> Backtest:
    dates = origin_dates(history, days, origins)
    per_origin: list[Score] = []
    overall = {m: Score(m, None) for m in methods}
    for origin in dates:
        train = history.before(origin)
        for method in methods:
            started = time.perf_counter()
            forecast = make_forecast(train, origin, days, method, level, holidays, holiday_factor)
            seconds = time.perf_counter() - started
            score = Score(method, origin, seconds=seconds, forecasts=1)
            first = (origin - history.first_day).days
            for queue, series in zip(forecast.queues, history.series, strict=True):
                actual = series.contacts[first : first + days]
                _score(score, queue.prediction.mean, queue.prediction.low,
                       queue.prediction.high, actual)  # fmt: skip
            per_origin.append(score)
            overall[method].add(score)
            if on_origin is not None:
                on_origin(origin, score)
    return Backtest(history, days, dates, level, per_origin, list(overall.values()))


def _score(
    score: Score, mean: np.ndarray, low: np.ndarray, high: np.ndarray, actual: np.ndarray
) -> None:
    rows = actual.shape[0]  # the last window may end early only if the history does
    seen = ~np.isnan(actual)
    f = np.where(np.isnan(mean[:rows]), 0.0, mean[:rows])
    lo = np.where(np.isnan(low[:rows]), 0.0, low[:rows])
    hi = np.where(np.isnan(high[:rows]), 0.0, high[:rows])
    a = np.where(seen, actual, 0.0)
    f = np.where(seen, f, 0.0)
    score.intervals += int(seen.sum())
    score.days += int(seen.any(axis=1).sum())
    score.actual += float(a.sum())
    score.abs_interval += float(np.abs(f - a).sum())
    score.abs_daily += float(np.abs(f.sum(axis=1) - a.sum(axis=1)).sum())
    score.signed += float((f - a).sum())
    score.covered += int((seen & (lo <= a) & (a <= hi)).sum())


def percent(value: float) -> str:
    return "n/a" if value != value else f"{value * 100:.2f} %"


def table(result: Backtest) -> str:
    """The overall figures, one line per method."""
    level = round(result.level * 100)
    head = ("method", "WAPE interval", "WAPE day", "bias", f"{level} % interval covers",
            "s/forecast")  # fmt: skip
    lines = [f"{head[0]:<14}{head[1]:>15}{head[2]:>11}{head[3]:>10}{head[4]:>24}{head[5]:>12}"]
    for s in result.overall:
        lines.append(
            f"{s.method:<14}{percent(s.wape_interval):>15}{percent(s.wape_daily):>11}"
            f"{percent(s.bias):>10}{percent(s.coverage):>24}{s.mean_seconds:>12.2f}"
        )
    return "\n".join(lines)


def heading(result: Backtest) -> str:
    s = result.overall[0]
    first, last = result.origins[0], result.origins[-1] + timedelta(days=result.days - 1)
    return (
        f"backtest of {result.history.path}: {len(result.origins)} origins, {result.days} days "
        f"ahead each ({first} to {last}), {result.history.interval}-minute intervals; scored "
        f"{s.intervals:,} intervals on {s.days:,} queue-days with {s.actual:,.0f} contacts"
    )


def write_scores(path: Path, result: Backtest) -> None:
    """Every origin's figures and the overall ones ("all"), shares as fractions; numbers are
    written as numbers (a text cell would get csv_text's formula guard before a minus)."""
    rows = []
    for s in [*result.per_origin, *result.overall]:
        rows.append((s.method, s.origin.isoformat() if s.origin else "all", s.days, s.intervals,
                     round(s.actual, 1), round(s.wape_interval, 6), round(s.wape_daily, 6),
                     round(s.bias, 6), round(s.coverage, 6), round(s.mean_seconds, 3)))  # fmt: skip
    write_atomic(path, csv_text(SCORE_COLUMNS, rows))
