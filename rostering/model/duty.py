"""Who is on duty when: shifts mapped onto time windows of the horizon."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from rostering.domain import DAY_MINUTES
from rostering.model.variables import Expr, Variables

K = TypeVar("K", bound=Hashable)
# (owner, start, end, 0/1 or integer expression): an employee's shift, or a count of people
Span = tuple[K, int, int, Expr]


def span_of(v: Variables, d: int, shift_id: str) -> tuple[int, int]:
    """(start, end) of shift `shift_id` on day d, in minutes from the horizon start."""
    s = v.shift(shift_id)
    start = d * DAY_MINUTES + s.start_minute
    return start, start + s.minutes


def shift_spans(v: Variables) -> list[tuple[int, int, int, Expr]]:
    """(employee, start, end, 0/1 expression) for every possible shift, previous.csv's
    as constants; minutes from the horizon start, not clipped."""
    spans: list[tuple[int, int, int, Expr]] = []
    for (e, d, sid), var in v.x.items():
        spans.append((e, *span_of(v, d, sid), var))
    return spans + previous_spans(v)


def previous_spans(v: Variables) -> list[tuple[int, int, int, Expr]]:
    """(employee, start, end, 1) for previous.csv's shifts that reach into the horizon."""
    spans: list[tuple[int, int, int, Expr]] = []
    for (e, d), sid in v.previous.items():
        start, end = span_of(v, d, sid)
        if end > 0:
            spans.append((e, start, end, 1))
    return spans


def span_breakpoints(spans: Sequence[Span[Hashable]], end: int) -> list[int]:
    """Every span start and end inside [0, end], plus its two ends."""
    points = {0, end}
    for _, start, stop, _ in spans:
        points.update(p for p in (start, stop) if 0 < p < end)
    return sorted(points)


def breakpoints(v: Variables) -> list[int]:
    """Every shift start and end inside the horizon, plus its two ends."""
    return span_breakpoints(shift_spans(v), v.days * DAY_MINUTES)


def windows(
    spans: Sequence[Span[K]], bounds: list[int], check: Callable[[], None] | None = None
) -> list[list[tuple[K, Expr]]]:
    """For each window [bounds[i], bounds[i+1]), the (owner, expression) pairs of spans that
    cover the whole window. Bounds must include every span start and end inside the range
    they cover (true for the demand grid when shifts sit on it, and for breakpoints()).
    `check()` is called every few thousand spans (it may stop a long build)."""
    result: list[list[tuple[K, Expr]]] = [[] for _ in range(len(bounds) - 1)]
    for n, (owner, start, stop, expr) in enumerate(spans):
        if check is not None and n % 4096 == 0:
            check()
        i = bisect_left(bounds, max(start, bounds[0]))
        while i < len(result) and bounds[i + 1] <= stop:
            result[i].append((owner, expr))
            i += 1
    return result


def on_duty(v: Variables, bounds: list[int]) -> list[list[tuple[int, Expr]]]:
    """For each window [bounds[i], bounds[i+1]), the (employee, expression) pairs of shifts
    that span the whole window (see windows())."""
    return windows(shift_spans(v), bounds, v.check)
