"""Windows of whole weeks searched as problems of their own: the horizon cut at Mondays, a
window's weeks freed and solved as a short horizon of their own, with the roster's days
before it as its previous.csv, a `margin` of the roster's days after it fixed (so runs,
rest and successions across its end are judged), and each person's limits over the horizon
less what the roster works outside it. The sub-problem's price differs from the full
problem's by a constant (everything outside is fixed and every soft penalty is per day),
so a better window is a better roster; on long horizons of many people each search is a
model of a few weeks, where a window of the full model (rostering.search.windows) would
presolve the whole year each time.

It applies where that holds exactly: shift-slot demand, no fairness across people (a
horizon-wide spread), no published roster, no breaks, no absence credits (the margin after a
window is pinned by requests, a day off as `unavailable`, which would lower a minimum). Weeks
are ISO weeks, so the weekly limits and the weekends of a window are whole.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from rostering.domain import Assignment, Employee, Problem, Request
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.model.rules.paid import credits
from rostering.model.variables import Variables
from rostering.search import columns
from rostering.search.budget import Budget
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import Shifts
from rostering.search.state import roster_of

Worked = dict[tuple[int, int], str]  # (employee index, day) -> shift id worked
JUDGING = 0.5  # seconds kept back from a window's time to price its roster


def applies(problem: Problem) -> bool:
    """Whether a window's sub-problem prices rosters as the full problem does, up to a
    constant (see the module)."""
    fairness = problem.model.fairness
    w = problem.model.weights
    return (
        problem.slot_demand is not None
        and problem.published is None
        and not problem.model.has_breaks
        and not fairness.has_limits
        and not (w.fairness_nights or w.fairness_minutes or w.fairness_weekends)
        and not any(emp.limits.absence_credit_minutes for emp in problem.employees)
    )


def worked_of(shifts: Shifts) -> Worked:
    return {(e, d): sid for (e, d, sid), on in shifts.items() if on}


def margin_days(problem: Problem) -> int:
    """Days of the roster kept fixed on each side of a window: longer than any run a rule
    limits, so a run crossing the window's edge is judged whole, whole weeks."""
    longest = 1
    for emp in problem.employees:
        lim = emp.limits
        runs = (lim.max_consecutive_days, lim.min_consecutive_days,
                lim.min_consecutive_days_off, lim.max_consecutive_nights)  # fmt: skip
        longest = max(longest, *(r or 0 for r in runs))
    return -(-(longest + 1) // 7) * 7


def sub_problem(
    problem: Problem, worked: Worked, lo: int, hi: int, margin: int, pinned: int | None = None
) -> Problem:
    """The problem of days lo .. hi - 1 (hi: the window's end with its fixed margin after it,
    or the horizon's end): the roster's `margin` days before lo as previous.csv, each
    person's horizon limits less what `worked` holds outside lo .. hi - 1. From day `pinned`
    on, if given, each person's day is pinned to `worked` by requests: `fixed` to the shift
    worked, `unavailable` on a day off (exact only without absence credits: `applies`)."""
    inside = range(lo, hi)
    ids = [emp.id for emp in problem.employees]
    requests = _shifted(problem.requests, inside)
    if pinned is not None:
        requests += tuple(
            Request(employee_id=ids[e], day=d - lo, kind="fixed", shift_id=worked[e, d])
            if (e, d) in worked
            else Request(employee_id=ids[e], day=d - lo, kind="unavailable")
            for e in range(len(ids))
            for d in range(pinned, hi)
        )
    if lo == 0:
        previous, before, given = (
            problem.previous,
            problem.previous_absences,
            problem.previous_given,
        )
    else:
        previous = tuple(
            Assignment(employee_id=ids[e], day=d - lo, shift_id=sid)
            for (e, d), sid in sorted(worked.items())
            if lo - margin <= d < lo
        )
        before = tuple(
            r.model_copy(update={"day": r.day - lo})
            for r in problem.requests
            if lo - margin <= r.day < lo and r.kind in ("leave", "unavailable")
        )
        given = True
    outside = [d for d in range(problem.days) if d not in inside]
    ends = [days for days in problem.weekends() if not any(d in inside for d in days)]
    return problem.model_copy(
        update={
            "start": problem.date_of(lo),
            "days": hi - lo,
            "employees": tuple(
                _limits_outside(problem, e, worked, outside, ends)
                for e in range(len(problem.employees))
            ),
            "requests": requests,
            "slot_demand": tuple(
                r.model_copy(update={"day": r.day - lo})
                for r in problem.slot_demand or ()
                if lo <= r.day < hi
            ),
            "previous": previous,
            "previous_absences": before,
            "previous_given": given,
        }
    )


def _shifted(requests: tuple[Request, ...], inside: range) -> tuple[Request, ...]:
    return tuple(
        r.model_copy(update={"day": r.day - inside.start}) for r in requests if r.day in inside
    )


def _limits_outside(
    problem: Problem, e: int, worked: Worked, outside: list[int], ends: list[tuple[int, int]]
) -> Employee:
    """Person e with their horizon limits (minutes, shifts per type, weekends) less what they
    work on the days `outside` and the weekends `ends`."""
    emp = problem.employees[e]
    lim = emp.limits
    shifts = [worked[e, d] for d in outside if (e, d) in worked]
    paid = sum(problem.model.shift(sid).paid_minutes for sid in shifts)
    leave, away = credits(problem, e, outside)
    changes: dict[str, object] = {}
    if lim.max_minutes is not None:
        changes["max_minutes"] = lim.max_minutes - paid - leave
    if lim.min_minutes:
        changes["min_minutes"] = max(0, lim.min_minutes - paid - leave - away)
    if lim.max_shifts:
        changes["max_shifts"] = {
            sid: limit - shifts.count(sid) for sid, limit in lim.max_shifts.items()
        }
    if lim.max_weekends is not None:
        before = {a.day for a in problem.previous if a.employee_id == emp.id}
        on = sum(any((e, d) in worked or d in before for d in days) for days in ends)
        changes["max_weekends"] = lim.max_weekends - on
    return emp.model_copy(update={"limits": lim.model_copy(update=changes)})


class Slices:
    """Windows of weeks over a problem's horizon (see the module): units are weeks. Each
    window's sub-problem is searched within the seconds `search` is given: by column
    generation (rostering.search.columns), rounds of at most `rounds` seconds (and two thirds
    of the time its picks leave) and a dive of at most `dive`, where it applies; then, if it
    found no better roster and proved none, by CP-SAT hinted with the roster for the time
    left."""

    def __init__(self, problem: Problem, rounds: float = 0.0, dive: float = 0.0) -> None:
        self.problem = problem
        mondays = [d for d in range(1, problem.days) if problem.date_of(d).weekday() == 0]
        self.cuts = [0, *mondays, problem.days]  # week w: days cuts[w] .. cuts[w + 1] - 1
        self.units = len(self.cuts) - 1
        self.margin = margin_days(problem)
        self.rounds, self.dive = rounds, dive
        self.proved = False  # whether the last search proved its window holds no better roster

    def unit(self, day: int) -> int:
        """The week of a day."""
        return sum(cut <= day for cut in self.cuts[1:-1])

    def short(self, shifts: Shifts) -> list[int]:
        """Weeks with a shift slot staffed below its demand."""
        return sorted({self.unit(d) for d in short_days(self.problem, shifts)})

    def search(
        self, shifts: Shifts, first: int, length: int, seconds: float, budget: Budget
    ) -> Shifts | None:
        """A better roster found within the window of weeks first .. first + length - 1,
        `shifts` kept outside it; None if none."""
        deadline = time.monotonic() + seconds  # building and judging the window included
        lo = self.cuts[first]
        end = self.cuts[min(first + length, self.units)]
        hi = min(self.problem.days, end + self.margin)
        sub = sub_problem(self.problem, worked_of(shifts), lo, hi, self.margin, pinned=end)
        v = build(sub).variables
        budget = budget.sized(len(v.x))
        now = {(e, d, sid): shifts.get((e, d + lo, sid), False) for e, d, sid in v.x}
        price = _price(v, now)
        self.proved = False
        if price is None:  # cannot happen from a legal roster: its window is legal too
            return None
        found = None
        c = budget.params.columns  # the columns' picks and fixing come after rounds and dive
        searches = 2 * c.pick_seconds + c.fix_seconds
        left = deadline - time.monotonic() - JUDGING
        if self.rounds and left > 2 * searches:
            rounds = min(self.rounds, (left - searches) * 2 / 3)
            found = self._columns(v, price, rounds, deadline - JUDGING - searches, budget)
        left = deadline - time.monotonic() - JUDGING
        if found is None and not self.proved and left > JUDGING:
            found = self._cp_sat(v, now, price, left, budget)
        if found is None:
            return None
        better = dict(shifts)
        better.update({(e, d + lo, sid): on for (e, d, sid), on in found.items()})
        return better

    def _columns(
        self, v: Variables, price: int, rounds: float, deadline: float, budget: Budget
    ) -> Shifts | None:
        """The columns' roster of the window if priced below `price`; proved when their bound
        reaches `price`."""
        if not columns.applies(v.problem):
            return None
        started = time.monotonic()
        dive = max(0.0, min(self.dive, deadline - started - rounds))
        outcome = columns.generate(
            v, rounds, budget, 0.0, dive, lambda found, breaks=None: _price(v, found), dive
        )
        bound = outcome.bound
        self.proved = bound is not None and price <= math.ceil(bound - 1e-6)
        if outcome.price is None or outcome.price >= price:
            return None
        return outcome.shifts

    def _cp_sat(
        self, v: Variables, now: Shifts, price: int, seconds: float, budget: Budget
    ) -> Shifts | None:
        model = v.model
        for key, var in v.x.items():
            model.add_hint(var, now[key])
        solver = new_solver(seconds, workers=budget.workers, seed=budget.seed)
        budget.attach(solver)
        status = solver.solve(model)
        self.proved = status == cp_model.OPTIMAL
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        found = {key: solver.boolean_value(var) for key, var in v.x.items()}
        judged = _price(v, found)
        return found if judged is not None and judged < price else None


def _price(v: Variables, shifts: Shifts) -> int | None:
    """evaluate's price of a roster of v's problem (None: not legal)."""
    judged = evaluate(v.problem, roster_of(v, shifts))
    return judged.objective if judged.is_feasible() else None


def short_days(problem: Problem, shifts: Shifts) -> list[int]:
    """Days with a shift slot staffed below its demand (a slot of a tier counts the people of
    that tier or higher)."""
    tiers = problem.model.tier_rank
    rank = [tiers(emp.tier) for emp in problem.employees]
    on: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
    for (e, d, sid), worked in shifts.items():
        if worked:
            on[(d, sid)].append(rank[e])
    short = {
        r.day
        for r in problem.slot_demand or ()
        if sum(x >= (-1 if r.tier is None else tiers(r.tier)) for x in on[(r.day, r.shift_id)])
        < r.required
    }
    return sorted(short)
