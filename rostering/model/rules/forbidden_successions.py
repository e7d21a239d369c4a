"""`forbidden_successions`: shift s on day d forbids shift t on day d+1 (across previous.csv)."""

from __future__ import annotations

from collections import defaultdict

from rostering.model.variables import Expr, Variables

NAME = "forbidden_successions"


def add(v: Variables) -> Expr:
    after: dict[str, list[str]] = defaultdict(list)  # s -> the shifts that may not follow it
    for s, t in sorted(v.problem.model.rules.forbidden_successions):
        after[s].append(t)
    for e in range(len(v.employees)):
        for s, ts in after.items():
            for d in range(-1, v.days - 1):
                v.forbid_after(e, d, s, 1, ts)
    return 0
