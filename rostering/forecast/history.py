"""Read contact history (`start,contacts` and optionally `tier`, `aht_seconds`) onto a grid.

The history is checked row by row (sorted, no duplicates, no negative counts, every row on
the history's own step) and then summed into intervals of the forecast grid: one matrix of
days x intervals per tier, NaN where the history has no row (a closed hour, a gap).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

from rostering.io.csvfile import Row, read_csv
from rostering.io.errors import InputError, where

DAY_MINUTES = 1440
MIN_HISTORY_DAYS = 14  # two weeks: one week to learn the weekly pattern, one to check it
MAX_ROW_CONTACTS = 1_000_000  # per history row, as per forecast.csv row
MAX_AHT_SECONDS = 86_400
# phone-system exports write "2026-11-30T09:00", "2026-11-30 09:00" or "... 09:00:00"
STAMP = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}):([0-9]{2})(?::00)?\Z")


@dataclass(frozen=True)
class Series:
    """One queue's history: `contacts[d, s]` is the volume of interval s of day d (NaN: no
    row), `aht[d, s]` its contact-weighted handling time in seconds (NaN: unknown)."""

    tier: str | None
    contacts: np.ndarray
    aht: np.ndarray | None = None


@dataclass(frozen=True)
class History:
    """Every queue's history on one grid of `interval` minutes from `first_day` on."""

    path: Path
    first_day: date
    interval: int
    series: tuple[Series, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def days(self) -> int:
        return int(self.series[0].contacts.shape[0])

    @property
    def slots(self) -> int:
        return DAY_MINUTES // self.interval

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    def day(self, index: int) -> date:
        return self.first_day + timedelta(days=index)

    def before(self, day: date) -> History:
        """The history of the days before `day` (a backtest's view at that origin)."""
        keep = max(0, (day - self.first_day).days)
        return replace(
            self,
            series=tuple(
                Series(
                    s.tier,
                    s.contacts[:keep],
                    None if s.aht is None else s.aht[:keep],
                )
                for s in self.series
            ),
        )


@dataclass
class _Parsed:
    line: int
    tier: str | None
    moment: datetime
    contacts: float
    aht: float | None


def parse_stamp(row: Row, column: str = "start") -> datetime:
    value = row.get(column)
    match = STAMP.match(value)
    try:
        if match is None:
            raise ValueError
        day, hour, minute = match.groups()
        return datetime.fromisoformat(f"{day}T{hour}:{minute}")
    except ValueError:
        raise row.fail(
            column, f"{value!r} is not a datetime YYYY-MM-DDTHH:MM (local clock time)"
        ) from None


def read_history(path: Path, interval: int | None = None) -> History:
    """The history CSV summed onto a grid of `interval` minutes (default: its own step)."""
    rows = _parse(path)
    step = _step(path, rows)
    for row in rows:
        minute = row.moment.hour * 60 + row.moment.minute
        if minute % step:
            raise InputError(
                f"{where(path, row.line, 'start')}: {row.moment:%Y-%m-%dT%H:%M} is not on the "
                f"history's {step}-minute step (most rows are {step} minutes apart)"
            )
    if interval is None:
        interval = step
    if DAY_MINUTES % interval:
        raise InputError(f"--interval {interval}: must divide a day of 1,440 minutes")
    if step > interval:
        raise InputError(
            f"{path}: rows are {step} minutes apart, coarser than --interval {interval}; "
            f"forecast at {step} minutes (or a multiple), or export finer history"
        )
    if interval % step:
        raise InputError(
            f"{path}: rows are {step} minutes apart, which does not divide --interval "
            f"{interval}; use an interval that is a multiple of {step}"
        )
    first = min(r.moment.date() for r in rows)
    last = max(r.moment.date() for r in rows)
    span = (last - first).days + 1
    if span < MIN_HISTORY_DAYS:
        raise InputError(
            f"{path}: the history covers {span} days ({first} to {last}); "
            f"at least {MIN_HISTORY_DAYS} days (two weeks) are needed"
        )
    return History(path, first, interval, _bin(rows, first, span, interval))


def _parse(path: Path) -> list[_Parsed]:
    rows: list[_Parsed] = []
    latest: dict[str | None, tuple[datetime, int]] = {}
    has_tier: bool | None = None
    for row in read_csv(path, ("start", "contacts"), ("tier", "aht_seconds")):
        moment = parse_stamp(row)
        tier: str | None = None
        if "tier" in row.cells:
            if has_tier is None:
                has_tier = row.get("tier") != ""
            if has_tier:
                if row.get("tier") == "":
                    raise row.fail("tier", "empty; give every row a tier, or leave the column out")
                tier = row.ident("tier")
            elif row.get("tier") != "":
                raise row.fail("tier", "the first row has no tier; give every row a tier, or none")
        contacts = row.number("contacts", maximum=MAX_ROW_CONTACTS)
        aht = None
        if row.get("aht_seconds") != "":
            aht = row.number("aht_seconds", minimum=1, maximum=MAX_AHT_SECONDS)
        previous = latest.get(tier)
        queue = "" if tier is None else f" of tier {tier}"
        if previous is not None and moment <= previous[0]:
            what = "repeats" if moment == previous[0] else "comes before"
            raise row.fail(
                "start",
                f"{moment:%Y-%m-%dT%H:%M}{queue} {what} line {previous[1]}'s "
                f"{previous[0]:%Y-%m-%dT%H:%M}; history rows must be sorted by start, "
                "one row per start" + (" and tier" if tier is not None else ""),
            )
        latest[tier] = (moment, row.line)
        rows.append(_Parsed(row.line, tier, moment, contacts, aht))
    if not rows:
        raise InputError(f"{path}: no rows; expected start,contacts rows of contact history")
    return rows


def _step(path: Path, rows: list[_Parsed]) -> int:
    """The most common gap in minutes between a queue's consecutive rows on the same day
    (1,440 when no day has two rows): the history's own step."""
    gaps: Counter[int] = Counter()
    previous: dict[str | None, datetime] = {}
    for row in rows:
        before = previous.get(row.tier)
        if before is not None and before.date() == row.moment.date():
            gaps[int((row.moment - before).total_seconds()) // 60] += 1
        previous[row.tier] = row.moment
    if not gaps:
        return DAY_MINUTES
    # the largest of equally common gaps: a stray finer row never sets the step
    count = max(gaps.values())
    return max(g for g, n in gaps.items() if n == count)


def _bin(rows: list[_Parsed], first: date, days: int, interval: int) -> tuple[Series, ...]:
    slots = DAY_MINUTES // interval
    tiers = list(dict.fromkeys(r.tier for r in rows))
    has_aht = any(r.aht is not None for r in rows)
    result = []
    for tier in tiers:
        contacts = np.full((days, slots), np.nan)
        weighted = np.zeros((days, slots))  # sum of contacts x AHT over rows with an AHT
        weight = np.zeros((days, slots))  # sum of contacts over rows with an AHT
        for r in rows:
            if r.tier != tier:
                continue
            d = (r.moment.date() - first).days
            s = (r.moment.hour * 60 + r.moment.minute) // interval
            contacts[d, s] = r.contacts if np.isnan(contacts[d, s]) else contacts[d, s] + r.contacts
            if r.aht is not None:
                weighted[d, s] += r.contacts * r.aht
                weight[d, s] += r.contacts
        aht = None
        if has_aht:
            with np.errstate(invalid="ignore", divide="ignore"):
                aht = np.where(weight > 0, weighted / weight, np.nan)
        result.append(Series(tier, contacts, aht))
    return tuple(result)
