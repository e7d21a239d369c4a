"""Which stages search a problem, in which order, by its kind of demand. Each stage runs only
where it applies (rostering.search.stages); every one run is recorded with its seconds and
the best objective after it."""

from __future__ import annotations

import time

from rostering.domain import Problem
from rostering.search.budget import Budget
from rostering.search.stages import (
    Columns,
    CountPlan,
    EarlyRoster,
    FullSearch,
    PersonFirst,
    PersonPasses,
    Published,
    Slices,
    Stage,
    Windows,
)
from rostering.search.state import StageRecord, State

# `published` runs for `repair` only (a published roster to start from)
ROUTES: dict[str, tuple[Stage, ...]] = {
    # cover.csv: headcount per shift slot (the benchmark literature's form)
    "slots": (
        Published(),
        EarlyRoster(),
        Columns(),
        PersonFirst(),
        Windows(),
        Slices(),
        FullSearch(),
    ),
    # forecast.csv or requirements.csv: headcount per interval (or no demand at all)
    "intervals": (Published(), Columns(), PersonFirst(), PersonPasses(), CountPlan(), FullSearch()),
}


def demand_kind(problem: Problem) -> str:
    return "slots" if problem.slot_demand is not None else "intervals"


def run_route(state: State, budget: Budget) -> None:
    """Run the problem's route: each stage that applies, in order, until a stop."""
    for stage in ROUTES[demand_kind(state.problem)]:
        if budget.stopped:
            break  # a signal: the best roster so far is the result
        if not stage.applies(state, budget):
            continue
        began = time.monotonic()
        stage.run(state, budget)
        record = StageRecord(stage.name, time.monotonic() - began, state.tracker.best)
        state.route.append(record)
