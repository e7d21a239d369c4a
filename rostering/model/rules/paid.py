"""Paid minutes worked by a person over a set of days, and absence credits."""

from __future__ import annotations

from collections.abc import Iterable

from rostering.domain import Problem
from rostering.model.variables import Expr, Variables


def paid_minutes(v: Variables, e: int, days: list[int]) -> Expr:
    """Paid minutes of employee e on `days` (horizon days as variables, earlier ones from
    previous.csv as constants)."""
    total: Expr = 0
    for d in days:
        if 0 <= d < v.days:
            total += sum(v.shift(sid).paid_minutes * var for sid, var in v.shifts_on(e, d))
        elif (e, d) in v.previous:
            total += v.shift(v.previous[e, d]).paid_minutes
    return total


def unavailable_days(problem: Problem, employee_id: str) -> set[int]:
    """Horizon days on which the person is unavailable for the whole day."""
    return {
        r.day
        for r in problem.requests
        if r.employee_id == employee_id and r.kind == "unavailable" and r.shift_id is None
    }


def absent_days(problem: Problem, employee_id: str, kind: str) -> set[int]:
    """Whole days of `kind` (unavailable or leave) of the person: horizon days and the
    previous.csv days of the first week (negative)."""
    rows = (*problem.previous_absences, *problem.requests)
    return {
        r.day
        for r in rows
        if r.employee_id == employee_id and r.kind == kind and r.shift_id is None
    }


def credits(problem: Problem, e: int, days: Iterable[int]) -> tuple[int, int]:
    """(leave credit, unavailable credit) of employee index e on `days`: a leave day counts
    absence_credit_minutes toward every minute limit, an unavailable day lowers minimums by
    it."""
    emp = problem.employees[e]
    credit = emp.limits.absence_credit_minutes
    wanted = set(days)
    leave = len(absent_days(problem, emp.id, "leave") & wanted)
    away = len(absent_days(problem, emp.id, "unavailable") & wanted)
    return credit * leave, credit * away
