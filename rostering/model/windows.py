"""Large-neighbourhood search over time windows: from a legal roster, every person's shifts
on a few consecutive days are freed, the rest kept, and CP-SAT searches the full model for a
better roster. The windows go over the horizon in random order, each once a sweep. A window
whose search proves it holds no better roster is left until a better roster changes one of its
days; one whose search ends unproven gets twice the time at the next sweep, and is left after
TRIES. Leaving a window while the roster changes elsewhere is a guess: its fixed days changed,
and a person's limits over the horizon (shifts, minutes, weekends) may now let it do better.
It pays: Curtois Instance19 from a dive's 3,682, 240 s, seeds 0 and 1, 3,180 and 3,180,
against 3,277 and 3,182 when each better roster opened every window again; Instance13 from a
dive's 1,550, seeds 0-3: its optimum, 1,348, in 22, 24, 26 and 18 s (before, seeds 0-6: in
21-66 s five times, not within 90 s twice).
When every window is left, they grow; past LAST_DAYS only if every one was proven (on a small
horizon they grow to the whole of it, and the last search proves the roster optimal), else
they end and leave the time to the full search. Measured from Curtois Instance9's optimum
(439): windows of 5 and 7 days all proven in 5 s, of 9 days all but one in 16 s, and the
windows ended at 22 s; before, they grew to 11 and 13 days and searched until their deadline,
and the full search no longer had the time to prove 439 at 600 s (session 15). From a 1,448
roster of Instance13, each 5-day window searched for 3 s: 2 of 24 reached its optimum, 1,348,
13 were proven, 9 unproven; for 8 s: 3 reached it (one in 6.3 s).

A roster a few points above the optimum is often one short slot away from it, and mending
the slot moves shifts of several people around the same days: the main search's own
neighbourhoods rarely free just those. Measured from a dive's roster of Curtois Instance13
(1,550; optimum 1,348), before AT_SHORT: windows of 5 / 7 / 10 days, 3 / 5 / 8 s each,
reached 1,348 in 50 / 112 / 119 s, but in two more runs of 5 days 1,353 and 1,350 after
150 s; the main search from the same roster 1,448 in 140 s. With half the windows over a
short day, seeds 0 and 1: 1,348 in 31 and 48 s (none over one: 1,350 after 100 s, and 31 s).
"""

from __future__ import annotations

import random
import time
from collections import defaultdict
from collections.abc import Callable

from ortools.sat.python import cp_model

from rostering.model.build import BuiltModel
from rostering.model.columns import Judge
from rostering.model.others import Shifts
from rostering.model.pinned import Pinned

WINDOW_DAYS = 5  # the first windows' length
GROW = 2  # days more, once every window is proven or tried TRIES times without gain
LAST_DAYS = 9  # the windows end after this length, or a longer one, unless all were proven
WINDOW_SECONDS = 3.0  # each window's first search
LONGER = 2  # a window whose search ended unproven gets this many times more at its next one
TRIES = 2  # searches of a window ended unproven before it is left, until the roster changes
WINDOW_WORKERS = 8  # as the main search (rostering.solve.default_workers)
AT_SHORT = 0.5  # the share of windows drawn over a day with a slot left short, if any


class Windows:
    """The full model's copy (Pinned) and the slots whose shortfall draws windows."""

    def __init__(self, built: BuiltModel) -> None:
        self.pinned = Pinned(built)
        problem = built.variables.problem
        self.days = problem.days
        tiers = problem.model.tier_rank
        self.rank = [tiers(e.tier) for e in problem.employees]
        self.slots = [
            (r.day, r.shift_id, r.required, -1 if r.tier is None else tiers(r.tier))
            for r in problem.slot_demand or ()
        ]

    def short_days(self, shifts: Shifts) -> list[int]:
        """Days with a shift slot staffed below its demand."""
        on: defaultdict[tuple[int, str], list[int]] = defaultdict(list)
        for (e, d, sid), worked in shifts.items():
            if worked:
                on[(d, sid)].append(self.rank[e])
        short = {
            d
            for d, sid, required, tier in self.slots
            if sum(rank >= tier for rank in on[(d, sid)]) < required
        }
        return sorted(short)

    def search(
        self,
        shifts: Shifts,
        first: int,
        length: int,
        seconds: float,
        seed: int,
        attach: Callable[[cp_model.CpSolver], None] | None,
    ) -> Shifts | None:
        """The best roster found in `seconds` that keeps `shifts` outside days
        first .. first + length - 1, searched from `shifts`; None if none."""
        kept = {key: on for key, on in shifts.items() if not first <= key[1] < first + length}
        found = self.pinned.search(kept, shifts, seconds, WINDOW_WORKERS, seed, attach)
        return None if found is None else found[0]


def improve(
    built: BuiltModel,
    shifts: Shifts,
    price: int,
    judge: Judge,
    deadline: float,
    seed: int,
    attach: Callable[[cp_model.CpSolver], None] | None = None,
    done: Callable[[int], bool] = lambda price: False,
) -> tuple[Shifts, int]:
    """Windows (see the module) from `shifts`, priced `price`, until `deadline` or
    `done(price)`: the best roster and its price by `judge` (None: not legal), which is told
    of each roster found."""
    windows = Windows(built)
    rng = random.Random(seed)
    length = min(WINDOW_DAYS, windows.days)
    tries: dict[int, int] = {}  # per window (its first day): searches ended unproven
    closed: set[int] = set()  # windows proven to hold no better roster, none changed since
    sweep: list[int] = []  # the windows left to search in this sweep
    short = windows.short_days(shifts)
    while time.monotonic() < deadline and not done(price):
        if not sweep:  # each open window once, in random order
            every = range(windows.days - length + 1)
            sweep = [
                first for first in every if first not in closed and tries.get(first, 0) < TRIES
            ]
            if not sweep:  # every window proven or tried enough: they grow, or end
                proven = closed.issuperset(every)
                if length == windows.days or (length >= LAST_DAYS and not proven):
                    break
                length, tries, closed = min(windows.days, length + GROW), {}, set()
                sweep = list(range(windows.days - length + 1))
            rng.shuffle(sweep)
        over = [] if rng.random() >= AT_SHORT else _over(sweep, short, length, rng)
        first = rng.choice(over) if over else sweep[-1]
        sweep.remove(first)
        seconds = WINDOW_SECONDS * LONGER ** tries.get(first, 0)
        left = deadline - time.monotonic()
        found = windows.search(shifts, first, length, min(seconds, left), seed, attach)
        judged = None if found is None else judge(found)
        if found is not None and judged is not None and judged < price:
            moved = _changed(shifts, found, length)
            closed = {f for f in closed if not moved(f)}
            tries = {f: n for f, n in tries.items() if not moved(f)}
            shifts, price = found, judged
            short = windows.short_days(shifts)
        elif windows.pinned.proved:
            closed.add(first)
        else:
            tries[first] = tries.get(first, 0) + 1
    return shifts, price


def _changed(before: Shifts, after: Shifts, length: int) -> Callable[[int], bool]:
    """Whether the window of `length` days from a first day overlaps a day where `after`
    differs from `before`."""
    days = {key[1] for key, on in before.items() if after[key] != on}
    return lambda first: any(first <= d < first + length for d in days)


def _over(sweep: list[int], short: list[int], length: int, rng: random.Random) -> list[int]:
    """The windows of `sweep` over one day of `short` drawn at random (none if no day)."""
    if not short:
        return []
    day = rng.choice(short)
    return [first for first in sweep if first <= day < first + length]
