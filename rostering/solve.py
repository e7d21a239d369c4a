"""solve(problem, params) -> Result: build the CP-SAT model, search, read the roster back.

The search runs in a worker thread so that the calling thread stays responsive to
signals: `Stopper.stop()` (called from a SIGTERM/SIGINT handler, for instance) ends the
search and the best roster found so far is returned.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from rostering.domain import Assignment, Problem, Roster
from rostering.evaluate import Evaluation, evaluate
from rostering.model import columns, windows
from rostering.model.build import BuiltModel, build
from rostering.model.counts import bounds_every_roster, follow, plan_counts, usable
from rostering.model.hint import has_floors, hinted, independent, personal_roster
from rostering.model.others import Shifts
from rostering.model.search import new_solver
from rostering.model.variables import Variables


@dataclass(frozen=True)
class Progress:
    """One line of progress: a better roster was found, or a better bound proven outside the
    main search (the columns', the count plan's) for the best roster so far."""

    objective: int
    bound: float
    gap: float
    elapsed: float


@dataclass(frozen=True)
class SolveParams:
    time_limit: float = 60.0  # seconds, counted from `started` (loading included)
    seed: int = 0
    workers: int = 0  # 0 = default_workers()
    deterministic: bool = False
    started: float | None = None  # time.monotonic() when the run began; default: now
    log_search: bool = False
    relax: frozenset[str] = frozenset()  # hard families to make soft (see model.build)


@dataclass(frozen=True)
class Result:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN
    stop_reason: str  # optimal, time_limit, signal, infeasible
    objective: int | None
    best_bound: float | None
    roster: Roster | None
    penalties: dict[str, int]  # the solver's own view, per family
    timing: dict[str, float | None] = field(default_factory=dict)
    workers: int = 1
    relaxed_broken: int = 0  # relaxed constraints the roster breaks (with params.relax)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.best_bound is None:
            return None
        return gap(self.objective, self.best_bound)

    def is_feasible(self) -> bool:
        return self.roster is not None

    def cost(self) -> int | None:
        return self.objective


MIN_AUTO_WORKERS = 8
HUGE_MODEL_VARIABLES = 300_000
HUGE_MODEL_WORKERS = 1


def default_workers(shift_variables: int = 0) -> int:
    """Every core, and at least 8 search workers: CP-SAT's portfolio needs about 8 to run its
    LP-bound, LNS and local-search workers side by side. With 2 workers on the Curtois &
    Qu instances the rosters were as good but the proven bound was useless (5 vs 745 on
    Instance5 after 60 s), so the reported gap said nothing.

    Each worker holds its own copy of the model, so huge models get one: Curtois Instance24
    (1,153,516 shift variables) peaked at 20.5 GB with 8 workers, 9.0 GB with 2 and 5.6 GB
    with 1, with the same roster at 600 s (CP-SAT found none better in the time); on
    Instance23 (369,096) 8 workers found none better in 406 s either, and peaked at 8.1 GB."""
    if shift_variables >= HUGE_MODEL_VARIABLES:
        return min(os.cpu_count() or 1, HUGE_MODEL_WORKERS)
    return max(os.cpu_count() or 1, MIN_AUTO_WORKERS)


def gap(objective: float, bound: float) -> float:
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


class Stopper:
    """Ends a running search from another thread or a signal handler."""

    def __init__(self) -> None:
        self.requested = False
        self._solver: cp_model.CpSolver | None = None

    def attach(self, solver: cp_model.CpSolver) -> None:
        self._solver = solver
        if self.requested:
            solver.stop_search()

    def stop(self) -> None:
        self.requested = True
        if self._solver is not None:
            self._solver.stop_search()


class _Tracker:
    """Progress over the searches of one solve: the first roster's time, and a report for
    each roster better than every one before, and for the best one again at each better bound
    proven outside the main search."""

    def __init__(self, started: float, on_progress: Callable[[Progress], None] | None) -> None:
        self.started = started
        self.on_progress = on_progress
        self.first_solution: float | None = None
        self.best: int | None = None
        self.floor = 0.0  # a bound proven outside the main search (count plan, columns)

    def found(self, objective: int, bound: float) -> None:
        elapsed = time.monotonic() - self.started
        if self.first_solution is None:
            self.first_solution = elapsed
        if self.best is not None and objective >= self.best:
            return
        self.best = objective
        self._report(objective, max(bound, self.floor))

    def proved(self, bound: float) -> None:
        """A bound proven outside the main search; reported with the best roster so far (a
        roster found before its bound would otherwise keep a gap it no longer has)."""
        if bound <= self.floor:
            return
        self.floor = bound
        if self.best is not None:
            self._report(self.best, bound)

    def _report(self, objective: int, bound: float) -> None:
        if self.on_progress is not None:
            elapsed = time.monotonic() - self.started
            self.on_progress(Progress(objective, bound, gap(objective, bound), elapsed))

    def reached(self, objective: int) -> bool:
        """Whether `objective` meets the bound proven outside the main search: optimal."""
        return bool(self.floor) and objective <= math.ceil(self.floor - 1e-6)


class _Fallback:
    """The best legal roster found outside the main search (the personal hints, a pass of
    rosters following the count plan), judged by evaluate; the result when the main search
    finds none."""

    def __init__(self, problem: Problem, v: Variables, tracker: _Tracker, usable: bool) -> None:
        self.usable = usable  # False when extra constraints bind the roster (evaluate knows none)
        self.problem = problem
        self.v = v
        self.tracker = tracker
        self.shifts: Shifts = {}
        self.price: int | None = None
        self.latest: int | None = None  # the price of the roster offered last, legal or not

    def offer(self, shifts: Shifts) -> int:
        """Keep `shifts` if legal and better than the roster kept; returns its price."""
        return self._judged(shifts).objective

    def judge(self, shifts: Shifts) -> int | None:
        """`offer`, returning the price of a legal roster only (None otherwise)."""
        judged = self._judged(shifts)
        return judged.objective if judged.is_feasible() else None

    def _judged(self, shifts: Shifts) -> Evaluation:
        judged = evaluate(self.problem, _roster(self.v, shifts))
        self.latest = judged.objective
        better = self.price is None or judged.objective < self.price
        if self.usable and judged.is_feasible() and better:
            self.shifts, self.price = dict(shifts), judged.objective
            self.tracker.found(judged.objective, 0.0)
        return judged

    def while_gaining(self, stopper: Stopper) -> Callable[[Shifts], bool]:
        """A callback for passes of rosters: offer each pass's roster (one from outside the
        main search may break what that pass could not see, mentoring for instance); go on
        while each gains FOLLOW_MIN_GAIN on the last and no stop was requested."""
        prices: list[int] = []

        def on_pass(shifts: Shifts) -> bool:
            price = self.offer(shifts)
            better = not prices or price < prices[-1] * (1 - FOLLOW_MIN_GAIN)
            prices.append(price)
            return better and not stopper.requested

        return on_pass

    def offer_quietly(self, shifts: Shifts) -> bool:
        """`offer`, as a follow() pass callback that asks for no further pass."""
        self.offer(shifts)
        return False


class _Callback(cp_model.CpSolverSolutionCallback):
    """Reports each roster of the main search."""

    def __init__(self, tracker: _Tracker) -> None:
        super().__init__()
        self.tracker = tracker

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        self.tracker.found(objective, self.best_objective_bound)
        if self.tracker.reached(objective):
            self.stop_search()


def polish(built: BuiltModel, found: Shifts, seed: int) -> cp_model.CpSolver:
    """The same roster with its penalty variables at their least values.

    Penalty variables are bounded from below (unmet >= demand - staffed, ...), which keeps the
    LP relaxation strong; at the optimum they are exact, but a roster found before the search
    ended may carry slack. With every shift variable fixed, the rest is trivial for CP-SAT."""
    model = built.model
    for key, var in built.variables.x.items():
        model.add(var == int(found[key]))
    solver = new_solver(30.0, workers=1, seed=seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # cannot happen: the roster is one
        raise RuntimeError(f"polishing the roster failed: {solver.status_name(status)}")
    return solver


def _run(
    built: BuiltModel,
    seconds: float,
    deterministic_seconds: float | None,
    params: SolveParams,
    workers: int,
    stopper: Stopper,
    callback: _Callback,
) -> tuple[Any, cp_model.CpSolver]:
    """One CP-SAT search of the model as it stands, in a worker thread (signals stay with
    the caller). `deterministic_seconds`: a deterministic-time budget (--deterministic)."""
    solver = new_solver(seconds, workers, params.seed, deterministic_seconds)
    solver.parameters.catch_sigint_signal = False
    solver.parameters.log_search_progress = params.log_search
    stopper.attach(solver)
    outcome: dict[str, Any] = {}

    def run() -> None:
        outcome["status"] = solver.solve(built.model, callback)

    worker = threading.Thread(target=run, name="cp-sat", daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(timeout=0.1)
    status = outcome.get("status", cp_model.UNKNOWN)
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"CP-SAT rejected the model: {built.model.validate()}")
    return status, solver


WRITE_RESERVE = 0.5  # seconds kept back from the time limit for evaluating and writing
# and more for large models, whose roster takes seconds to polish, judge and write: Curtois
# Instance23 (369,096 shift variables) ended 6.6 s past its 600 s with 0.5 s kept back
RESERVE_PER_VARIABLE = 1.5e-5
# Large models whose people are independent get a first roster hinted person by person
# (rostering.model.hint): measured on Curtois Instance21 (100,646 shift variables, 90 s):
# no roster at all without it, a first roster at 35 s with it.
HINT_MIN_VARIABLES = 50_000
HINT_SHARE = 0.3  # at most this share of the time left goes to the hint
# and from 100,000 shift variables, where passes person by person gain more than the full
# search in the same time: Curtois Instance21 (100,646) at 90 s 41,369 with 0.9 against 47,646
# with 0.3, Instance22 (120,484) at 600 s 52,445 against 65,079; on Instances 23 and 24 at
# 600 s the full search found no roster better than the person-by-person one in its 400+ s
LARGE_HINT_VARIABLES = 100_000
LARGE_HINT_SHARE = 0.9
SLOT_HINT_MIN_VARIABLES = 5_000  # with shift-slot demand the hint prices coverage: from here
# Large models with interval demand first plan shift counts per class (rostering.model.counts),
# roster class by class against the plan, then search the full model from the best roster.
COUNTS_MIN_VARIABLES = 5_000
PLAN_SHARE = 0.05  # at most this share of the time left goes to the plan (it is small)
# Shares of the time for each pass of rosters following the plan. Measured on the bank week
# (480 engineers, 6 classes): a pass ends in about 10 s with each class at its optimum;
# first passes cut short (7 s) left rosters that later passes did not mend (27,876, then
# 17,705 after two more, against 15,345 then 15,075 from a complete first pass).
FOLLOW_PASSES = (0.25, 0.2, 0.15)
# Before them, one quick pass for an early first roster (bank week: 7.0 s instead of 10.7 s,
# final roster at 60 s unchanged within noise: 15,007 vs 15,059).
QUICK_PASS_SECONDS = 3.0
QUICK_PASS_SHARE = 0.1
# Before it, a first roster person by person, mentors first (rostering.model.hint), improved by
# passes until EARLY_SECONDS: measured on the bank week, everyone scheduled in 3.3 s, legal
# (305,820), then 38,321 and 20,779 after two passes; the quick pass only runs without it.
EARLY_SECONDS = 12.0
EARLY_SHARE = 0.15
# CP-SAT workers per class in those passes: measured on the bank week, one pass took 10.2 s
# with 2 workers, 13.8 s with 3 and 26 s with 8 (1 found no roster for the largest class).
FOLLOW_WORKERS = 2
FOLLOW_SHARE = PLAN_SHARE + QUICK_PASS_SHARE + sum(FOLLOW_PASSES)
FOLLOW_MIN_GAIN = 0.005  # passes stop when one improves the roster by less than this
# Models where coverage alone links people (rostering.model.columns) first get a bound and a
# roster by column generation, in at most this share of the time
COLUMNS_SHARE = 0.25
# and this share more when their bound proves anything (columns.MORE_GAP). Measured at 60 s
# (Curtois, one run each; 0.25 alone / 0.5 alone): Instance12 5,722 / 4,349 (bound 4,040),
# Instance14 2,336 / 1,278 proven optimal in 29 s, Instance16 5,558 / 3,227 (its best known
# 3,225), Instance17 6,911 / 6,922 (5,746, proven optimal, with 0.75); but Instance13 5,100 /
# 14,906 and Instance19 6,303 / 7,491, whose rounds were far from converging
COLUMNS_MORE_SHARE = 0.25
# and up to this share for their dive when their rosters are not proven optimal
# (columns._Generation.dive). Measured from the converged columns of Curtois Instances 15
# and 18, 150 s: 3,942 and 4,710; 600-s runs with it 4,049 and 4,584, without 4,141 and
# 5,474. At 60 s Instance11 gains (3,443, proven optimal in 22 s; 3,544) and 12 loses
# (4,475; 4,250: the main search's time). The dive also gets what the rounds left of their
# two shares (columns.generate), its steps converged: Instance13 at 600 s 1,448 (1,577-1,692
# before); at 60 s Instance8 1,499 and 12 4,668 lose (1,410 and 4,475 before). With 0.4
# instead of 0.25 (the dive then ends near nine tenths of the time), Instance13 at 600 s
# 1,348 (its optimum) and 1,350 (1,455 and 1,548 in two runs with 0.25: the main search after
# the dive found nothing better in 150 s, hinted with the dive's roster or not), Instance18
# 4,465 and 4,869 (4,576 and 4,584 in sessions 9 and 8: the dive's luck); at 60 s
# Instance8 1,304 (1,499), 12 4,642 (4,668), 7 1,057 (1,063), 6 1,951 (1,951), 5 1,148 (1,148
# with 0.25 in the same hour; 1,143 in session 9's run).
COLUMNS_DIVE_SHARE = 0.4
# but this share when the rounds did not converge (their bound within columns.NEAR_ENOUGH):
# the dive's LP then rises as it fixes people, and the full search needs the time. Instance19
# at 600 s (rounds stopped at 300 s, 0.3 % from the LP): the dive ended on 4,296 at 504 s, the
# run on 3,630 and 3,408 in two runs with 0.4; 3,371 with 0.25 (session 9). Either dive is
# dropped when it would be shorter than the rounds were (columns.DIVE_MIN_RATIO): Instance19's
# rounds now take some 280 s and its windows get the time (session 21)
COLUMNS_NEAR_DIVE_SHARE = 0.25
# and below this size: measured up to Curtois Instance19 (60 s) and Instance13 (120 people); the
# year-long Instances 21-24 keep their person-by-person passes (each person's model kept for
# the rounds would cost memory Instance24 cannot spare: rostering.model.hint.KEEP_MODELS_VARIABLES)
COLUMNS_MAX_VARIABLES = LARGE_HINT_VARIABLES
# Its roster is hinted to the main search only when within this of the bound: a poorer one
# holds the search near it (Instance6 at 60 s: 2,042 hinted with a roster of 2,148, 1,951
# without the hint)
COLUMNS_HINT_GAP = 0.02
PERSON_SHARE = 0.5  # of the time left after the class passes, for passes person by person
# Where demand is per shift slot, the best roster from the columns or the person-by-person
# passes is improved by windows of days (rostering.model.windows) in this share of the time
# left, the full search given the rest, below this size (the windows hold a model's copy).
# A roster from the columns goes to the windows without person-by-person passes: on Curtois
# Instance19 at 600 s (session 16) the passes took the dive's 3,682 to 3,477 in 40 s and the
# windows then found 3,471 in 60 s; the windows alone from the same 3,682 found 3,380 in 5.5 s
# and 3,277 in 166 s (seed 0), 3,381 in 1.8 s and 3,182 in 232 s (seed 1). The windows end on
# their own when they find nothing more (windows.LAST_DAYS), so they get most of the time:
# on Instance19 the full search after them found nothing in 67 s (4,183 at 600 s) while they
# had found a better roster every 10-20 s, 100 points short of the optimum each; on
# Instance13 nothing in 150 s (session 15). 0.95 was measured and not kept (session 18, 1-19 at
# 600 s, one run): 13 1,453 and 19 3,514 (1,451 and 3,469 with 0.8), and Instance5 proven at
# 573 s instead of 484 s
WINDOWS_SHARE = 0.8
# but at least this share of the time limit, when left: Curtois Instance13's dive ends near nine
# tenths of the 600 s, and its windows, which mend the dive's roster in 15-90 s, had 30 s
# (1,549 in session 15's run); the full search after them gained nothing in 150 s
WINDOWS_MIN_SHARE = 0.1
WINDOWS_MAX_VARIABLES = LARGE_HINT_VARIABLES  # measured up to Curtois Instance20 (39,130)


def solve(
    problem: Problem,
    params: SolveParams = SolveParams(),
    on_progress: Callable[[Progress], None] | None = None,
    stopper: Stopper | None = None,
    extra_constraints: Callable[[Variables], None] | None = None,
) -> Result:
    """Solve a problem within the time limit; never raises for an infeasible problem.
    `extra_constraints` may add constraints over the variables (tests pin rosters this way)."""
    started = params.started if params.started is not None else time.monotonic()
    built = build(problem, relax=params.relax)
    if extra_constraints is not None:
        extra_constraints(built.variables)
    v = built.variables

    reserve = WRITE_RESERVE + RESERVE_PER_VARIABLE * len(v.x)

    def left() -> float:
        return params.time_limit - (time.monotonic() - started) - reserve

    # --deterministic: budgets from --time-limit alone, not from the time left: the measured
    # build time varies from run to run, and budgets a few hundredths apart already give
    # different rosters. Results still depend on the number of workers (it decides which
    # strategies run), so pass --workers to reproduce a run on another machine.
    work = params.time_limit - WRITE_RESERVE if params.deterministic else None
    workers = params.workers or default_workers(len(v.x))
    stopper = stopper or Stopper()
    tracker = _Tracker(started, on_progress)
    fallback = _Fallback(problem, v, tracker, usable=extra_constraints is None)
    hint_started = time.monotonic()
    slots = problem.slot_demand is not None and not params.deterministic
    by_columns = not (params.deterministic or params.relax) and len(v.x) < COLUMNS_MAX_VARIABLES
    from_columns = False  # whether the columns gave a legal roster
    if by_columns and columns.applies(problem):
        budget = left() + reserve
        from_columns = _generate_columns(
            built, COLUMNS_SHARE * budget, COLUMNS_MORE_SHARE * budget,
            COLUMNS_DIVE_SHARE * budget, COLUMNS_NEAR_DIVE_SHARE * budget, params.seed,
            stopper, fallback,
        )  # fmt: skip
    by_windows = slots and len(v.x) < WINDOWS_MAX_VARIABLES
    if (
        independent(problem)
        and not (by_windows and fallback.price is not None)
        and (len(v.x) >= HINT_MIN_VARIABLES or (slots and len(v.x) >= SLOT_HINT_MIN_VARIABLES))
    ):
        share = LARGE_HINT_SHARE if len(v.x) >= LARGE_HINT_VARIABLES else HINT_SHARE
        personal_roster(
            problem, built, share * (left() + reserve), params.seed,
            fallback.while_gaining(stopper), stopper.attach,
            start=fallback.shifts or None,
            priced=len(v.x) < HUGE_MODEL_VARIABLES,  # Instance24: no roster in 600 s otherwise
        )  # fmt: skip
    if by_windows and fallback.price is not None:
        # windows of days from the best roster so far, then the full search from theirs
        hinted_before = len(built.model.proto.solution_hint.vars) > 0
        if not tracker.reached(fallback.price):
            windows.improve(
                built, fallback.shifts, fallback.price, fallback.judge,
                time.monotonic() + _windows_seconds(left(), params.time_limit),
                params.seed, stopper.attach,
                lambda price: stopper.requested or tracker.reached(price),
            )  # fmt: skip
        if hinted_before:  # by the person-by-person passes or the columns: now theirs
            hinted(built, fallback.shifts)
        else:
            _hint_near(built, fallback.shifts, fallback.price, tracker.floor)
    hint_seconds = time.monotonic() - hint_started
    build_done = time.monotonic()
    plan_price: int | None = None
    persons = not has_floors(problem) and not params.deterministic
    if from_columns and problem.interval_demand is not None:
        # from the columns' roster: person by person (mentoring kept), then the full search
        if persons and not (fallback.price is not None and tracker.reached(fallback.price)):
            personal_roster(problem, built, PERSON_SHARE * left(), params.seed,
                            fallback.while_gaining(stopper), stopper.attach,
                            start=fallback.shifts)  # fmt: skip
        hinted(built, fallback.shifts)
    elif usable(v, COUNTS_MIN_VARIABLES):
        total = left() if work is None else work
        plan = plan_counts(v, PLAN_SHARE * total, params.seed, workers, params.deterministic)
        if plan is not None and not stopper.requested:
            plan_price = plan.price
            if bounds_every_roster(problem):
                tracker.proved(plan.bound)
            # an early first roster person by person (or from a quick pass of the classes),
            # then passes that start afresh: passes hinted by a quick one stay close to it
            # (see FOLLOW_PASSES); then person by person again, then the full search
            if persons:  # legal when complete (mentors first)
                personal_roster(
                    problem, built, min(EARLY_SECONDS, EARLY_SHARE * total), params.seed,
                    fallback.while_gaining(stopper), stopper.attach,
                )  # fmt: skip
            if not fallback.shifts:
                quick = min(QUICK_PASS_SECONDS, QUICK_PASS_SHARE * total)
                follow(
                    v, plan, [quick], params.seed, FOLLOW_WORKERS, fallback.offer_quietly,
                    stopper.attach, params.deterministic,
                )  # fmt: skip
            passes = [share * total for share in FOLLOW_PASSES]
            last = follow(
                v, plan, passes, params.seed, FOLLOW_WORKERS, fallback.while_gaining(stopper),
                stopper.attach,
                params.deterministic,
            )  # fmt: skip
            start = fallback.shifts  # the class passes offered `last` last: its price is known
            if last and (not start or (fallback.latest or 0) < (fallback.price or 0)):
                start = last  # priced lower, but breaks mentoring: the passes mend it
            if start and persons:
                # then person by person from the best roster, mentoring kept or mended
                personal_roster(problem, built, PERSON_SHARE * left(), params.seed,
                                fallback.while_gaining(stopper), stopper.attach,
                                start=start)  # fmt: skip
            hinted(built, fallback.shifts or last)
    follow_done = time.monotonic()
    status, solver = cp_model.UNKNOWN, cp_model.CpSolver()
    if not stopper.requested and not (fallback.price and tracker.reached(fallback.price)):
        rest = None if work is None else work * (1 - FOLLOW_SHARE if plan_price else 1)
        status, solver = _run(built, left(), rest, params, workers, stopper, _Callback(tracker))
    solved = time.monotonic()
    timing = {
        "build_seconds": round(build_done - started, 3),
        "follow_seconds": round(follow_done - build_done, 3),
        "search_seconds": round(solved - follow_done, 3),
        "hint_seconds": round(hint_seconds, 3),
        "first_solution_seconds": (
            round(tracker.first_solution, 3) if tracker.first_solution is not None else None
        ),
    }
    if plan_price is not None:
        timing["plan_price"] = plan_price
        timing["plan_bound"] = tracker.floor or None
    found_now = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if status == cp_model.OPTIMAL:
        name, reason = "OPTIMAL", "optimal"
    elif status == cp_model.INFEASIBLE:
        name, reason = "INFEASIBLE", "infeasible"
    else:
        name = "FEASIBLE" if found_now or fallback.shifts else "UNKNOWN"
        reason = "signal" if stopper.requested else "time_limit"
    if not found_now and not fallback.shifts:
        return Result(name, reason, None, None, None, {}, timing, workers)  # type: ignore[arg-type]
    search_bound: float | None = solver.best_objective_bound if found_now else None
    if tracker.floor and (search_bound is None or tracker.floor > search_bound):
        search_bound = tracker.floor  # the plan proved more than the search
    shifts = fallback.shifts  # never better than an optimal search: the model admits it too
    if found_now and not _worse(solver, fallback.price):
        shifts = {key: solver.boolean_value(var) for key, var in v.x.items()}
    roster = _roster(v, shifts)
    final = solver if status == cp_model.OPTIMAL else polish(built, shifts, params.seed)
    penalties = {name_: int(final.value(expr)) for name_, expr in built.penalties.items()}
    broken = sum(final.boolean_value(var) for _, var in v.relaxed)
    objective = sum(penalties.values())  # the relaxation price is not part of it
    bound: float | None = objective if status == cp_model.OPTIMAL else search_bound
    if tracker.reached(objective) and not params.relax:  # proven outside the main search
        name, reason, bound = "OPTIMAL", "optimal", objective
    if params.relax:
        bound = None  # the solver's bound covers the relaxation price too
    return Result(name, reason, objective, bound, roster, penalties, timing, workers, broken)


def _generate_columns(
    built: BuiltModel,
    seconds: float,
    more: float,
    dive: float,
    near_dive: float,
    seed: int,
    stopper: Stopper,
    fallback: _Fallback,
) -> bool:
    """Column generation (rostering.model.columns): its proven bound bounds the run (the main
    search stops at a roster reaching it); each roster it finds on the way is offered as it
    comes, and it compares them on evaluate's prices; its best is hinted when close to the
    bound. Returns whether that roster was kept (legal, the best so far). `dive`,
    `near_dive`: the dive's time after rounds that converged, and after rounds that did
    not."""
    outcome = columns.generate(
        built.variables, seconds, seed, stopper.attach, lambda: stopper.requested, more, dive,
        fallback.judge, near_dive,
        proved=lambda bound: fallback.tracker.proved(math.ceil(bound - 1e-6)),  # whole prices
    )  # fmt: skip
    price = outcome.price  # evaluate's (fallback.judge)
    if not outcome.shifts or price is None:
        return False
    _hint_near(built, outcome.shifts, price, outcome.bound)
    return fallback.shifts == outcome.shifts


def _windows_seconds(left: float, limit: float) -> float:
    """The windows' time: WINDOWS_SHARE of the time left, at least WINDOWS_MIN_SHARE of the
    limit, at most what is left."""
    return min(left, max(WINDOWS_SHARE * left, WINDOWS_MIN_SHARE * limit))


def _hint_near(built: BuiltModel, shifts: Shifts, price: int, bound: float | None) -> None:
    """Hint `shifts` to the main search if priced within COLUMNS_HINT_GAP of `bound`."""
    if bound is not None and price <= (1 + COLUMNS_HINT_GAP) * bound:
        hinted(built, shifts)


def _worse(solver: cp_model.CpSolver, price: int | None) -> bool:
    """Whether the search's roster is priced above `price` (the best roster from outside it).
    The search may end on a roster worse than its hint: on Curtois Instance23 at 600 s CP-SAT
    (369,096 shift variables, 8 workers) ended on 104,299 while the person-by-person roster it
    was hinted with cost 83,063. Its objective value bounds its polished price from above."""
    return price is not None and round(solver.objective_value) > price


def _roster(v: Variables, shifts: Shifts) -> Roster:
    return Roster(
        assignments=tuple(
            Assignment(employee_id=v.employees[e].id, day=d, shift_id=sid)
            for (e, d, sid), on in shifts.items()
            if on
        )
    )
