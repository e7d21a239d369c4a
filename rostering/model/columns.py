"""Column generation over people's schedules: a proven bound, and a roster built from them.

Where shift-slot coverage (cover.csv) is the only thing linking people and every other
penalty is one person's own (requests, cost; no fairness, mentoring or coverage floors), the
problem is: choose one legal schedule (a column) per person, minimising the schedules' own
penalties plus the coverage price. Its linear relaxation over every legal schedule is far
stronger than the compact model's (the literature's branch and price closes the Curtois &
Qu instances with it); CP-SAT's own LP misses the integrality of each person's rotation.

- The master LP (GLOP) holds the schedules found so far: for each cover row
  `covered + under - over = required`, for each person `sum of their columns = 1`.
- Pricing: each person's own model (their hard rules, as in rostering.model.hint) minimises
  their own penalty minus the row duals of the shifts they work, scaled to integers for CP-SAT.
- The bound is Lagrangian, so valid after every complete round of pricing, converged or not:
  `sum_r dual_r * required_r + sum_e (least reduced price of e's schedules)`, with each least
  price taken from CP-SAT's proven bound (minus what rounding the duals can hide), for duals
  within [-over weight, under weight] of each row.
- The roster: CP-SAT picks one column per person (the restricted master as an integer
  program), a complete legal roster since no hard rule links two people.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.build import BuiltModel, build
from rostering.model.hint import independent, subteam
from rostering.model.others import Key, Shifts, SlotCover
from rostering.model.search import new_solver
from rostering.model.variables import Variables

SCALE = 1000  # duals are rounded to 1/SCALE for CP-SAT's integer objective
GAIN = 1e-6  # a column enters the master when its reduced price is below -GAIN


def applies(problem: Problem) -> bool:
    """Whether people are linked by shift-slot coverage alone and priced on their own."""
    w = problem.model.weights
    return (
        problem.slot_demand is not None
        and independent(problem)
        and not (w.fairness_nights or w.fairness_weekends or w.fairness_minutes)
    )


@dataclass
class Column:
    cost: float  # the person's own penalty on this schedule
    rows: list[int]  # the cover rows it counts toward (a row twice if two shifts count)
    shifts: list[Key]  # the shifts worked


@dataclass
class Outcome:
    bound: float | None  # proven: no roster is priced below it
    shifts: Shifts  # the roster from the columns ({} if none)
    price: int | None  # its price by the restricted master (evaluate judges it apart)
    rounds: int = 0
    converged: bool = False


class _Person:
    """One person's own model, priced against row duals."""

    def __init__(self, problem: Problem, e: int, cover: SlotCover) -> None:
        self.own: BuiltModel = build(subteam(problem, [e]))
        self.vars = {(e, d, sid): var for (_, d, sid), var in self.own.variables.x.items()}
        self.rows = {key: cover.rows_of(*key) for key in self.vars}
        self.most_shifts = problem.days  # one shift a day at most: rounding slack per schedule

    def price(
        self,
        duals: list[float],
        seconds: float,
        seed: int,
        attach: Callable[[cp_model.CpSolver], None] | None,
    ) -> tuple[list[Column], float | None]:
        """Schedules of least own penalty minus duals (found on the way), and a proven lower
        bound on that price over every legal schedule (None if the search proved nothing)."""
        worth = {key: sum(duals[n] for n in rows) for key, rows in self.rows.items()}
        model = self.own.model
        gains = sum(round(SCALE * worth[k]) * var for k, var in self.vars.items())
        model.minimize(SCALE * self.own.objective - gains)
        solver = new_solver(seconds, workers=1, seed=seed)
        if attach is not None:
            attach(solver)
        found: list[Column] = []
        objective = self.own.objective
        keys = list(self.vars)

        class Collect(cp_model.CpSolverSolutionCallback):
            def on_solution_callback(inner) -> None:  # noqa: N805
                on = [k for k in keys if inner.boolean_value(self.vars[k])]
                cost = float(inner.value(objective))
                found.append(Column(cost, [n for k in on for n in self.rows[k]], on))

        status = solver.solve(model, Collect())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return found, None
        slack = 0.5 * self.most_shifts / SCALE
        return found, solver.best_objective_bound / SCALE - slack


class _Master:
    """The restricted master LP over the columns found so far."""

    def __init__(self, cover: SlotCover, people: int) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.cover = cover
        inf = self.lp.infinity()
        self.row_cts = []
        for n, (required, under, over) in enumerate(cover.rows):
            ct = self.lp.Constraint(required, required, f"row{n}")
            u = self.lp.NumVar(0, inf, f"under{n}")
            o = self.lp.NumVar(0, inf, f"over{n}")
            ct.SetCoefficient(u, 1)
            ct.SetCoefficient(o, -1)
            self.lp.Objective().SetCoefficient(u, under)
            self.lp.Objective().SetCoefficient(o, over)
            self.row_cts.append(ct)
        self.person_cts = [self.lp.Constraint(1, 1, f"person{e}") for e in range(people)]
        self.columns: list[list[Column]] = [[] for _ in range(people)]
        self.vars: list[list[pywraplp.Variable]] = [[] for _ in range(people)]
        self.seen: list[set[tuple[Key, ...]]] = [set() for _ in range(people)]
        self.lp.Objective().SetMinimization()
        self.solved = False  # whether the LP's solution is that of its columns as they stand

    def add(self, e: int, column: Column) -> bool:
        signature = tuple(column.shifts)
        if signature in self.seen[e]:
            return False
        self.seen[e].add(signature)
        var = self.lp.NumVar(0, self.lp.infinity(), f"col{e}_{len(self.columns[e])}")
        self.lp.Objective().SetCoefficient(var, column.cost)
        self.person_cts[e].SetCoefficient(var, 1)
        for n, count in Counter(column.rows).items():
            self.row_cts[n].SetCoefficient(var, count)
        self.columns[e].append(column)
        self.vars[e].append(var)
        self.solved = False
        return True

    def values(self) -> list[list[float]]:
        """Each column's value in the LP's solution (solved again if columns came since)."""
        if not self.solved and self.solve() is None:
            return [[0.0] * len(own) for own in self.vars]
        return [[var.solution_value() for var in own] for own in self.vars]

    def solve(self) -> tuple[list[float], list[float]] | None:
        """The LP's row duals (clipped to [-over, under]) and person duals."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        self.solved = True
        duals = [
            min(under, max(-over, ct.dual_value()))
            for ct, (_, under, over) in zip(self.row_cts, self.cover.rows, strict=True)
        ]
        return duals, [ct.dual_value() for ct in self.person_cts]


class _Generation:
    """Rounds of pricing everyone against the master's duals."""

    def __init__(
        self,
        v: Variables,
        seed: int,
        attach: Callable[[cp_model.CpSolver], None] | None,
        stopped: Callable[[], bool],
    ) -> None:
        self.cover = SlotCover(v.problem)
        self.people = [_Person(v.problem, e, self.cover) for e in range(len(v.problem.employees))]
        self.master = _Master(self.cover, len(self.people))
        self.seed, self.attach, self.stopped = seed, attach, stopped
        # first columns: each person's best schedule with every row still to cover
        self.duals = [float(under) for _, under, _ in self.cover.rows]
        self.person_duals = [0.0] * len(self.people)
        self.bound: float | None = None
        self.rounds = 0

    def run(self, deadline: float) -> bool:
        """Rounds until no schedule prices below zero (returns True) or the deadline; the
        bound is kept from each complete round. When the first round shows that fewer than
        ROUNDS_TO_CONVERGE would fit in the time, the rounds end there."""
        required = [r for r, _, _ in self.cover.rows]
        started = time.monotonic()
        threads = min(PRICING_THREADS, len(self.people)) or 1
        with ThreadPoolExecutor(threads) as pool:
            while time.monotonic() < deadline and not self.stopped():
                left = deadline - time.monotonic()
                share = min(left, max(0.05, left * threads / max(1, len(self.people))))
                priced = list(pool.map(self._price, self.people, [share] * len(self.people)))
                if time.monotonic() > deadline or self.stopped():
                    return False  # a round cut short proves nothing
                self.rounds += 1
                least: float | None = 0.0
                added = 0
                for e, (columns, lower) in enumerate(priced):
                    for column in columns:
                        worth = sum(self.duals[n] for n in column.rows)
                        if self.rounds == 1 or column.cost - worth - self.person_duals[e] < -GAIN:
                            added += self.master.add(e, column)
                    least = None if least is None or lower is None else least + lower
                if least is not None:
                    bound = sum(d * r for d, r in zip(self.duals, required, strict=True)) + least
                    self.bound = bound if self.bound is None else max(self.bound, bound)
                if self.rounds > 1 and added == 0:
                    return True
                spent = time.monotonic() - started
                if self.rounds == 1 and spent * ROUNDS_TO_CONVERGE > deadline - started:
                    return False
                solved = self.master.solve()
                if solved is None:
                    return False
                self.duals, self.person_duals = solved
        return False

    def _price(self, person: _Person, seconds: float) -> tuple[list[Column], float | None]:
        if self.stopped():
            return [], None
        return person.price(self.duals, seconds, self.seed, self.attach)


# Rounds to converge, measured: Curtois Instance5 18, Instance7 22, Instance8 30 (from 16 people
# and 28 days to 30): rounds that cannot converge in the time leave a weak bound and columns
# that make poor rosters (Instance19 at 60 s: 2 rounds in 18 s, bound -13,605)
ROUNDS_TO_CONVERGE = 15
# People priced at once, each by a one-worker CP-SAT search (they release the interpreter)
PRICING_THREADS = os.cpu_count() or 1
PICK_SECONDS = 3.0  # Instance5: 1,143 (its optimum) in 2.9 s; Instance6: 2,148 in 4 s, 2,346
# in 8 s: a longer pick rarely gives a roster worth hinting (solve.COLUMNS_HINT_GAP)
PICK_WORKERS = 2  # measured on Curtois Instance5, 6.5 s: 1,146 with 2, 1,249 with 8, 1,267 with 1


def generate(
    v: Variables,
    seconds: float,
    seed: int = 0,
    attach: Callable[[cp_model.CpSolver], None] | None = None,
    stopped: Callable[[], bool] = lambda: False,
) -> Outcome:
    """Rounds of column generation until converged or `seconds` have passed; once converged,
    CP-SAT picks one column per person within PICK_SECONDS, hinted by each person's heaviest
    column in the LP (columns from rounds cut short make poor rosters: Curtois Instance8, 2,225
    against 1,622-1,809 from CP-SAT alone). `attach(solver)` is called before each CP-SAT search
    (to stop it from elsewhere); the rounds end when `stopped()`."""
    started = time.monotonic()
    gen = _Generation(v, seed, attach, stopped)
    converged = gen.run(started + seconds)
    shifts: Shifts = {}
    price: int | None = None
    if converged and not stopped():
        shifts, price = _pick(v, gen.master, gen.bound, PICK_SECONDS, seed, attach)
    return Outcome(gen.bound, shifts, price, gen.rounds, converged)


def _pick(
    v: Variables,
    master: _Master,
    bound: float | None,
    seconds: float,
    seed: int,
    attach: Callable[[cp_model.CpSolver], None] | None,
) -> tuple[Shifts, int | None]:
    """One column per person, least price: CP-SAT over the restricted master, hinted by
    each person's heaviest column in the LP."""
    values = master.values()
    model = cp_model.CpModel()
    chosen: list[list[cp_model.IntVar]] = []
    covered: list[list[cp_model.IntVar]] = [[] for _ in master.cover.rows]
    price: list = []
    for e, columns in enumerate(master.columns):
        if not columns:
            return {}, None
        lits = [model.new_bool_var(f"col{e}_{i}") for i in range(len(columns))]
        heaviest = max(range(len(columns)), key=values[e].__getitem__, default=0)
        for i, lit in enumerate(lits):
            model.add_hint(lit, i == heaviest)
        model.add_exactly_one(lits)
        chosen.append(lits)
        for lit, column in zip(lits, columns, strict=True):
            price.append(math.ceil(column.cost - 1e-9) * lit)
            for n in column.rows:
                covered[n].append(lit)
    for n, (required, under, over) in enumerate(master.cover.rows):
        on = sum(covered[n])
        short = model.new_int_var(0, required, f"under{n}")
        extra = model.new_int_var(0, len(covered[n]), f"over{n}")
        model.add(on - required == extra - short)
        price += [under * short, over * extra]
    if bound is not None:  # lets the search stop at a roster proven optimal
        model.add(sum(price) >= math.ceil(bound - 1e-6))
    model.minimize(sum(price))
    solver = new_solver(max(0.1, seconds), workers=PICK_WORKERS, seed=seed)
    solver.parameters.linearization_level = 2  # Instance5: 1,143 in 2.9 s, 1,159 without
    if attach is not None:
        attach(solver)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}, None
    shifts: Shifts = dict.fromkeys(v.x, False)
    for lits, columns in zip(chosen, master.columns, strict=True):
        for lit, column in zip(lits, columns, strict=True):
            if solver.boolean_value(lit):
                shifts.update(dict.fromkeys(column.shifts, True))
    return shifts, round(solver.objective_value)
