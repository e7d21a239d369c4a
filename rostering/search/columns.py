"""Column generation over people's schedules: a proven bound, and a roster built from them.

Where every penalty is one person's own (requests, cost; no fairness weights) or a price of
what people do together that is linear in who works what (coverage, rostering.search.columns_links),
the problem is: choose one legal schedule (a column) per person, minimising the schedules' own
penalties plus the price of the linking rows, under the hard ones (mentoring, floors). Its
linear relaxation over every legal schedule is far stronger than the compact model's (the
literature's branch and price closes the Curtois & Qu instances with it); CP-SAT's own LP
misses the integrality of each person's rotation.

- People with the same contract, tier and limits and no requests or history of their own
  are one class: they share their columns (one pricing per class and round).
- The master LP (GLOP) holds the schedules found so far, the linking rows, and for each class
  `sum of its columns = its people`; hard rows get an artificial slack at a high price.
- Pricing: each class's own model (their hard rules, as in rostering.search.person_passes) minimises
  their own penalty minus the row duals of the shifts they work, scaled to integers for CP-SAT.
- The bound is Lagrangian, so valid after every complete round of pricing, converged or not:
  `sum_r dual_r * rhs_r + constant + sum_c people_c * (least reduced price of c's schedules)`,
  each least price taken from CP-SAT's proven bound (minus what rounding the duals can hide),
  for duals no slack prices below zero (Links.clip).
- The roster: CP-SAT picks how many of each class work each column (the restricted master
  as an integer program, hard rows kept); people of a class are interchangeable.
- Breaks: master-only counts of who takes which break where (columns_links), continuous in
  the LP, whole in the pick; the bound adds each count at its least reduced price over its
  range (Links.break_bound), and the pick's counts place the roster's breaks
  (rostering.model.breaks.placed).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat
from typing import Protocol

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.breaks import BreakKey
from rostering.model.build import BuiltModel, build
from rostering.model.rules.fairness import limited_figures, limits, weekend_flags
from rostering.model.variables import Expr, Variables
from rostering.search.budget import Budget, cores
from rostering.search.columns_links import (
    BREAK,
    HARD,
    LEVEL,
    SERVICE,
    SLOT,
    Links,
    links_of,
)
from rostering.search.cpsat import new_solver
from rostering.search.marginal_price import Key, Shifts
from rostering.search.person_passes import subteam
from rostering.search.pinned_model import Pinned

SCALE = 1000  # duals are rounded to 1/SCALE for CP-SAT's integer objective
GAIN = 1e-6  # a column enters the master when its reduced price is below -GAIN
# GLOP's options to solve the master afresh with when it ends ABNORMAL (solving afresh as
# before fails on some masters; each of these solves them)
LP_RETRIES = ("use_dual_simplex: true", "use_preprocessing: false")
ARTIFICIAL = 100_000  # the LP's price of a unit short on a hard row (no legal roster has one)


def applies(problem: Problem) -> bool:
    """Whether every penalty is one person's own or priced through the linking rows (the
    service price too: its steps; not the fairness spreads)."""
    w = problem.model.weights
    demand = problem.slot_demand is not None or problem.interval_demand is not None
    return demand and not (w.fairness_nights or w.fairness_weekends or w.fairness_minutes)


Slot = tuple[int, str]  # (day, shift id)
Breaks = dict[BreakKey, int]  # the break counts of a roster (rostering.model.breaks)


class Judge(Protocol):
    """A roster's price judged apart (None: not legal); with `breaks`, its breaks placed
    by those counts, else as the judge places them."""

    def __call__(self, shifts: Shifts, breaks: Breaks | None = None, /) -> int | None: ...


@dataclass
class Column:
    cost: int  # the schedule's own penalty and its share of the coverage price
    terms: dict[int, int]  # row -> coefficient
    shifts: tuple[Slot, ...]  # the shifts worked
    figures: dict[str, int] = field(default_factory=dict)  # those the fairness policy limits


@dataclass
class Outcome:
    bound: float | None  # proven: no roster is priced below it
    shifts: Shifts  # the roster from the columns ({} if none)
    price: int | None  # its price: by `judge` if given, else by the search that found it
    rounds: int = 0
    converged: bool = False
    judge: Judge | None = None  # told of each roster found, as it comes
    breaks: Breaks | None = None  # the kept roster's break counts, where the pick gave them

    def keep(self, shifts: Shifts, price: int | None, breaks: Breaks | None = None) -> bool:
        """Keep this roster if priced below the one kept; returns whether it was. With `judge`,
        on the price it gives: a search's may carry slack its time left (a slot both short
        and over). `price` None: the search cannot price it (a dive's roster with breaks), so
        only a judge can. `breaks`: the roster's break counts, handed to the judge."""
        if self.judge is not None:
            judged = self.judge(shifts) if breaks is None else self.judge(shifts, breaks)
            if judged is None:
                return False
            price = judged
        if price is None or (self.price is not None and price >= self.price):
            return False
        self.shifts, self.price, self.breaks = shifts, price, breaks
        return True


def classes(problem: Problem) -> list[list[int]]:
    """Employee indexes of people whose own models are the same: same tier, contract, cost
    and limits, and no request, previous shift, history or published shift of their own."""
    own = {r.employee_id for r in problem.requests}
    own |= {a.employee_id for a in problem.previous}
    if problem.published is not None:
        own |= {a.employee_id for a in problem.published.assignments}
    own |= {h.employee_id for h in problem.history}
    groups: dict[str, list[int]] = {}
    for e, emp in enumerate(problem.employees):
        key = emp.id if emp.id in own else emp.model_copy(update={"id": "", "name": ""})
        groups.setdefault(repr(key), []).append(e)
    return list(groups.values())


def _unbroken(problem: Problem) -> Problem:
    """The problem with no breaks: one person's own rules do not see them (the master
    counts them), so their pricing models need no break counts."""
    if not problem.model.has_breaks:
        return problem
    shifts = tuple(s.model_copy(update={"breaks": ()}) for s in problem.model.shifts)
    return problem.model_copy(update={"model": problem.model.model_copy(update={"shifts": shifts})})


class _Class:
    """People sharing one own model, priced against row duals."""

    def __init__(self, problem: Problem, members: list[int], links: Links) -> None:
        e = members[0]
        self.members = members
        self.own: BuiltModel = build(_unbroken(subteam(problem, [e])))
        self.vars = {(d, sid): var for (_, d, sid), var in self.own.variables.x.items()}
        self.terms = {slot: links.terms[(e, *slot)] for slot in self.vars}
        self.extra = {slot: links.extra[(e, *slot)] for slot in self.vars}
        self.most_shifts = problem.days  # one shift a day at most: rounding slack per schedule
        self.parameters = SLOT_PRICING if problem.slot_demand is not None else {}
        self.figures: dict[str, Expr] = {}  # the fairness figures each schedule is limited in
        if problem.model.fairness.has_limits:
            own = self.own.variables
            flags = weekend_flags(own, 0)
            self.figures = {k: f for k, (f, _) in limited_figures(own, 0, flags).items()}

    def column(self, cost: int, on: list[Slot], figures: dict[str, int] | None = None) -> Column:
        terms: Counter[int] = Counter()
        for slot in on:
            for row, coefficient in self.terms[slot]:
                terms[row] += coefficient
        extra = sum(self.extra[s] for s in on)
        return Column(cost + extra, dict(terms), tuple(on), figures or {})

    def price(
        self, duals: list[float], seconds: float, budget: Budget
    ) -> tuple[list[Column], float | None]:
        """Schedules of least own price minus duals (found on the way), and a proven lower
        bound on that price over every legal schedule (None if the search proved nothing)."""
        model = self.own.model
        reduced = {
            slot: round(SCALE * (self.extra[slot] - sum(duals[r] * c for r, c in self.terms[slot])))
            for slot in self.vars
        }
        model.minimize(
            SCALE * self.own.objective + sum(reduced[s] * x for s, x in self.vars.items())
        )
        solver = new_solver(seconds, workers=1, seed=budget.seed)
        for name, value in self.parameters.items():
            setattr(solver.parameters, name, value)
        budget.attach(solver)
        found: list[Column] = []
        objective = self.own.objective
        slots = list(self.vars)

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(inner) -> None:  # noqa: N805
                on = [s for s in slots if inner.boolean_value(self.vars[s])]
                figures = {
                    k: f if isinstance(f, int) else int(inner.value(f))
                    for k, f in self.figures.items()
                }
                found.append(self.column(round(inner.value(objective)), on, figures))

        status = solver.solve(model, Collect())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return found, None
        slack = 0.5 * self.most_shifts / SCALE
        return found, solver.best_objective_bound / SCALE - slack


class _Master:
    """The restricted master LP over the columns found so far."""

    def __init__(self, links: Links, people: list[int]) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.links = links
        inf = self.lp.infinity()
        objective = self.lp.Objective()
        unmet = [self.lp.NumVar(0, inf, f"unmet{g}") for g in range(len(links.group_cost))]
        for var, cost in zip(unmet, links.group_cost, strict=True):
            objective.SetCoefficient(var, cost)
        self.row_cts = []
        for n, row in enumerate(links.rows):
            equal = row.kind in (SLOT, BREAK)
            ct = self.lp.Constraint(row.rhs, row.rhs if equal else inf, f"row{n}")
            slacks: list[tuple[int, float, float]] = []  # (sign, price, upper bound)
            if row.kind == SLOT:
                slacks = [(1, row.under, inf), (-1, row.over, inf)]
            elif row.kind == HARD:
                slacks = [(1, ARTIFICIAL, inf)]
            elif row.kind == SERVICE:  # the people of each of the envelope's segments
                slacks = [(-1, -saving, float(people)) for people, saving in row.segments]
            for k, (sign, worth, most) in enumerate(slacks):
                var = self.lp.NumVar(0, most, f"slack{n}_{k}")
                ct.SetCoefficient(var, sign)
                objective.SetCoefficient(var, worth)
            if row.kind == LEVEL:
                ct.SetCoefficient(unmet[row.group], 1)
            self.row_cts.append(ct)
        # master-only: the people taking each break at each start
        self.break_vars: dict[BreakKey, pywraplp.Variable] = {}
        for key, most in links.break_most.items():
            var = self.lp.NumVar(0, most, f"break{key}")
            objective.SetCoefficient(var, links.break_cost[key])
            for n, coefficient in links.break_terms[key]:
                self.row_cts[n].SetCoefficient(var, coefficient)
            self.break_vars[key] = var
        self.class_cts = [self.lp.Constraint(n, n, f"class{c}") for c, n in enumerate(people)]
        self.columns: list[list[Column]] = [[] for _ in people]
        self.vars: list[list[pywraplp.Variable]] = [[] for _ in people]
        self.seen: list[set[tuple[Slot, ...]]] = [set() for _ in people]
        self.banned: set[tuple[int, int]] = set()  # (class, column) the LP may not use
        objective.SetMinimization()
        self.solved = False  # whether the LP's solution is that of its columns as they stand

    def add(self, c: int, column: Column) -> bool:
        if column.shifts in self.seen[c]:
            return False
        self.seen[c].add(column.shifts)
        var = self.lp.NumVar(0, self.lp.infinity(), f"col{c}_{len(self.columns[c])}")
        self.lp.Objective().SetCoefficient(var, column.cost)
        self.class_cts[c].SetCoefficient(var, 1)
        for n, coefficient in column.terms.items():
            self.row_cts[n].SetCoefficient(var, coefficient)
        self.columns[c].append(column)
        self.vars[c].append(var)
        self.solved = False
        return True

    def fix(self, c: int, i: int) -> None:
        """Class `c` (one person) works column `i`: the LP may use no other of its columns."""
        for j, var in enumerate(self.vars[c]):
            var.SetUb(self.lp.infinity() if j == i else 0)
        self.solved = False

    def free(self, c: int) -> None:
        """Class `c` may work any of its columns again, but those banned."""
        for i, var in enumerate(self.vars[c]):
            var.SetUb(0 if (c, i) in self.banned else self.lp.infinity())
        self.solved = False

    def ban(self, c: int, i: int) -> None:
        """Class `c` (one person) may not work column `i` (a dive's step undone)."""
        self.banned.add((c, i))
        self.vars[c][i].SetUb(0)
        self.solved = False

    def unban(self) -> None:
        """Every banned column allowed again; the classes are freed after (restart)."""
        for c, i in self.banned:
            self.vars[c][i].SetUb(self.lp.infinity())
        self.banned = set()
        self.solved = False

    def values(self) -> list[list[float]]:
        """Each column's value in the LP's solution (solved again if columns came since)."""
        if not self.solved and self.solve() is None:
            return [[0.0] * len(own) for own in self.vars]
        return [[var.solution_value() for var in own] for own in self.vars]

    def break_values(self) -> dict[BreakKey, float]:
        """Each break count's value in the LP's solution (after `values`)."""
        if not self.solved:
            return dict.fromkeys(self.break_vars, 0.0)
        return {key: var.solution_value() for key, var in self.break_vars.items()}

    def solve(self) -> tuple[list[float], list[float], float] | None:
        """The LP's row duals (clipped: Links.clip), class duals and value (with the
        links' constant: the price of a roster)."""
        status = self.lp.Solve()
        for option in LP_RETRIES:  # GLOP may end ABNORMAL where another way solves it
            if status == pywraplp.Solver.OPTIMAL:
                break
            self.lp.SetSolverSpecificParametersAsString(option)
            scratch = pywraplp.MPSolverParameters()
            scratch.SetIntegerParam(scratch.INCREMENTALITY, scratch.INCREMENTALITY_OFF)
            status = self.lp.Solve(scratch)
            self.lp.SetSolverSpecificParametersAsString("")
        if status != pywraplp.Solver.OPTIMAL:
            return None
        self.solved = True
        duals = self.links.clip([ct.dual_value() for ct in self.row_cts])
        value = self.lp.Objective().Value() + self.links.constant
        return duals, [ct.dual_value() for ct in self.class_cts], value


class _Generation:
    """Rounds of pricing every class against the master's duals."""

    def __init__(self, v: Variables, budget: Budget) -> None:
        self.links = links_of(v)
        self.classes = [_Class(v.problem, members, self.links) for members in classes(v.problem)]
        self.master = _Master(self.links, [len(c.members) for c in self.classes])
        self.budget = budget
        self.p = budget.params.columns
        # first columns: each class's best schedule with every cover row still to cover
        groups = Counter(row.group for row in self.links.rows if row.kind == LEVEL)
        first = {
            SLOT: lambda row: float(row.under),
            LEVEL: lambda row: self.links.group_cost[row.group] / groups[row.group],
            HARD: lambda row: 0.0,
            SERVICE: lambda row: row.segments[0][1],
            BREAK: lambda row: 0.0,
        }
        self.duals = [first[row.kind](row) for row in self.links.rows]
        self.class_duals = [0.0] * len(self.classes)
        self.bound: float | None = None
        self.value: float | None = None  # the master LP's, at the last round
        self.rounds = 0
        self.fixed: dict[int, int] = {}  # class -> the column it works (dive)

    def run(self, deadline: float) -> bool:
        """Rounds until converged (returns True) or the deadline; the bound is kept from each
        complete round. Converged: a round adds no schedule, or the bound rounded up reaches
        the LP's value (prices are whole numbers: more rounds cannot raise what the bound
        proves). When the first round shows that fewer than `rounds_to_converge` would fit in
        the time, the rounds end there."""
        rhs = [row.rhs for row in self.links.rows]
        started = time.monotonic()
        # people priced at once, each by a one-worker CP-SAT search (they release the GIL)
        threads = min(cores(), self.budget.workers, len(self.classes)) or 1
        with ThreadPoolExecutor(threads) as pool:
            while time.monotonic() < deadline and not self.budget.stopped:
                left = deadline - time.monotonic()
                share = min(left, max(0.05, left * threads / max(1, len(self.classes))))
                priced = list(pool.map(self._price, range(len(self.classes)), repeat(share)))
                if time.monotonic() > deadline or self.budget.stopped:
                    return False  # a round cut short proves nothing
                self.rounds += 1
                least: float | None = self.links.constant
                added = 0
                for c, (columns, lower) in enumerate(priced):
                    for column in columns:
                        worth = sum(self.duals[n] * k for n, k in column.terms.items())
                        if self.rounds == 1 or column.cost - worth - self.class_duals[c] < -GAIN:
                            added += self.master.add(c, column)
                    people = len(self.classes[c].members)
                    least = None if least is None or lower is None else least + people * lower
                if least is not None:
                    bound = sum(d * r for d, r in zip(self.duals, rhs, strict=True)) + least
                    bound += self.links.slack_bound(self.duals)
                    bound += self.links.break_bound(self.duals)
                    self.bound = bound if self.bound is None else max(self.bound, bound)
                if self.rounds > 1 and added == 0:
                    return True
                spent = time.monotonic() - started
                if self.rounds == 1 and spent * self.p.rounds_to_converge > deadline - started:
                    return False
                solved = self.master.solve()
                if solved is None:
                    return False
                self.duals, self.class_duals, self.value = solved
                if self.bound is not None and math.ceil(self.bound - 1e-6) >= self.value - 1e-6:
                    return True
        return False

    def near(self, gap: float) -> bool:
        """Whether the bound is within `gap` (a share) of the master LP's value."""
        if self.bound is None or self.value is None or self.value <= 0:
            return False
        return self.value - self.bound <= gap * self.value

    def dive(self, deadline: float) -> dict[int, int] | None:
        """Fix classes of one person each to the columns the LP uses most, a share of them
        at a time (`dive_step`), the rounds run again after each fixing, until every class is
        fixed or the deadline: the column each fixed class works (None if the LP failed or a
        stop came). Each step's rounds run until they converge while the dive keeps the pace
        to fix everyone by the deadline (the LP of rounds cut short misleads the next fixing:
        the people still free lack the schedules to make up); behind that pace, each step's
        rounds get the time left in proportion to the people it fixed. A step after which
        they converge with the LP risen (`backtrack_rise`) is undone, the fractional columns
        it fixed banned, at most `backtracks` times. The proven bound is kept as it was."""
        proven = self.bound
        try:
            return self._dive(deadline)
        finally:
            self.bound = proven

    def _dive(self, deadline: float) -> dict[int, int] | None:
        left = len(self.classes) - len(self.fixed)
        settled = self.value  # the LP's value when its rounds last converged (None: not)
        started, at_start = time.monotonic(), len(self.fixed)
        backtracks = 0
        while left:  # one step at least, then steps until the deadline
            before = left
            values = self.master.values()
            heaviest = sorted(
                ((x, c, i) for c, own in enumerate(values) for i, x in enumerate(own)),
                reverse=True,
            )
            quota = max(1, math.ceil(self.p.dive_step * left))
            step: list[tuple[int, int, bool]] = []  # (class, column, whether fractional)
            for x, c, i in heaviest:
                fractional = x < 1 - 1e-6
                if c not in self.fixed and (quota > 0 or not fractional):
                    self.fixed[c] = i
                    self.master.fix(c, i)
                    quota -= fractional
                    step.append((c, i, fractional))
            left = len(self.classes) - len(self.fixed)
            solved = self.master.solve()
            if solved is None or self.budget.stopped:
                return None
            self.duals, self.class_duals, self.value = solved
            self.bound = None  # of this dive's node: for run() to end its rounds
            # where fixing kept the converged LP's value, new schedules would not lower it
            kept = settled is not None and self.value <= settled + 1e-6
            if time.monotonic() >= deadline:
                break
            if left and not kept:
                # rounds until converged while the pace so far would fix everyone in time;
                # behind it, the time left in proportion to the people this step fixed
                now = time.monotonic()
                on_pace = (now - started) * left <= (deadline - now) * (len(self.fixed) - at_start)
                until = deadline if on_pace else now + (deadline - now) * (before - left) / before
                converged = self.run(until)
                if on_pace and not converged:
                    break  # the deadline: the people left are searched in the full model
                risen = settled is not None and self.value > settled * (1 + self.p.backtrack_rise)
                if converged and risen and backtracks < self.p.backtracks:
                    backtracks += 1
                    left = self._undo(step)
                    continue
                settled = self.value if converged else None
        return dict(self.fixed)

    def _undo(self, step: list[tuple[int, int, bool]]) -> int:
        """A step's fixings undone, the fractional columns it fixed banned: the people left."""
        for c, i, fractional in step:
            del self.fixed[c]
            self.master.free(c)
            if fractional:
                self.master.ban(c, i)
        return len(self.classes) - len(self.fixed)

    def restart(self, rng: random.Random) -> bool:
        """Back to the LP of the rounds (every fixing undone, the dives' schedules kept), then
        one person drawn at random fixed to a column it uses: the next dive goes another way.
        False if the LP failed."""
        self.master.unban()
        for c in self.fixed:
            self.master.free(c)
        self.fixed = {}
        solved = self.master.solve()
        if solved is None:
            return False
        self.duals, self.class_duals, self.value = solved
        values = self.master.values()
        c = rng.randrange(len(self.classes))
        i = rng.choice([i for i, x in enumerate(values[c]) if x > 1e-6])
        self.fixed[c] = i
        self.master.fix(c, i)
        return True

    def _price(self, c: int, seconds: float) -> tuple[list[Column], float | None]:
        if self.budget.stopped:
            return [], None
        if c in self.fixed:  # its least reduced price is its column's
            column = self.master.columns[c][self.fixed[c]]
            return [], column.cost - sum(self.duals[n] * k for n, k in column.terms.items())
        return self.classes[c].price(self.duals, seconds, self.budget)


# CP-SAT's parameters for pricing where demand is per shift: the LP of every constraint
# (pricing twice as fast there; slower where demand is per interval: docs/TUNING.md)
SLOT_PRICING = {"linearization_level": 2}


def generate(
    v: Variables,
    seconds: float,
    budget: Budget | None = None,
    more: float = 0.0,
    dive: float = 0.0,
    judge: Judge | None = None,
    near_dive: float | None = None,
    proved: Callable[[float], object] | None = None,
) -> Outcome:
    """Rounds of column generation until converged or `seconds` have passed, then `more`
    seconds of them when the bound is within `more_gap` of the LP's value; once converged (or
    within `near_enough`), CP-SAT picks the columns: first among those the LP uses, then among
    all of them, hinted by the first pick, each within `pick_seconds` (`service_pick_share` of
    the time left where the master prices service, if longer; columns from rounds cut short
    make poor rosters, so none are picked from them).
    Where each class is one person, then the full model with what the LP agrees on fixed
    (Pinned), then a dive (_Generation.dive) for `dive` seconds and what the rounds left of
    `seconds` and `more` (`near_dive` instead of `dive` when the rounds did not converge, if
    given: the dive's LP rises from unconverged columns, the full model may do better with
    the time; none when it would be shorter than the rounds were: dive_end). The budget's
    stop ends every search and the rounds. `judge(shifts)` is told of each roster found on the
    way and prices it (Outcome.keep); `proved(bound)` of the rounds' bound as soon as they
    end, before any roster."""
    budget = budget or Budget.free()
    p = budget.params.columns
    started = time.monotonic()
    gen = _Generation(v, budget)
    converged = gen.run(started + seconds)
    if not converged and more > 0 and gen.near(p.more_gap):
        converged = gen.run(started + seconds + more)
    outcome = Outcome(gen.bound, {}, None, gen.rounds, converged, judge)
    if gen.bound is not None and proved is not None:
        proved(gen.bound)
    if not (converged or gen.near(p.near_enough)) or budget.stopped:
        return outcome
    values = gen.master.values()
    members = [c.members for c in gen.classes]
    target = None if gen.bound is None else math.ceil(gen.bound - 1e-6)

    def done() -> bool:
        return budget.stopped or (outcome.price is not None and outcome.price == target)

    hint = [_rounded(own, len(group)) for own, group in zip(values, members, strict=True)]
    pick_seconds = p.pick_seconds
    if any(row.kind == SERVICE for row in gen.links.rows) and math.isfinite(budget.total()):
        pick_seconds = max(pick_seconds, p.service_pick_share * budget.total())
    for support in (True, False):
        pick = _Pick(gen.master, members, values, support, target, fairness(v))
        picked = pick.solve(hint, pick_seconds, budget)
        if picked is not None:
            counts, price, breaks = picked
            if outcome.keep(_roster(v, gen, counts), price, breaks):
                hint = counts
        if done():
            return outcome
    if len(members) == len(v.employees):  # every class one person: fix what the LP agrees on
        full = Pinned(build(v.problem))
        weight = _agreed(gen.master, members, values)
        for only_on in (False, True):
            fixings = _agreed_fixings(weight, list(v.x), only_on)
            found = full.search(fixings, outcome.shifts, p.fix_seconds, budget)
            if found is not None:
                outcome.keep(*found)
            if done():
                return outcome
        span = dive if converged or near_dive is None else near_dive
        now = time.monotonic()
        end = dive_end(started, now, started + seconds + more, span, p.dive_min_ratio)
        if end is not None:
            steps = now + p.dive_steps_share * (end - now)
            _dive_then_search(v, gen, full, outcome, steps, end, budget, done)
    return outcome


def dive_end(
    started: float, now: float, planned: float, span: float, min_ratio: float
) -> float | None:
    """When a dive from `now` ends: `span` after the later of `now` and the rounds' planned
    end (it gets the time they left unused); None (no dive) if `span` is 0, or if the dive
    would have less than `min_ratio` times the time the rounds and picks took since
    `started` (each of its steps runs the rounds again; a dive behind its pace cuts them
    short)."""
    end = max(now, planned) + span
    return end if span > 0 and end - now >= min_ratio * (now - started) else None


def _dive_then_search(
    v: Variables,
    gen: _Generation,
    full: Pinned,
    outcome: Outcome,
    steps: float,
    deadline: float,
    budget: Budget,
    done: Callable[[], bool] = lambda: False,
) -> None:
    """Dive (_Generation.dive) with steps until `steps`. If it leaves people unfixed, they
    are searched in the full model with the fixed ones fixed, hinted with the columns the LP
    uses most, until `deadline`. If it fixes everyone before `steps`, another dive follows from
    the rounds' LP (_Generation.restart), with time until `deadline` (one cut short is
    dropped), and so on until `steps`, `done()`, `dives_without_gain` dives in a row without
    a better roster, or a dive as long as the last would not end by `deadline`.
    Keeps each roster in `outcome` if better than the one kept."""
    rng = random.Random(budget.seed)
    restarted = False
    unimproved = 0  # dives in a row without a better roster
    while True:
        began = time.monotonic()
        fixed = gen.dive(deadline if restarted else steps)
        if fixed is None or gen.value is None:
            return
        values = gen.master.values()
        heaviest = [max(range(len(own)), key=own.__getitem__) for own in values]
        counts = [
            [int(i == fixed.get(c, heaviest[c])) for i in range(len(own))]
            for c, own in enumerate(values)
        ]
        shifts = _roster(v, gen, counts)
        if len(fixed) < len(gen.classes):
            if restarted:  # a complete dive's roster is kept: the rest to the full search
                return
            break
        # with breaks the LP's value has them fractional: only the judge prices the roster
        price = None if gen.links.break_most else round(gen.value)
        unimproved = 0 if outcome.keep(shifts, price) else unimproved + 1
        now = time.monotonic()
        took = now - began
        tired = unimproved >= budget.params.columns.dives_without_gain
        if done() or now >= steps or tired or now + took > deadline:
            return
        if not gen.restart(rng):
            return
        restarted = True
    people = {gen.classes[c].members[0] for c in fixed}
    fixings = {key: on for key, on in shifts.items() if key[0] in people}
    found = full.search(fixings, shifts, deadline - time.monotonic(), budget)
    if found is not None:
        outcome.keep(*found)


def _agreed(
    master: _Master, members: list[list[int]], values: list[list[float]]
) -> dict[Key, float]:
    """How much of each shift the LP's solution works, where every class is one person."""
    weight: dict[Key, float] = defaultdict(float)
    for (person,), own, worth in zip(members, master.columns, values, strict=True):
        for column, x in zip(own, worth, strict=True):
            for slot in column.shifts:
                weight[(person, *slot)] += x
    return weight


def _agreed_fixings(weight: dict[Key, float], keys: list[Key], only_on: bool) -> Shifts:
    """Every shift the LP works whole (`_agreed`) fixed on and, unless `only_on`, every shift
    it does not work at all fixed off."""
    fixings: Shifts = {}
    for key in keys:
        worked = weight.get(key, 0.0)
        if worked >= 1 - 1e-6:
            fixings[key] = True
        elif worked <= 1e-6 and not only_on:
            fixings[key] = False
    return fixings


def _roster(v: Variables, gen: _Generation, counts: list[list[int]]) -> Shifts:
    """The people of each class given how many work each of its columns (indexes into the
    master's columns; they are interchangeable)."""
    shifts: Shifts = dict.fromkeys(v.x, False)
    for c, group in enumerate(gen.classes):
        waiting = iter(group.members)
        for column, count in zip(gen.master.columns[c], counts[c], strict=True):
            for _ in range(count):
                e = next(waiting)
                shifts.update(dict.fromkeys(((e, *slot) for slot in column.shifts), True))
    return shifts


def _rounded(values: list[float], total: int) -> list[int]:
    """Whole numbers adding up to `total`, near `values` (largest remainders)."""
    whole = [math.floor(x + 1e-9) for x in values]
    order = sorted(range(len(values)), key=lambda i: whole[i] - values[i])
    for i in order[: max(0, total - sum(whole))]:
        whole[i] += 1
    return whole


def fairness(v: Variables) -> tuple[list[str | None], dict[str, int]]:
    """Each employee's fairness group where the policy limits spreads in it (None for a
    group of one), and the limits (rostering.model.rules.fairness.limits)."""
    policy = v.problem.model.fairness
    if not policy.has_limits:
        return [None] * len(v.employees), {}
    names = [policy.group_of(emp) for emp in v.employees]
    size = Counter(names)
    return [name if size[name] >= 2 else None for name in names], limits(policy)


class _Pick:
    """How many people of each class work each column, least price: the restricted master as
    an integer program with its hard rows and the fairness limits, over the columns the LP
    uses (`support`: small, quick) or over all of them."""

    def __init__(
        self,
        master: _Master,
        members: list[list[int]],
        values: list[list[float]],
        support: bool,
        target: int | None,
        fair: tuple[list[str | None], dict[str, int]] = ([], {}),
    ) -> None:
        links = master.links
        self.model = cp_model.CpModel()
        self.columns: list[list[tuple[int, Column]]] = [
            [(i, col) for i, col in enumerate(own) if not support or values[c][i] > 1e-6]
            for c, own in enumerate(master.columns)
        ]
        self.counts: list[list[cp_model.IntVar]] = []
        # SERVICE rows: their (coefficient, count) terms, level and price variables, prices
        self.service: list[tuple[list[tuple[int, cp_model.IntVar]], cp_model.IntVar,
                                 tuple[int, ...]]] = []  # fmt: skip
        rows: list[list[tuple[int, cp_model.IntVar]]] = [[] for _ in links.rows]
        price: list = [links.constant]
        for c, own in enumerate(self.columns):
            people = len(members[c])
            chosen = [self.model.new_int_var(0, people, f"col{c}_{i}") for i, _ in own]
            self.model.add(sum(chosen) == people)
            self.counts.append(chosen)
            for var, (_, column) in zip(chosen, own, strict=True):
                price.append(column.cost * var)
                for n, coefficient in column.terms.items():
                    rows[n].append((coefficient, var))
        # break counts: whole, with their rows; hinted by the LP's (`_break_hint`)
        self.breaks: dict[BreakKey, cp_model.IntVar] = {}
        for key, most in links.break_most.items():
            var = self.breaks[key] = self.model.new_int_var(0, most, f"break{key}")
            price.append(links.break_cost[key] * var)
            for n, coefficient in links.break_terms[key]:
                rows[n].append((coefficient, var))
        self.break_values = master.break_values() if self.breaks else {}
        self.links = links
        unmet = [
            self.model.new_int_var(0, max([0, *(r.rhs for r in links.rows if r.group == g)]), "")
            for g in range(len(links.group_cost))
        ]
        price += [cost * var for cost, var in zip(links.group_cost, unmet, strict=True)]
        staff = sum(len(group) for group in members)  # the most a slot row can count
        for n, row in enumerate(links.rows):
            on = sum(k * var for k, var in rows[n])
            if row.kind == SLOT:
                short = self.model.new_int_var(0, max(0, row.rhs), f"under{n}")
                extra = self.model.new_int_var(0, staff, f"over{n}")
                self.model.add(on - row.rhs == extra - short)
                price += [row.under * short, row.over * extra]
            elif row.kind == LEVEL:
                self.model.add(on + unmet[row.group] >= row.rhs)
            elif row.kind == BREAK:
                self.model.add(on == 0)
            elif row.kind == SERVICE:  # its convex price at the people on duty (p(0) is
                # constant): above each segment's line, exact at whole people
                cost = self.model.new_int_var(row.prices[-1], row.prices[0], f"service{n}")
                k = 0
                for people, saving in row.segments:
                    drop = round(saving * people)  # the segment's whole fall, exact
                    self.model.add(people * cost >= people * row.prices[k] - drop * (on - k))
                    k += people
                price.append(cost - row.prices[0])
                self.service.append((rows[n], cost, row.prices))
            else:
                self.model.add(on >= row.rhs)
        self._fair(members, *fair)
        if target is not None:  # lets the search stop at a roster proven optimal
            self.model.add(sum(price) >= target)
        self.model.minimize(sum(price))

    def _fair(
        self, members: list[list[int]], group: list[str | None], limit: dict[str, int]
    ) -> None:
        """Every column worked lies within each limited figure's band of its group: between
        the group's `low` and `low + limit` (the fairness rule's form)."""
        lows: dict[tuple[str, str], cp_model.IntVar] = {}
        top = max(
            (v for own in self.columns for _, col in own for v in col.figures.values()), default=0
        )
        for c, own in enumerate(self.columns):
            name = group[members[c][0]] if group else None
            if name is None:
                continue
            for var, (_, column) in zip(self.counts[c], own, strict=True):
                used = self.model.new_bool_var("")
                self.model.add(var <= len(members[c]) * used)
                for figure, most in limit.items():
                    if (name, figure) not in lows:
                        lows[name, figure] = self.model.new_int_var(0, top, "")
                    low, value = lows[name, figure], column.figures[figure]
                    self.model.add(low <= value).only_enforce_if(used)
                    self.model.add(low >= value - most).only_enforce_if(used)

    def _break_hint(self, hinted: dict[int, int]) -> dict[BreakKey, int]:
        """Break counts that fit the hinted columns: each linking row's people shared out
        among its starts as the LP shares them (largest remainders)."""
        people: dict[int, int] = defaultdict(int)  # BREAK row -> the people it links
        for chosen, own in zip(self.counts, self.columns, strict=True):
            for var, (_, column) in zip(chosen, own, strict=True):
                for n, coefficient in column.terms.items():
                    if self.links.rows[n].kind == BREAK:
                        people[n] += coefficient * hinted.get(var.index, 0)
        starts: dict[int, list[BreakKey]] = defaultdict(list)
        for key in self.breaks:
            n = next(n for n, c in self.links.break_terms[key] if self.links.rows[n].kind == BREAK)
            starts[n].append(key)
        hint: dict[BreakKey, int] = {}
        for n, keys in starts.items():
            lp = [self.break_values.get(key, 0.0) for key in keys]
            scale = people[n] / sum(lp) if sum(lp) > 1e-9 else 0.0
            whole = _rounded([x * scale for x in lp], people[n])
            whole[0] += people[n] - sum(whole)  # an LP without these people: the first start
            hint.update(zip(keys, whole, strict=True))
        return hint

    def solve(
        self, hint: list[list[int]], seconds: float, budget: Budget
    ) -> tuple[list[list[int]], int, Breaks | None] | None:
        """Counts per class and column (indexes into the master's columns), their price, and
        the break counts (None without breaks); or None."""
        hinted: dict[int, int] = {}  # count variable's index -> its hint
        for chosen, own, counts in zip(self.counts, self.columns, hint, strict=True):
            for var, (i, _) in zip(chosen, own, strict=True):
                self.model.add_hint(var, counts[i])
                hinted[var.index] = counts[i]
        if self.breaks:
            for key, count in self._break_hint(hinted).items():
                self.model.add_hint(self.breaks[key], count)
                hinted[self.breaks[key].index] = count
        for terms, cost, prices in self.service:  # the price at the hinted counts
            on = min(sum(k * hinted.get(var.index, 0) for k, var in terms), len(prices) - 1)
            self.model.add_hint(cost, prices[on])
        workers = budget.at_most(budget.params.columns.pick_workers)
        solver = new_solver(max(0.1, seconds), workers=workers, seed=budget.seed)
        solver.parameters.linearization_level = 2  # the picks' LP: better rosters sooner
        budget.attach(solver)
        if solver.solve(self.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        result = [[0] * len(counts) for counts in hint]
        for c, (chosen, own) in enumerate(zip(self.counts, self.columns, strict=True)):
            for var, (i, _) in zip(chosen, own, strict=True):
                result[c][i] = solver.value(var)
        exact = round(solver.objective_value)  # a service row's variable may sit above its price
        for terms, cost, prices in self.service:
            on = min(sum(k * solver.value(var) for k, var in terms), len(prices) - 1)
            exact += prices[on] - solver.value(cost)
        breaks = {key: solver.value(var) for key, var in self.breaks.items()}
        return result, exact, breaks or None
