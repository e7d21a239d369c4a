"""Large-neighbourhood search over time windows: from a legal roster, every person's shifts
on a few consecutive days are freed, the rest kept, and CP-SAT searches the full model for a
better roster. The windows go over the horizon in random order, each once a sweep; after as
many windows in a row without a better roster as there are windows, they grow.

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
GROW = 2  # days more, after as many windows in a row without gain as there are windows
WINDOW_SECONDS = 3.0  # each window's search
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
    starts: list[int] = []
    unimproved = 0  # windows in a row without a better roster
    short = windows.short_days(shifts)
    while time.monotonic() < deadline and not done(price):
        if unimproved > windows.days - length:  # as many as there are windows: grow them
            if length == windows.days:
                break
            length, unimproved, starts = min(windows.days, length + GROW), 0, []
        if not starts:  # each window once, in random order
            starts = list(range(windows.days - length + 1))
            rng.shuffle(starts)
        if short and rng.random() < AT_SHORT:  # a window over a day left short
            day = rng.choice(short)
            first = rng.randint(max(0, day - length + 1), min(day, windows.days - length))
        else:
            first = starts.pop()
        left = deadline - time.monotonic()
        found = windows.search(shifts, first, length, min(WINDOW_SECONDS, left), seed, attach)
        judged = None if found is None else judge(found)
        unimproved += 1
        if found is not None and judged is not None and judged < price:
            shifts, price, unimproved = found, judged, 0
            short = windows.short_days(shifts)
    return shifts, price
