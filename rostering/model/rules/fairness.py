"""Fairness within each group of the policy (contract and tier by default; groups of two or
more people).

Hard: `[fairness]`'s limits on the spread (max - min) of nights, weekends, paid hours with
absence credit and refused requests in this period: every member lies between one free
bound `low` and `low + limit`, which holds exactly when max - min <= limit.

Soft: the `fairness_*` weights price the spread of nights, weekends and paid minutes (whole
hours), each including the history carried from earlier periods."""

from __future__ import annotations

from collections import defaultdict

from rostering.domain import FAIRNESS_LIMITS, FairnessPolicy
from rostering.model.rules.paid import credits, paid_minutes
from rostering.model.rules.weeks import weekends
from rostering.model.variables import Expr, Variables

NAME = "fairness"


def groups_of(v: Variables) -> dict[str, list[int]]:
    """Employee indexes by the policy's group name, groups of two or more only."""
    policy = v.problem.model.fairness
    groups: dict[str, list[int]] = defaultdict(list)
    for e, emp in enumerate(v.employees):
        groups[policy.group_of(emp)].append(e)
    return {name: members for name, members in groups.items() if len(members) >= 2}


def _spread(v: Variables, values: list[Expr], upper: int, label: str) -> Expr:
    high = v.model.new_int_var(0, upper, f"fairness.{label}.max")
    low = v.model.new_int_var(0, upper, f"fairness.{label}.min")
    for value in values:  # bounds, tight at the optimum (solve() polishes the last roster)
        v.model.add(high >= value)
        v.model.add(low <= value)
    return high - low


def weekend_flags(v: Variables, e: int) -> list[Expr]:
    flags: list[Expr] = []
    for saturday, days in weekends(v):
        values = [v.works(e, d) for d in days]
        if any(isinstance(w, int) and w >= 1 for w in values):
            flags.append(1)
            continue
        if all(isinstance(w, int) for w in values):
            flags.append(0)
            continue
        flag = v.model.new_bool_var(f"fairness.weekend[{v.employees[e].id},{saturday}]")
        v.model.add_max_equality(flag, values)
        flags.append(flag)
    return flags


def refused_requests(v: Variables, e: int) -> Expr:
    """The weights of e's on/off requests not granted."""
    eid = v.employees[e].id
    total: Expr = 0
    for r in v.problem.requests:
        if r.employee_id != eid or r.kind not in ("on", "off") or not r.weight:
            continue
        worked = sum(var for sid, var in v.shifts_on(e, r.day) if r.shift_id in (None, sid))
        total += r.weight * (1 - worked if r.kind == "on" else worked)
    return total


def absence_credit(v: Variables, e: int) -> int:
    """e's credit for the horizon's whole days of leave and unavailability: an absent day
    counts absence_credit_minutes, so being away is not unfairness in the minutes figures."""
    return sum(credits(v.problem, e, range(v.days)))


def limited_figures(v: Variables, e: int, flags: list[Expr]) -> dict[str, tuple[Expr, int]]:
    """The figures of person e that the policy limits, each with the most it can be: nights,
    weekends (`flags`: e's weekend flags), paid minutes with absence credit, refused requests.
    Keys as domain.FAIRNESS_LIMITS' figures."""
    policy = v.problem.model.fairness
    figures: dict[str, tuple[Expr, int]] = {}
    if policy.max_nights_spread is not None:
        nights = {s.id for s in v.problem.model.shifts if s.night}
        figures["nights"] = (sum(v.works_shifts(e, d, nights) for d in range(v.days)), v.days)
    if policy.max_weekends_spread is not None:
        figures["weekends"] = (sum(flags), v.days // 7 + 2)
    if policy.max_hours_spread is not None:
        credit = absence_credit(v, e)
        longest = max((s.paid_minutes for s in v.problem.model.shifts), default=0)
        paid = paid_minutes(v, e, list(range(v.days)))
        figures["hours"] = (paid + credit, v.days * longest + credit)
    if policy.max_refused_requests_spread is not None:
        own = sum(r.weight for r in v.problem.requests if r.employee_id == v.employees[e].id)
        figures["refused_requests"] = (refused_requests(v, e), own)
    return figures


def limits(policy: FairnessPolicy) -> dict[str, int]:
    """Each limited figure's largest spread, in the figure's own unit (hours in minutes)."""
    return {
        figure: getattr(policy, key) * (60 if figure == "hours" else 1)
        for key, figure in FAIRNESS_LIMITS.items()
        if getattr(policy, key) is not None
    }


def _hard_limits(v: Variables, groups: dict[str, list[int]], flags: dict[int, list[Expr]]) -> None:
    limit = limits(v.problem.model.fairness)
    for name, members in groups.items():
        figures = [limited_figures(v, e, flags.get(e, [])) for e in members]
        for figure, most in limit.items():
            upper = max(f[figure][1] for f in figures)
            low = v.model.new_int_var(0, upper, f"fairness.{name}.{figure}.low")
            for e, own in zip(members, figures, strict=True):
                value = own[figure][0]
                v.add(value >= low, e)
                v.add(value <= low + most, e)


def add(v: Variables) -> Expr:
    groups = groups_of(v)
    policy = v.problem.model.fairness
    w = v.problem.model.weights
    flags: dict[int, list[Expr]] = {}
    if w.fairness_weekends or policy.max_weekends_spread is not None:
        flags = {e: weekend_flags(v, e) for members in groups.values() for e in members}
    if policy.has_limits:
        _hard_limits(v, groups, flags)
    if not (w.fairness_nights or w.fairness_weekends or w.fairness_minutes):
        return 0
    carried: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for h in v.problem.history:
        carried[h.employee_id]["nights"] += h.nights
        carried[h.employee_id]["weekends"] += h.weekends
        carried[h.employee_id]["minutes"] += h.minutes
    nights = {s.id for s in v.problem.model.shifts if s.night}
    longest = max((s.paid_minutes for s in v.problem.model.shifts), default=0)
    penalty: Expr = 0
    for name, members in groups.items():
        past = [carried[v.employees[e].id] for e in members]
        if w.fairness_nights:
            values = [
                sum(v.works_shifts(e, d, nights) for d in range(v.days)) + p["nights"]
                for e, p in zip(members, past, strict=True)
            ]
            top = v.days + max(p["nights"] for p in past)
            penalty += w.fairness_nights * _spread(v, values, top, f"{name}.nights")
        if w.fairness_weekends:
            values = [sum(flags[e]) + p["weekends"] for e, p in zip(members, past, strict=True)]
            top = v.days // 7 + 2 + max(p["weekends"] for p in past)
            penalty += w.fairness_weekends * _spread(v, values, top, f"{name}.weekends")
        if w.fairness_minutes:
            values = [
                paid_minutes(v, e, list(range(v.days))) + absence_credit(v, e) + p["minutes"]
                for e, p in zip(members, past, strict=True)
            ]
            top = v.days * longest + max(p["minutes"] for p in past)
            top += max(absence_credit(v, e) for e in members)
            spread = _spread(v, values, top, f"{name}.minutes")
            hours = v.model.new_int_var(0, top // 60 + 1, f"fairness.{name}.hours")
            v.model.add(60 * hours >= spread - 59)  # hours >= spread // 60
            penalty += w.fairness_minutes * hours
    return penalty
