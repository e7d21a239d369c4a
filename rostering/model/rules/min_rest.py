"""At least `min_rest_minutes` from the end of one shift to the start of the next,
for shifts on any two different days (a shift crossing midnight included; overlapping
shifts on consecutive days are forbidden the same way). Holds across previous.csv."""

from __future__ import annotations

from collections import defaultdict

from rostering.domain import DAY_MINUTES
from rostering.model.variables import Expr, Variables

NAME = "min_rest"


def conflicts(v: Variables) -> list[tuple[str, str, int]]:
    """(first shift, second shift, day gap >= 1) whose rest is below the minimum."""
    rest = v.problem.model.rules.min_rest_minutes
    shifts = v.problem.model.shifts
    result = []
    for s in shifts:
        for t in shifts:
            gap = 1
            longest = v.days - v.first_previous_day  # no two days of the plan lie further apart
            while gap <= longest and gap * DAY_MINUTES + t.start_minute - s.end_minute < rest:
                result.append((s.id, t.id, gap))
                gap += 1
    return result


def add(v: Variables) -> Expr:
    after: dict[tuple[str, int], list[str]] = defaultdict(list)  # (s, gap) -> too-early shifts
    for s, t, gap in conflicts(v):
        after[s, gap].append(t)
    for e in range(len(v.employees)):
        for (s, gap), ts in after.items():
            for d in range(-gap, v.days - gap):
                v.forbid_after(e, d, s, gap, ts)
    return 0
