"""A plan of shift counts, and rosters that follow it: a start for large coverage-driven weeks.

Coverage, over-cover and mentoring depend only on how many people of each tier are on duty
when, not on who they are. `plan_counts` solves that small model first: n[d, s, c], the
people of class c (tier and contract) working shift s on day d, under the class sums of the
personal rules (people available per day and shift, weekly and horizon paid minutes, days
per week, shift-type limits), pricing coverage exactly as the full model does.

`follow` then rosters one class at a time (block coordinate descent): the class's people
alone, with their own rules and requests and the whole site's coverage price, the other
classes on duty as planned or as last rostered. solve() searches the full model from the
best legal pass.

Steering the full model with the distance to the plan priced in, or rostering classes to the
plan's counts rather than to coverage, did worse (docs/TUNING.md).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rostering.domain import DAY_MINUTES, Employee, Problem
from rostering.model.breaks import break_spans
from rostering.model.build import build
from rostering.model.duty import (
    Span,
    previous_spans,
    shift_spans,
    span_breakpoints,
    span_of,
    windows,
)
from rostering.model.price import IntervalPrice
from rostering.model.rules.mentoring import mentor_constraint
from rostering.model.rules.minutes_per_week import horizon_bounds
from rostering.model.rules.paid import credits
from rostering.model.rules.weeks import iso_weeks
from rostering.model.variables import Expr, Halted, Variables
from rostering.search.budget import Budget
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import Shifts
from rostering.search.person_passes import subteam

ClassKey = tuple[str, str]  # (tier, contract)
Counts = dict[tuple[int, str, ClassKey], int]  # (day, shift id, class) -> people


@dataclass(frozen=True)
class Plan:
    counts: Counts
    price: int  # its coverage price (the plan's objective)
    optimal: bool
    bound: float  # no plan prices coverage lower (the plan search's proven bound)


def bounds_every_roster(problem: Problem) -> bool:
    """Whether a plan's bound also bounds the price of every legal roster. Each class-level
    constraint of the plan is a sum of hard personal rules, so the counts of any legal roster
    make a plan: its coverage price is at least the plan's bound; the roster's other
    penalties (requests, cost, fairness) add to it when none can be negative."""
    return all(emp.hourly_cost >= 0 for emp in problem.employees) and all(
        r.weight >= 0 for r in problem.requests
    )


def classes(v: Variables) -> dict[ClassKey, list[int]]:
    """Employee indexes by (tier, contract)."""
    result: dict[ClassKey, list[int]] = defaultdict(list)
    for e, emp in enumerate(v.employees):
        result[emp.tier, emp.contract].append(e)
    return dict(result)


def barred_shifts(v: Variables) -> dict[tuple[int, int], set[str | None]]:
    """(employee, day) -> shift ids unavailable that day (None: the whole day, also leave)."""
    index = {emp.id: e for e, emp in enumerate(v.employees)}
    barred: dict[tuple[int, int], set[str | None]] = defaultdict(set)
    for r in v.problem.requests:
        if r.kind in ("unavailable", "leave"):
            barred[index[r.employee_id], r.day].add(r.shift_id)
    return barred


def available_shifts(
    v: Variables, e: int, d: int, barred: dict[tuple[int, int], set[str | None]]
) -> list[str]:
    """Shift ids employee e may work on day d: those with a variable, less unavailability."""
    out = barred.get((e, d), set())
    if None in out:
        return []
    return [sid for sid, _ in v.shifts_on(e, d) if sid not in out]


def _weekly_bounds(v: Variables, e: int, days: list[int]) -> tuple[int | None, int, int | None]:
    """(most paid minutes, least paid minutes, most days) of employee e in one ISO week,
    as the weekly rule families state them; None: no limit."""
    most, least = horizon_bounds(v, e, days)
    return (
        (None if most is None else max(0, most)),
        max(0, least),
        v.employees[e].limits.max_days_per_week,
    )


def _sum_or_none(values: list[int | None]) -> int | None:
    return None if any(x is None for x in values) else sum(x for x in values if x is not None)


@dataclass(frozen=True)
class _Search:
    budget: Budget
    workers: int

    def solver(self, seconds: float) -> cp_model.CpSolver:
        deterministic = seconds if self.budget.deterministic else None
        solver = new_solver(seconds, self.workers, self.budget.seed, deterministic)
        self.budget.attach(solver)
        return solver


def plan_counts(v: Variables, seconds: float, budget: Budget | None = None) -> Plan | None:
    """The shift counts of least coverage price within `seconds`, or None if none was found
    (the class-level sums already contradict each other, or time ran out)."""
    problem = v.problem
    model = cp_model.CpModel()
    groups = classes(v)
    barred = barred_shifts(v)
    n: dict[tuple[int, str, ClassKey], cp_model.IntVar] = {}
    for c, members in groups.items():
        for d in range(v.days):
            able: dict[str, int] = defaultdict(int)
            working = 0
            for e in members:
                shifts = available_shifts(v, e, d, barred)
                working += bool(shifts)
                for sid in shifts:
                    able[sid] += 1
            for sid, most in able.items():
                n[d, sid, c] = model.new_int_var(0, most, f"n[{d},{sid},{c[0]},{c[1]}]")
            model.add(sum(n[d, sid, c] for sid in able) <= working)
        _class_limits(v, model, n, c, members)
    spans = _spans(v, n) + _break_spans(v, model, n, groups)
    end = v.days * DAY_MINUTES
    grid = problem.model.interval_minutes or 60
    rank = {t: i for i, t in enumerate(problem.model.tiers)}
    staffed = [
        [(rank[c[0]], x) for c, x in window]
        for window in windows(spans, list(range(0, problem.priced_minutes + 1, grid)))
    ]
    cost = IntervalPrice(problem)
    penalty = cost.expression(model, staffed, lambda ct, _day: model.add(ct))
    penalty += cost.service_expression(model, staffed)
    rule = problem.model.rules.mentoring
    if rule is not None:
        for window in windows(spans, span_breakpoints(spans, end)):
            pairs = [(c[0], x) for c, x in window]
            most = sum(len(groups.get(c, ())) for c, _ in window if c[0] in rule.mentee_tiers)
            mentor_constraint(rule, pairs, most, model.add)
    model.minimize(penalty)
    budget = budget or Budget.free()
    solver = _Search(budget, budget.workers).solver(max(0.1, seconds))
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    counts = {key: int(solver.value(var)) for key, var in n.items()}
    optimal = status == cp_model.OPTIMAL
    price = round(solver.objective_value)
    return Plan(counts, price, optimal, price if optimal else solver.best_objective_bound)


def _class_limits(
    v: Variables,
    model: cp_model.CpModel,
    n: dict[tuple[int, str, ClassKey], cp_model.IntVar],
    c: ClassKey,
    members: list[int],
) -> None:
    """The sums over a class of its members' weekly, horizon and shift-type limits."""
    own = {(d, sid): var for (d, sid, cc), var in n.items() if cc == c}

    def paid(days: list[int]) -> Expr:
        return sum(v.shift(sid).paid_minutes * var for (d, sid), var in own.items() if d in days)

    for days in iso_weeks(v).values():
        bounds = [_weekly_bounds(v, e, days) for e in members]
        most = _sum_or_none([b[0] for b in bounds])
        if most is not None:
            model.add(paid(days) <= most)
        model.add(paid(days) >= sum(b[1] for b in bounds))
        most_days = _sum_or_none([b[2] for b in bounds])
        if most_days is not None:
            model.add(sum(var for (d, _), var in own.items() if d in days) <= most_days)
    everyone: list[Employee] = [v.employees[e] for e in members]
    horizon = list(range(v.days))
    most_total = _sum_or_none([_most_minutes(v, e) for e in members])
    if most_total is not None:
        model.add(paid(horizon) <= most_total)
    least_total = sum(_least_minutes(v, emp) for emp in everyone)
    if least_total:
        model.add(paid(horizon) >= least_total)
    for sid in {sid for (_, sid) in own}:
        most_shifts = _sum_or_none([emp.limits.max_shifts.get(sid) for emp in everyone])
        if most_shifts is not None:
            model.add(sum(var for (_, s), var in own.items() if s == sid) <= most_shifts)


def _most_minutes(v: Variables, e: int) -> int | None:
    """e's max_minutes less the horizon's leave credit (None: no limit)."""
    most = v.employees[e].limits.max_minutes
    return None if most is None else max(0, most - credits(v.problem, e, range(v.days))[0])


def _least_minutes(v: Variables, emp: Employee) -> int:
    lim = emp.limits
    if not lim.min_minutes:
        return 0
    leave, away = credits(v.problem, v.employees.index(emp), range(v.days))
    return max(0, lim.min_minutes - leave - away)


def _count_spans(
    v: Variables, counts: dict[tuple[int, str, ClassKey], Expr]
) -> list[Span[ClassKey]]:
    """(class, start, end, count) of each (day, shift, class) count."""
    spans: list[Span[ClassKey]] = []
    for (d, sid, c), count in counts.items():
        spans.append((c, *span_of(v, d, sid), count))
    return spans


def _spans(v: Variables, n: dict[tuple[int, str, ClassKey], Expr]) -> list[Span[ClassKey]]:
    """Count spans of the plan, and previous.csv's shifts reaching into the horizon."""
    spans = _count_spans(v, n)
    for e, start, end, one in previous_spans(v):
        emp = v.employees[e]
        spans.append(((emp.tier, emp.contract), start, end, one))
    return spans


def _break_spans(
    v: Variables,
    model: cp_model.CpModel,
    n: dict[tuple[int, str, ClassKey], cp_model.IntVar],
    groups: dict[ClassKey, list[int]],
) -> list[Span[ClassKey]]:
    """((tier, ""), start, end, -count) of the plan's breaks: per day, shift type, tier and
    break, a count per start summing to the tier's people on the shift, as the full model
    counts them (rostering.model.breaks), so the plan's price still bounds every roster."""
    grid = v.problem.model.break_grid
    working: dict[tuple[int, str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (d, sid, c), var in n.items():
        if v.shift(sid).breaks:
            working[d, sid, c[0]].append(var)
    people: dict[str, int] = defaultdict(int)
    for c, members in groups.items():
        people[c[0]] += len(members)
    spans: list[Span[ClassKey]] = []
    for (d, sid, tier), on in working.items():
        start = span_of(v, d, sid)[0]
        for k, b in enumerate(v.shift(sid).breaks):
            starts = []
            for offset in b.offsets(grid):
                count = model.new_int_var(0, people[tier], f"b[{d},{sid},{tier},{k},{offset}]")
                starts.append(count)
                spans.append(((tier, ""), start + offset, start + offset + b.minutes, -count))
            model.add(sum(starts) == sum(on))
    return spans


def usable(v: Variables, min_variables: int) -> bool:
    """Worth planning: interval demand (coverage is what the plan prices) and a large model."""
    return v.problem.interval_demand is not None and len(v.x) >= min_variables


def follow(
    v: Variables,
    plan: Plan,
    passes: list[float],
    budget: Budget | None = None,
    on_pass: Callable[[Shifts], bool] | None = None,
) -> Shifts:
    """Rosters that follow the plan, class by class (block coordinate descent). Each pass
    takes the classes largest first: the class's people alone (their own rules and
    requests) with the coverage price of the whole site, the other classes on duty as the
    plan has them, or as last rostered. Mentoring is left to the search that follows.

    `passes`: the seconds of each pass, shared among classes by size. After each complete
    pass `on_pass(shifts)` may return False to stop. With a deterministic budget the seconds
    are deterministic time. Returns the last complete pass's shifts ({} if none completed)."""
    budget = budget or Budget.free()
    p = budget.params.count_plan
    search = _Search(budget, budget.at_most(p.class_workers))
    deterministic = budget.deterministic
    groups = sorted(classes(v).items(), key=lambda item: -len(item[1]))
    believed = dict(plan.counts)
    done: Shifts = {}
    current: Shifts = {}
    for seconds in passes:
        deadline = time.monotonic() + seconds
        for c, members in groups:
            share = max(p.min_class_seconds, seconds * len(members) / len(v.employees))
            if not deterministic:
                share = max(p.min_class_seconds, min(share, deadline - time.monotonic()))
            try:
                own = _roster_class(v, c, members, believed, current, share, search)
            except Halted:  # the time is up while building the class's model
                return done
            if own is None:
                return done
            for key in [k for k in believed if k[2] == c]:
                believed[key] = 0
            for (e, d, sid), on in own.items():
                current[e, d, sid] = on
                believed[d, sid, c] = believed.get((d, sid, c), 0) + on
        done = dict(current)
        if on_pass is not None and not on_pass(done):
            break
    return done


def _roster_class(
    v: Variables,
    c: ClassKey,
    members: list[int],
    believed: dict[tuple[int, str, ClassKey], int],
    current: Shifts,
    seconds: float,
    search: _Search,
) -> Shifts | None:
    """The shifts of one class, the others held as `believed`; hinted by `current`."""
    problem = v.problem
    rank = {t: i for i, t in enumerate(problem.model.tiers)}
    grid = problem.model.interval_minutes or 60
    built = build(
        subteam(problem, members), halt=lambda: search.budget.left() <= 0 or search.budget.stopped
    )
    own = built.variables
    spans: list[Span[int]] = [
        (rank[own.employees[e].tier], start, end, x) for e, start, end, x in shift_spans(own)
    ]
    spans += [
        (rank[cc[0]], start, end, k) for cc, start, end, k in _count_spans(v, believed) if cc != c
    ]
    spans += [
        (rank[v.employees[e].tier], start, end, one)
        for e, start, end, one in previous_spans(v)
        if (v.employees[e].tier, v.employees[e].contract) != c
    ]
    # the class's own breaks, placed with it; the other classes count on duty all shift, which
    # keeps each class's model as small as without breaks
    spans += [(rank[tier], start, end, x) for tier, start, end, x in break_spans(own)]
    staffed = windows(spans, list(range(0, problem.priced_minutes + 1, grid)))
    cost = IntervalPrice(problem)
    price = cost.expression(built.model, staffed, lambda ct, day: None)
    price += cost.service_expression(built.model, staffed)
    built.model.minimize(built.objective + price)
    for (e, d, sid), var in own.x.items():
        if (members[e], d, sid) in current:
            built.model.add_hint(var, current[members[e], d, sid])
    solver = search.solver(seconds)
    if solver.solve(built.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {(members[e], d, sid): solver.boolean_value(var) for (e, d, sid), var in own.x.items()}
