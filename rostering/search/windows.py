"""Large-neighbourhood search over time windows: from a legal roster, every person's shifts
on a few consecutive days are freed, the rest kept, and CP-SAT searches the full model for a
better roster (Windows; rostering.search.time_slices cuts the horizon in weeks instead, each
window a problem of its own: the same search over other units). The windows go over the
horizon in random order, each once a sweep; a share of them (`at_short`) is drawn over a day
with a slot left short, since a roster a few points above the optimum is often one short slot
away from it, and mending it moves shifts of several people around the same days, which the
main search's own neighbourhoods rarely free.

A window whose search proves it holds no better roster is left until a better roster changes
one of its days; one whose search ends unproven gets `longer` times the time at the next
sweep, and is left after `tries`. Leaving a window while the roster changes elsewhere is a
guess (its fixed days changed, and a person's limits over the horizon may now let it do
better), measured to pay. When every window is left, they grow; past `last_days` only if
every one was proven (on a small horizon they grow to the whole of it, and the last search
proves the roster optimal), else they end and leave the time to the full search.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Protocol

from rostering.model.build import BuiltModel
from rostering.search.budget import Budget
from rostering.search.columns import Judge
from rostering.search.marginal_price import Shifts
from rostering.search.params import WindowsParams
from rostering.search.pinned_model import Pinned
from rostering.search.time_slices import short_days


class Neighbourhoods(Protocol):
    """Windows over a horizon cut in `units` (days, weeks): each search frees the roster's
    units first .. first + length - 1 and keeps the rest."""

    units: int

    @property
    def proved(self) -> bool:
        """Whether the last search proved its window holds no better roster."""
        ...

    def unit(self, day: int) -> int: ...

    def short(self, shifts: Shifts) -> list[int]:
        """Units with a shift slot staffed below its demand."""
        ...

    def search(
        self, shifts: Shifts, first: int, length: int, seconds: float, budget: Budget
    ) -> Shifts | None: ...


class Windows:
    """Windows of days on the full model's copy (Pinned)."""

    def __init__(self, built: BuiltModel) -> None:
        self.pinned = Pinned(built)
        self.problem = built.variables.problem
        self.units = self.problem.days

    @property
    def proved(self) -> bool:
        return self.pinned.proved

    def unit(self, day: int) -> int:
        return day

    def short(self, shifts: Shifts) -> list[int]:
        return short_days(self.problem, shifts)

    def search(
        self,
        shifts: Shifts,
        first: int,
        length: int,
        seconds: float,
        budget: Budget,
    ) -> Shifts | None:
        """The best roster found in `seconds` that keeps `shifts` outside days
        first .. first + length - 1, searched from `shifts`; None if none."""
        kept = {key: on for key, on in shifts.items() if not first <= key[1] < first + length}
        found = self.pinned.search(kept, shifts, seconds, budget)
        return None if found is None else found[0]


def improve(
    windows: Neighbourhoods,
    shifts: Shifts,
    price: int,
    judge: Judge,
    deadline: float,
    budget: Budget | None = None,
    done: Callable[[int], bool] = lambda price: False,
    params: WindowsParams | None = None,
) -> tuple[Shifts, int]:
    """Windows (see the module) from `shifts`, priced `price`, until `deadline` or
    `done(price)`: the best roster and its price by `judge` (None: not legal), which is told
    of each roster found. `params`: the budget's windows of days unless given."""
    budget = budget or Budget.free()
    p = params or budget.params.windows
    rng = random.Random(budget.seed)
    length = min(p.days, windows.units)
    tries: dict[int, int] = {}  # per window (its first unit): searches ended unproven
    closed: set[int] = set()  # windows proven to hold no better roster, none changed since
    sweep: list[int] = []  # the windows left to search in this sweep
    short = windows.short(shifts)
    while time.monotonic() < deadline and not done(price):
        if not sweep:  # each open window once, in random order
            every = range(windows.units - length + 1)
            sweep = [
                first for first in every if first not in closed and tries.get(first, 0) < p.tries
            ]
            if not sweep:  # every window proven or tried enough: they grow, or end
                proven = closed.issuperset(every)
                if length == windows.units or (length >= p.last_days and not proven):
                    break
                length, tries, closed = min(windows.units, length + p.grow), {}, set()
                sweep = list(range(windows.units - length + 1))
            rng.shuffle(sweep)
        over = [] if rng.random() >= p.at_short else _over(sweep, short, length, rng)
        first = rng.choice(over) if over else sweep[-1]
        sweep.remove(first)
        seconds = p.seconds * p.longer ** tries.get(first, 0)
        left = deadline - time.monotonic()
        found = windows.search(shifts, first, length, min(seconds, left), budget)
        judged = None if found is None else judge(found)
        if found is not None and judged is not None and judged < price:
            moved = _changed(shifts, found, length, windows.unit)
            closed = {f for f in closed if not moved(f)}
            tries = {f: n for f, n in tries.items() if not moved(f)}
            shifts, price = found, judged
            short = windows.short(shifts)
        elif windows.proved:
            closed.add(first)
        else:
            tries[first] = tries.get(first, 0) + 1
    return shifts, price


def _changed(
    before: Shifts, after: Shifts, length: int, unit: Callable[[int], int]
) -> Callable[[int], bool]:
    """Whether the window of `length` units from a first unit overlaps a unit where `after`
    differs from `before`."""
    units = {unit(key[1]) for key, on in before.items() if after[key] != on}
    return lambda first: any(first <= u < first + length for u in units)


def _over(sweep: list[int], short: list[int], length: int, rng: random.Random) -> list[int]:
    """The windows of `sweep` over one day of `short` drawn at random (none if no day)."""
    if not short:
        return []
    day = rng.choice(short)
    return [first for first in sweep if first <= day < first + length]
