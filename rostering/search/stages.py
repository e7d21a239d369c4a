"""The search's stages. Each says when it `applies` to the state so far and `runs` within the
budget; a route (rostering.search.route) runs them in order. docs/ARCHITECTURE.md has the
table of which stage runs for which demand and size."""

from __future__ import annotations

import math
import time
from typing import Protocol

from rostering.model.breaks import BreakKey
from rostering.model.build import BuiltModel
from rostering.search import columns, time_slices, windows
from rostering.search.budget import Budget
from rostering.search.count_plan import bounds_every_roster, follow, plan_counts, usable
from rostering.search.full_search import search
from rostering.search.marginal_price import Shifts
from rostering.search.params import SlicesParams, WindowsParams
from rostering.search.person_passes import (
    hinted,
    independent,
    passes_keep_legal,
    personal_roster,
)
from rostering.search.state import State


class Stage(Protocol):
    name: str

    def applies(self, state: State, budget: Budget) -> bool: ...

    def run(self, state: State, budget: Budget) -> None: ...


def _shifts_alone(state: State) -> bool:
    """Whether no shift type has breaks. With breaks, the stages whose bound or roster needs
    the price of shifts alone do not run: the windows. The column generation's master and
    the count plan count breaks per tier like the model; the passes price shifts without
    them and the judge places each roster's breaks (rostering.model.breaks.greedy, or the
    columns' pick's counts) before pricing it."""
    return not state.problem.model.has_breaks


def _size(state: State) -> int:
    return len(state.v.x)


def _slots(state: State, budget: Budget) -> bool:
    """Shift-slot demand, searched by windows of days (not with --deterministic)."""
    return state.problem.slot_demand is not None and not budget.deterministic


def _person_passes_keep(state: State, budget: Budget) -> bool:
    """Person-by-person passes run: they keep the roster legal; not deterministic."""
    return passes_keep_legal(state.problem) and not budget.deterministic


def hint_near(
    built: BuiltModel,
    shifts: Shifts,
    price: int,
    bound: float | None,
    gap: float,
    breaks: dict[BreakKey, int] | None = None,
) -> None:
    """Hint `shifts` (with their break counts `breaks`, if given) to the full search if
    priced within `gap` of `bound`: a poorer roster holds the search near it."""
    if bound is not None and price <= (1 + gap) * bound:
        hinted(built, shifts, breaks)


class Published:
    """`repair`: the published roster (days before --from as published) is offered first and
    hinted to the searches after it, so a repair starts from it; where it is still legal, it
    is the first roster found."""

    name = "published"

    def applies(self, state: State, budget: Budget) -> bool:
        return state.problem.published is not None

    def run(self, state: State, budget: Budget) -> None:
        published = state.problem.published
        assert published is not None
        index = {emp.id: e for e, emp in enumerate(state.problem.employees)}
        worked = {(index[a.employee_id], a.day, a.shift_id) for a in published.assignments}
        shifts = {key: key in worked for key in state.v.x}
        state.offer(shifts)
        hinted(state.built, shifts)


class Columns:
    """Column generation (rostering.search.columns): a proven bound and rosters, where
    coverage alone links people. Its roster is hinted when near its bound. With hard fairness
    limits the bound still holds (they only remove rosters); a roster breaking them is
    dropped by the judge."""

    name = "columns"

    @staticmethod
    def fits(state: State, budget: Budget) -> bool:
        return (
            not (budget.deterministic or state.relaxed)
            and _size(state) < budget.params.sizes.large
            and columns.applies(state.problem)
            and not Slices.fits(state, budget)
        )

    def applies(self, state: State, budget: Budget) -> bool:
        return self.fits(state, budget)

    def run(self, state: State, budget: Budget) -> None:
        p = budget.params.columns
        total = budget.total()
        outcome = columns.generate(
            state.v, p.share * total, budget, p.more_share * total, p.dive_share * total,
            state.judge, p.near_dive_share * total,
            proved=lambda bound: state.tracker.proved(math.ceil(bound - 1e-6)),  # whole prices
        )  # fmt: skip
        if not outcome.shifts or outcome.price is None:
            return
        hint_near(state.built, outcome.shifts, outcome.price, outcome.bound, p.hint_gap,
                  outcome.breaks)  # fmt: skip
        state.from_columns = state.shifts == outcome.shifts


class EarlyRoster:
    """Long horizons where the column generation applies: a roster person by person before
    its rounds, within seconds, since its first roster comes only from a dive after them."""

    name = "early_roster"

    def applies(self, state: State, budget: Budget) -> bool:
        p = budget.params.columns
        return (
            Columns.fits(state, budget)
            and independent(state.problem)
            and state.problem.days >= 7 * p.early_weeks
            and not state.shifts
        )

    def run(self, state: State, budget: Budget) -> None:
        p = budget.params.columns
        seconds = min(p.early_seconds, p.early_share * budget.total())
        personal_roster(state.problem, state.built, seconds, budget, state.while_gaining(budget))


class PersonFirst:
    """A first roster person by person, each person's schedule found alone (their union is
    legal: no hard rule links two people), improved by passes while they gain."""

    name = "person_first"

    def applies(self, state: State, budget: Budget) -> bool:
        sizes = budget.params.sizes
        size = _size(state)
        return (
            independent(state.problem)
            and not (Windows.fits(state, budget) and state.price is not None)
            and (
                size >= sizes.person_first
                or (_slots(state, budget) and size >= sizes.slot_person_first)
            )
        )

    def run(self, state: State, budget: Budget) -> None:
        sizes, p = budget.params.sizes, budget.params.passes
        share = p.large_first_share if _size(state) >= sizes.large else p.first_share
        on_pass, first = state.while_gaining(budget), None
        if Slices.fits(state, budget):  # the weeks' windows take over when passes gain less
            s = budget.params.slices
            on_pass, first = state.while_gaining(budget, s.pass_gain), s.first_seconds
        personal_roster(
            state.problem, state.built, share * budget.total(), budget, on_pass,
            start=state.shifts or None, priced=_size(state) < sizes.huge, first_seconds=first,
        )  # fmt: skip


class Windows:
    """Windows of days (rostering.search.windows) from the best roster so far; the full
    search is then hinted with theirs."""

    name = "windows"

    @staticmethod
    def fits(state: State, budget: Budget) -> bool:
        return (
            _slots(state, budget)
            and _shifts_alone(state)
            and _size(state) < budget.params.sizes.large
            and not Slices.fits(state, budget)
        )

    def applies(self, state: State, budget: Budget) -> bool:
        return self.fits(state, budget) and state.price is not None

    def run(self, state: State, budget: Budget) -> None:
        built, tracker = state.built, state.tracker
        hinted_before = len(built.model.proto.solution_hint.vars) > 0
        if state.price is not None and not state.reached():
            seconds = windows_seconds(budget.left(), budget.time_limit, budget.params.windows)
            windows.improve(
                windows.Windows(built), state.shifts, state.price, state.judge,
                time.monotonic() + seconds, budget,
                lambda price: budget.stopped or tracker.reached(price),
            )  # fmt: skip
        if hinted_before:  # by the person-by-person passes or the columns: now theirs
            hinted(built, state.shifts)
        elif state.price is not None:
            hint_near(built, state.shifts, state.price, tracker.floor,
                      budget.params.columns.hint_gap)  # fmt: skip


class Slices:
    """Windows of weeks, each a problem of its own (rostering.search.time_slices), from the
    best roster so far: long horizons, where a window of the full model presolves the whole
    horizon each time and column generation over it does not converge."""

    name = "slices"

    @staticmethod
    def fits(state: State, budget: Budget) -> bool:
        weeks = state.problem.days / 7
        return (
            _slots(state, budget)
            and weeks >= budget.params.slices.min_weeks
            and _size(state) < budget.params.sizes.huge
            and time_slices.applies(state.problem)
        )

    def applies(self, state: State, budget: Budget) -> bool:
        return self.fits(state, budget) and state.price is not None and not state.reached()

    def run(self, state: State, budget: Budget) -> None:
        assert state.price is not None
        p = budget.params.slices
        slices = time_slices.Slices(state.problem, p.rounds_seconds, p.dive_seconds)
        end = time.monotonic() + budget.left() - state.judging  # for judging the last window
        windows.improve(
            slices, state.shifts, state.price, state.judge, end, budget,
            lambda price: budget.stopped or state.tracker.reached(price), weeks_of(p),
        )  # fmt: skip
        hinted(state.built, state.shifts)


def weeks_of(p: SlicesParams) -> WindowsParams:
    """The windows of weeks as windows of units, growing by a week once every one is left."""
    return WindowsParams(
        days=p.weeks, grow=1, last_days=p.weeks + 1, seconds=p.seconds, longer=p.longer,
        tries=p.tries, at_short=p.at_short,
    )  # fmt: skip


def windows_seconds(left: float, limit: float, p: WindowsParams) -> float:
    """The windows' time: `share` of the time `left`, at least `min_share` of the `limit`, at
    most what is left."""
    return min(left, max(p.share * left, p.min_share * limit))


class PersonPasses:
    """From the columns' roster with interval demand: each person rescheduled in turn against
    what everyone else leaves (mentoring kept), then the full search hinted with the result."""

    name = "person_passes"

    def applies(self, state: State, budget: Budget) -> bool:
        return state.from_columns and state.problem.interval_demand is not None

    def run(self, state: State, budget: Budget) -> None:
        if _person_passes_keep(state, budget) and not state.reached():
            personal_roster(
                state.problem, state.built, budget.params.passes.after_share * budget.left(),
                budget, state.while_gaining(budget), start=state.shifts,
            )  # fmt: skip
        hinted(state.built, state.shifts, state.breaks)


class CountPlan:
    """Large weeks with interval demand: a plan of shift counts per class (its price bounds
    every roster where no penalty can be negative), an early roster person by person (or a
    quick class pass), passes rostering class by class against the plan, then person-by-person
    passes from the best roster; the full search is hinted with it."""

    name = "count_plan"

    def applies(self, state: State, budget: Budget) -> bool:
        after_columns = state.from_columns and state.problem.interval_demand is not None
        repair = state.problem.published is not None  # its classes know no change price
        return not (after_columns or repair) and usable(state.v, budget.params.sizes.count_plan)

    def run(self, state: State, budget: Budget) -> None:
        p, passes = budget.params.count_plan, budget.params.passes
        problem, built, v = state.problem, state.built, state.v
        total = budget.left() if budget.work is None else budget.work
        plan = plan_counts(v, p.plan_share * total, budget)
        if plan is None or budget.stopped:
            return
        state.plan_price = plan.price
        if bounds_every_roster(problem):
            state.tracker.proved(plan.bound)
        persons = _person_passes_keep(state, budget)
        if persons:  # legal when complete (mentors first)
            early = min(p.early_seconds, p.early_share * total)
            personal_roster(problem, built, early, budget, state.while_gaining(budget))
        if not state.shifts:
            quick = min(p.quick_seconds, p.quick_share * total)
            follow(v, plan, [quick], budget, state.offer_quietly)
        # passes that start afresh: passes hinted by a quick one stay close to it
        last = follow(v, plan, [share * total for share in p.passes], budget,
                      state.while_gaining(budget))  # fmt: skip
        start = state.shifts  # the class passes offered `last` last: its price is known
        if last and (not start or (state.latest or 0) < (state.price or 0)):
            start = last  # priced lower, but breaks mentoring: the passes mend it
        if start and persons:
            personal_roster(problem, built, passes.after_share * budget.left(), budget,
                            state.while_gaining(budget), start=start)  # fmt: skip
        hinted(built, state.shifts or last)


class FullSearch:
    """CP-SAT on the full model, hinted by the stages before, until the time is up or a
    roster reaches the bound they proved."""

    name = "full_search"

    def applies(self, state: State, budget: Budget) -> bool:
        return not budget.stopped and not state.reached()

    def run(self, state: State, budget: Budget) -> None:
        work = budget.work
        if work is not None and state.plan_price:
            work *= 1 - budget.params.count_plan.share
        state.search = search(state.built, budget, state.tracker, work)
