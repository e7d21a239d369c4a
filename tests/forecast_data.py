"""Small synthetic contact histories with a known pattern, for the forecast tests."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

FIRST = date(2026, 1, 5)  # a Monday
OPEN, CLOSE = 7 * 60, 21 * 60  # weekdays 07:00-21:00
WEEKDAY_FACTOR = (1.3, 1.1, 1.0, 1.05, 1.15, 0.0, 0.0)  # Monday busiest, closed weekends


def curve(minute: int) -> float:
    """Contacts per 30 minutes at a weekday of factor 1: a morning and an afternoon hump."""
    hour = minute / 60
    return (
        100
        + 300 * math.exp(-(((hour - 10.5) / 2.0) ** 2))
        + 200 * math.exp(-(((hour - 15.5) / 2.5) ** 2))
    )


def expected(day: date, minute: int, scale: float = 1.0) -> float:
    """The true mean volume of the 30 minutes from `minute` on `day` (0 when closed)."""
    if not OPEN <= minute < CLOSE:
        return 0.0
    return scale * WEEKDAY_FACTOR[day.weekday()] * curve(minute)


def history_rows(
    weeks: int = 6,
    *,
    step: int = 30,
    noise: bool = False,
    seed: int = 1,
    first: date = FIRST,
    days: int | None = None,
    zero_nights: bool = False,
    skip: frozenset[date] = frozenset(),
    scale: dict[date, float] | None = None,
) -> list[tuple[str, float]]:
    """(start, contacts) rows every `step` minutes of open time (closed time has no rows,
    or zero rows with `zero_nights`); `noise` draws Poisson counts around the pattern."""
    rng = np.random.default_rng(seed)
    rows = []
    for d in range(days if days is not None else weeks * 7):
        day = first + timedelta(days=d)
        if day in skip:
            continue
        for minute in range(0, 1440, step):
            mean = expected(day, minute - minute % 30, (scale or {}).get(day, 1.0)) * step / 30
            if mean == 0 and not zero_nights:
                continue
            value = float(rng.poisson(mean)) if noise else round(mean, 3)
            moment = datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)
            rows.append((f"{moment:%Y-%m-%dT%H:%M}", value))
    return rows


def write_history(
    path: Path, rows: list[tuple[str, float]], header: str = "start,contacts"
) -> Path:
    path.write_text(header + "\n" + "".join(f"{s},{c:g}\n" for s, c in rows), encoding="utf-8")
    return path
