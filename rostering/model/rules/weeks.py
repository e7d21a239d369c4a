"""Calendar helpers shared by the weekly and weekend families."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from rostering.model.variables import Variables


def iso_weeks(v: Variables) -> dict[tuple[int, int], list[int]]:
    """ISO week (year, week) -> horizon days in it, in order."""
    weeks: dict[tuple[int, int], list[int]] = defaultdict(list)
    for d in range(v.days):
        iso = v.date_of(d).isocalendar()
        weeks[iso[0], iso[1]].append(d)
    return dict(weeks)


def previous_days_in_week(v: Variables, first_day: int) -> list[int]:
    """Days before day 0 in the same ISO week as horizon day `first_day`."""
    weekday = v.date_of(first_day).weekday()
    return [d for d in range(first_day - weekday, 0)] if first_day == 0 else []


def weekends(v: Variables) -> list[tuple[date, list[int]]]:
    """Each weekend touching the horizon: (its Saturday, its days as indexes, possibly < 0
    or >= days; callers read them through works(), which knows previous.csv)."""
    result = []
    seen: set[date] = set()
    for d in range(v.days):
        day = v.date_of(d)
        if day.weekday() < 5:
            continue
        saturday = day - timedelta(days=day.weekday() - 5)
        if saturday in seen:
            continue
        seen.add(saturday)
        sat = (saturday - v.problem.start).days
        result.append((saturday, [sat, sat + 1]))
    return result


def scaled_minimum(limit: int, days_in_week: int) -> int:
    """A weekly minimum over a partial week: limit x days / 7, rounded down."""
    return limit * days_in_week // 7
