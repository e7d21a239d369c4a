"""A forecast from history: per queue (tier), the chosen method on the open intervals,
holidays treated as stated below, AHT when the history has it.

Holidays (from `--holidays FILE` and/or `--country CC`):

* in the history, a holiday is not learnt: its day is treated as missing (the models fill
  it from the same weekday in the weeks around it; the baselines skip it) and it does not
  count towards the opening hours;
* in the horizon, a holiday on an open weekday is forecast as a normal day times a ratio:
  `--holiday-factor F` when given (0 = closed: no rows); otherwise the ratio learnt from
  the history's holidays on open weekdays: their volume over the mean of the same weekday
  in up to four weeks around them (a holiday without rows counts as closed, ratio 0); the
  mean ratio of the same holiday (same name) when the history has it, else the median over
  all. With no holiday in the history to learn from, the day is not forecast (closed) and a
  warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from rostering.forecast.calendar import Holidays
from rostering.forecast.history import History, Series
from rostering.forecast.methods import REGISTRY, Prediction, predict
from rostering.forecast.pattern import mask_days, open_pattern, weekdays
from rostering.io.errors import InputError
from rostering.io.safe import csv_text, write_atomic

MAX_CONTACTS = 1_000_000  # per forecast.csv row, as its reader accepts
FAR_AHEAD_DAYS = 28  # a forecast starting this long after the history gets a warning
HOLIDAY_WEEKS = 4  # a history holiday is compared with the same weekday up to 4 weeks away
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class QueueForecast:
    """One queue's forecast: [days, intervals] arrays, NaN where not forecast."""

    tier: str | None
    prediction: Prediction
    aht: np.ndarray | None


@dataclass
class Forecast:
    start: date
    days: int
    interval: int
    queues: list[QueueForecast]
    notes: list[str] = field(default_factory=list)  # holiday treatment, fallbacks
    warnings: list[str] = field(default_factory=list)

    @property
    def methods(self) -> list[str]:
        return sorted({q.prediction.method for q in self.queues})

    def rows(self) -> list[tuple[datetime, str | None, float, int | None, float, float]]:
        """(start, tier, contacts, aht_seconds, contacts_low, contacts_high), in time order,
        then in the history's tier order."""
        origin = datetime.combine(self.start, datetime.min.time())
        out = []
        for d in range(self.days):
            for s in range(1440 // self.interval):
                moment = origin + timedelta(days=d, minutes=s * self.interval)
                for q in self.queues:
                    p = q.prediction
                    if np.isnan(p.mean[d, s]):
                        continue
                    aht = None if q.aht is None or np.isnan(q.aht[d, s]) else int(q.aht[d, s])
                    out.append((moment, q.tier, float(p.mean[d, s]), aht,
                                float(p.low[d, s]), float(p.high[d, s])))  # fmt: skip
        return out


def make_forecast(
    history: History,
    start: date,
    days: int,
    method: str = "mstl",
    level: float = 0.8,
    holidays: Holidays | None = None,
    holiday_factor: float | None = None,
) -> Forecast:
    """Forecast `days` days from `start` (after the history's last day)."""
    if method not in REGISTRY:
        raise InputError(f"--method {method!r}: accepted: {', '.join(REGISTRY)}")
    holidays = holidays or {}
    last = history.last_day
    if start <= last:
        raise InputError(
            f"--start {start}: on or before the history's last day {last}; "
            "a forecast starts after the history"
        )
    offset = (start - last).days - 1
    result = Forecast(start, days, history.interval, [])
    if offset >= FAR_AHEAD_DAYS:
        result.warnings.append(
            f"--start {start} is {offset} days after the history's last day {last}: "
            "the further ahead, the less the recent level tells"
        )
    first_weekday = history.first_day.weekday()
    dates = set(holidays)
    factors = _holiday_factors(history, start, days, holidays, holiday_factor, result)
    for series in history.series:
        masked = mask_days(series.contacts, history.first_day, dates)
        pattern = open_pattern(masked, first_weekday)
        p = predict(method, masked, first_weekday, pattern, offset, days, level)
        if p.method != method:
            result.notes.append(
                f"{_queue(series)}too little usable history for {method}; used {p.method}"
            )
        for d, factor in factors.items():
            for array in (p.mean, p.low, p.high):
                array[d] = np.nan if factor == 0 else array[d] * factor
        aht = None
        if series.aht is not None:
            aht = _aht(series, masked, first_weekday, offset, days)
        result.queues.append(QueueForecast(series.tier, p, aht))
    for moment, tier, contacts, _, _, high in result.rows():
        if max(contacts, high) > MAX_CONTACTS:
            queue = f" tier {tier}" if tier else ""
            raise InputError(
                f"{history.path}: the forecast for {moment:%Y-%m-%dT%H:%M}{queue} exceeds "
                f"{MAX_CONTACTS:,} contacts, forecast.csv's limit per row; use a finer --interval"
            )
    if not result.rows():
        result.warnings.append(
            f"no open interval from {start} for {days} days: the history never had contacts "
            "on these weekdays (or they are holidays); the forecast has no rows"
        )
    return result


def _queue(series: Series) -> str:
    return f"tier {series.tier}: " if series.tier is not None else ""


def _total(history: History) -> np.ndarray:
    """Contacts of all queues together; NaN where no queue has a row."""
    stack = np.stack([s.contacts for s in history.series])
    total = np.nansum(stack, axis=0)
    total[np.isnan(stack).all(axis=0)] = np.nan
    return total


def _holiday_factors(
    history: History,
    start: date,
    days: int,
    holidays: Holidays,
    given: float | None,
    result: Forecast,
) -> dict[int, float]:
    """Horizon day index -> ratio of a normal day, for holidays on open weekdays."""
    total = _total(history)
    first_weekday = history.first_day.weekday()
    pattern = open_pattern(mask_days(total, history.first_day, set(holidays)), first_weekday)
    factors: dict[int, float] = {}
    learnt: list[tuple[str, float]] | None = None
    for d in range(days):
        day = start + timedelta(days=d)
        if day not in holidays or not pattern[day.weekday()].any():
            continue
        name = holidays[day]
        label = f"{day} ({name})" if name else f"{day}"
        if given is not None:
            factors[d] = given
            result.notes.append(f"holiday {label}: {_treatment(given)} (--holiday-factor)")
            continue
        if learnt is None:
            learnt = _learn_holidays(history, total, pattern, holidays)
        same = [r for n, r in learnt if name and n == name]
        if same:
            factors[d] = float(np.mean(same))
            basis = f"as {name} in the history ({len(same)}x)"
        elif learnt:
            factors[d] = float(np.median([r for _, r in learnt]))
            basis = f"the median over the history's {len(learnt)} holidays on open weekdays"
        else:
            factors[d] = 0.0
            result.warnings.append(
                f"holiday {label}: no holiday on an open weekday in the history to learn "
                "from; not forecast (closed); --holiday-factor 1 forecasts it as a normal day"
            )
            continue
        result.notes.append(f"holiday {label}: {_treatment(factors[d])}, {basis}")
    return factors


def _treatment(factor: float) -> str:
    if factor == 0:
        return "not forecast (closed)"
    return f"forecast at {factor:.2f} x a normal day"


def _learn_holidays(
    history: History, total: np.ndarray, pattern: np.ndarray, holidays: Holidays
) -> list[tuple[str, float]]:
    """(name, volume / the same weekday's mean volume around it) per history holiday on an
    open weekday; a holiday without rows has volume 0 (closed)."""
    masked = mask_days(total, history.first_day, set(holidays))
    first_weekday = history.first_day.weekday()
    wd = weekdays(first_weekday, history.days)
    out = []
    for day, name in sorted(holidays.items()):
        d = (day - history.first_day).days
        if not 0 <= d < history.days or not pattern[wd[d]].any():
            continue
        mask = pattern[wd[d]]
        near = []
        for k in range(1, HOLIDAY_WEEKS + 1):
            for i in (d - 7 * k, d + 7 * k):
                if 0 <= i < history.days and not np.isnan(masked[i]).all():
                    near.append(float(np.nansum(masked[i, mask])))
        expected = float(np.mean(near)) if near else 0.0
        if expected > 0:
            out.append((name, float(np.nansum(total[d, mask])) / expected))
    return out


def _aht(
    series: Series, masked: np.ndarray, first_weekday: int, offset: int, days: int
) -> np.ndarray:
    """Contact-weighted AHT of the same weekday and interval over its last four days with
    data; an interval without AHT there takes those days' whole-day figure, and a day
    without any the last four weeks'."""
    assert series.aht is not None
    n, slots = masked.shape
    weight = np.where(np.isnan(series.aht) | np.isnan(masked), 0.0, np.nan_to_num(masked))
    weighted = weight * np.nan_to_num(series.aht)
    recent = slice(max(0, n - 28), n)
    overall = _ratio(weighted[recent].sum(), weight[recent].sum(), default=np.nan)
    wd = weekdays(first_weekday, n)
    has = weight.sum(axis=1) > 0
    out = np.full((days, slots), np.nan)
    for i in range(days):
        weekday = (first_weekday + n + offset + i) % 7
        rows = np.flatnonzero((wd == weekday) & has)[-4:]
        day = _ratio(weighted[rows].sum(), weight[rows].sum(), default=overall)
        w, x = weight[rows].sum(axis=0), weighted[rows].sum(axis=0)
        out[i] = np.where(w > 0, np.divide(x, w, out=np.zeros(slots), where=w > 0), day)
    if np.isnan(out).all():
        return out  # no AHT anywhere in the last weeks: the site model's AHT applies
    return np.clip(np.rint(np.nan_to_num(out, nan=float(np.nanmean(out)))), 1, 86_400)


def _ratio(numerator: float, denominator: float, default: float) -> float:
    return float(numerator / denominator) if denominator > 0 else default


def write_forecast(path: Path, forecast: Forecast) -> int:
    """Write forecast.csv (start, tier when the history has tiers, contacts, aht_seconds when
    it has AHT, contacts_low, contacts_high); returns the number of rows."""
    has_tier = any(q.tier is not None for q in forecast.queues)
    has_aht = any(q.aht is not None and not np.isnan(q.aht).all() for q in forecast.queues)
    columns = ["start", *(["tier"] if has_tier else []), "contacts",
               *(["aht_seconds"] if has_aht else []), "contacts_low", "contacts_high"]  # fmt: skip
    rows = []
    for moment, tier, contacts, aht, low, high in forecast.rows():
        row: list[object] = [f"{moment:%Y-%m-%dT%H:%M}"]
        if has_tier:
            row.append(tier)
        row.append(f"{contacts:.1f}")
        if has_aht:
            row.append("" if aht is None else aht)
        row += [f"{low:.1f}", f"{high:.1f}"]
        rows.append(row)
    write_atomic(path, csv_text(columns, rows))
    return len(rows)
