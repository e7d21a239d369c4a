"""Mentoring: whenever a mentee (junior) is on duty, a mentor is on duty too, and at most
`max_juniors_per_mentor` mentees per mentor on duty. Checked on every stretch of time
between two shift or break boundaries (on the demand grid that is every interval); people on a
break are counted off duty by tier (rostering.model.breaks)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from rostering.domain import DAY_MINUTES, Mentoring
from rostering.model.breaks import break_points, break_spans
from rostering.model.duty import breakpoints, on_duty, windows
from rostering.model.variables import Expr, Variables

NAME = "mentoring"


def add(v: Variables) -> Expr:
    rule = v.problem.model.rules.mentoring
    if rule is None:
        return 0
    bounds = sorted(set(breakpoints(v)) | break_points(v))
    off = windows(break_spans(v), bounds)  # a mentor (or junior) on a break is not on duty
    for i, window in enumerate(on_duty(v, bounds)):
        v.check()
        tiers = [(v.employees[e].tier, x) for e, x in window] + off[i]
        most = sum(1 for tier, _ in tiers if tier in rule.mentee_tiers)
        mentor_constraint(rule, tiers, most, partial(v.add, day=bounds[i] // DAY_MINUTES))
    return 0


def mentor_constraint(
    rule: Mentoring, window: list[tuple[str, Expr]], most: int, add: Callable[[Expr], object]
) -> None:
    """The mentoring constraint of one stretch of time, given the (tier, expression) pairs of
    who is on duty: 0/1 per person, or a count of people of that tier. `most`: an upper bound
    on the mentees on duty (the ratio when the rule sets none)."""
    juniors = [x for tier, x in window if tier in rule.mentee_tiers]
    if not juniors:
        return
    mentors = [x for tier, x in window if tier in rule.mentor_tiers]
    ratio = rule.max_juniors_per_mentor or most
    add(sum(juniors) <= ratio * sum(mentors))
