"""Run-length building blocks shared by the consecutive_* families.

A sequence is a function day -> 0/1 expression (a constant outside the horizon).
"""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from rostering.model.variables import Expr

Sequence = Callable[[int], Expr]


def is_constant(expr: Expr) -> bool:
    return isinstance(expr, int)


def max_run(model: cp_model.CpModel, seq: Sequence, days: int, limit: int, look_back: bool) -> None:
    """No run of ones longer than `limit`: every window of limit+1 days holds a zero.
    With `look_back`, windows may start before day 0 (previous.csv's constants)."""
    first = -limit if look_back else 0
    for start in range(first, days - limit):
        window = [seq(d) for d in range(start, start + limit + 1)]
        if all(is_constant(w) for w in window):
            continue
        model.add(sum(window) <= limit)


def min_run(model: cp_model.CpModel, seq: Sequence, days: int, limit: int, look_back: bool) -> None:
    """Every maximal run of ones is at least `limit` long, except runs touching the last day
    and, without `look_back`, runs touching day 0 (the benchmark literature's convention).
    With `look_back`, runs that began before day 0 count their days there too."""
    for length in range(1, limit):
        first = -length if look_back else 1
        for a in range(first, days - length):
            b = a + length - 1  # the run is a..b; a-1 and b+1 are off
            if b < -1:
                continue
            cells = [seq(a - 1)] + [1 - seq(d) for d in range(a, b + 1)] + [seq(b + 1)]
            # forbid: seq(a-1)=0, seq(a..b)=1, seq(b+1)=0  <=>  at least one cell is 1
            if any(is_constant(c) and c >= 1 for c in cells):
                continue
            model.add(sum(cells) >= 1)
