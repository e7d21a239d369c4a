"""Mentoring: whenever a mentee (junior) is on duty, a mentor is on duty too, and at most
`max_juniors_per_mentor` mentees per mentor on duty. Checked on every stretch of time
between two shift boundaries (on the demand grid that is every interval)."""

from __future__ import annotations

from rostering.domain import DAY_MINUTES
from rostering.model.duty import breakpoints, on_duty
from rostering.model.variables import Expr, Variables

NAME = "mentoring"


def add(v: Variables) -> Expr:
    rule = v.problem.model.rules.mentoring
    if rule is None:
        return 0
    mentee = {e for e, emp in enumerate(v.employees) if emp.tier in rule.mentee_tiers}
    mentor = {e for e, emp in enumerate(v.employees) if emp.tier in rule.mentor_tiers}
    bounds = breakpoints(v)
    for i, window in enumerate(on_duty(v, bounds)):
        juniors = [x for e, x in window if e in mentee]
        if not juniors:
            continue
        mentors = [x for e, x in window if e in mentor]
        ratio = rule.max_juniors_per_mentor or len(juniors)
        v.add(sum(juniors) <= ratio * sum(mentors), day=bounds[i] // DAY_MINUTES)
    return 0
