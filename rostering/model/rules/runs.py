"""Run-length building blocks shared by the consecutive_* families.

A sequence is a function day -> 0/1 expression (a constant outside the horizon).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rostering.model.variables import Expr

Sequence = Callable[[int], Expr]
Add = Callable[[Any], object]  # adds one hard constraint


def is_constant(expr: Expr) -> bool:
    return isinstance(expr, int)


def max_run(add: Add, seq: Sequence, days: int, limit: int, look_back: bool) -> None:
    """No run of ones longer than `limit`: every window of limit+1 days holds a zero.
    With `look_back`, windows may start before day 0 (previous.csv's constants)."""
    first = -limit if look_back else 0
    for start in range(first, days - limit):
        window = [seq(d) for d in range(start, start + limit + 1)]
        if all(is_constant(w) for w in window):
            continue
        add(sum(window) <= limit)


def min_run(
    add: Add,
    seq: Sequence,
    days: int,
    limit: int,
    look_back: bool,
    first_known: int = 0,
    absent: frozenset[int] = frozenset(),
) -> None:
    """Every maximal run of ones is at least `limit` long, except runs touching the last day
    and, without `look_back`, runs touching day 0 (the benchmark literature's convention), and
    runs next to an `absent` day (a day of leave cuts the run: the absence, not the plan,
    made it short). With `look_back`, runs that began before day 0
    count their days there too.

    Encoding: a run starting on day d (seq(d) = 1, seq(d-1) = 0) forces ones on d..d+limit-1
    (cut at the last day and at the first absent day, which exempts runs touching them; none
    for a run starting after an absent day); runs that began before day 0 are constants, so
    their remaining days are forced directly."""
    if limit <= 1:
        return

    def until(start: int, stop: int) -> int:
        """`stop`, or the first absent day from `start` on if sooner."""
        return min([stop, *(a for a in absent if start <= a < stop)])

    first = 0 if look_back else 1
    for d in range(first, days):
        now, before = seq(d), seq(d - 1)
        if is_constant(now) and now == 0:
            continue
        if is_constant(before) and before >= 1:
            continue
        if d - 1 in absent:
            continue  # the run starts after an absence
        follow = [seq(k) for k in range(d + 1, until(d + 1, min(d + limit, days)))]
        if not follow:
            continue
        if is_constant(before):  # before == 0: the run starts exactly when `now` is 1
            for f in follow:
                if not is_constant(f) or f == 0:
                    add(f >= now)
            continue
        for f in follow:
            add(f >= now - before)
    if look_back:
        # a run that began before day 0 and is still running on day -1; one reaching back
        # past previous.csv's first day (`first_known`) has no known start: it is exempt
        length = 0
        while length < limit and seq(-1 - length) == 1:
            length += 1
            if -1 - length < first_known and seq(-1 - length) == 1:
                length = limit  # constant ones before previous.csv: an unbounded run
        if 0 < length < limit and -1 - length not in absent:
            for k in range(0, until(0, min(limit - length, days))):
                add(seq(k) >= 1)
