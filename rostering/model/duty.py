"""Who is on duty when: shifts mapped onto time windows of the horizon."""

from __future__ import annotations

from bisect import bisect_left

from rostering.domain import DAY_MINUTES
from rostering.model.variables import Expr, Variables


def shift_spans(v: Variables) -> list[tuple[int, int, int, Expr]]:
    """(employee, start, end, 0/1 expression) for every possible shift, previous.csv's
    as constants; minutes from the horizon start, not clipped."""
    spans: list[tuple[int, int, int, Expr]] = []
    for (e, d, sid), var in v.x.items():
        s = v.shift(sid)
        start = d * DAY_MINUTES + s.start_minute
        spans.append((e, start, start + s.minutes, var))
    for (e, d), sid in v.previous.items():
        s = v.shift(sid)
        start = d * DAY_MINUTES + s.start_minute
        if start + s.minutes > 0:
            spans.append((e, start, start + s.minutes, 1))
    return spans


def breakpoints(v: Variables) -> list[int]:
    """Every shift start and end inside the horizon, plus its two ends."""
    end = v.days * DAY_MINUTES
    points = {0, end}
    for _, start, stop, _ in shift_spans(v):
        points.update(p for p in (start, stop) if 0 < p < end)
    return sorted(points)


def on_duty(v: Variables, bounds: list[int]) -> list[list[tuple[int, Expr]]]:
    """For each window [bounds[i], bounds[i+1]), the (employee, expression) pairs of shifts
    that span the whole window. Bounds must include every breakpoint inside the range
    they cover (true for the demand grid when shifts sit on it, and for breakpoints())."""
    windows: list[list[tuple[int, Expr]]] = [[] for _ in range(len(bounds) - 1)]
    for e, start, stop, expr in shift_spans(v):
        i = bisect_left(bounds, max(start, bounds[0]))
        while i < len(windows) and bounds[i + 1] <= stop:
            windows[i].append((e, expr))
            i += 1
    return windows
