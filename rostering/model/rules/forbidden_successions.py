"""`forbidden_successions`: shift s on day d forbids shift t on day d+1 (across previous.csv)."""

from __future__ import annotations

from rostering.model.variables import Expr, Variables

NAME = "forbidden_successions"


def add(v: Variables) -> Expr:
    pairs = v.problem.model.rules.forbidden_successions
    for e in range(len(v.employees)):
        for s, t in sorted(pairs):
            for d in range(-1, v.days - 1):
                second = v.x.get((e, d + 1, t))
                if second is None:
                    continue
                if d >= 0:
                    first = v.x.get((e, d, s))
                    if first is not None:
                        v.add_bool_or([first.Not(), second.Not()], e)
                elif v.previous.get((e, d)) == s:
                    v.add(second == 0, e)
    return 0
