"""What everyone else's schedule leaves one person: the coverage price of each of their
shifts, and the mentoring they must keep or may not break.

The counts follow a roster as people are rescheduled one at a time (rostering.search.person_passes):
`move(shifts, 1)` counts a person's shifts in, `move(shifts, -1)` out. With one person out,
`price(e, day, shift)` is exactly what that shift adds to the site's coverage price, the same
price as the full model's (rostering.model.rules.coverage), and `MentorWatch.constrain` bounds
that person's schedule so that mentoring still holds with everyone else as they are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Protocol

from ortools.sat.python import cp_model

from rostering.domain import Problem
from rostering.model.duty import breakpoints, previous_spans, span_of, windows
from rostering.model.price import IntervalPrice, slot_rows
from rostering.model.variables import Variables

Key = tuple[int, int, str]  # (employee, day, shift id)
Shifts = dict[Key, bool]  # on duty or not


class Coverage(Protocol):
    def move(self, shifts: Shifts, step: int) -> None: ...

    def price(self, e: int, day: int, shift_id: str) -> int: ...


class SlotCover:
    """The shift-slot rows (cover.csv) and how many people count toward each right now;
    priced by rostering.model.price."""

    def __init__(self, problem: Problem) -> None:
        rank = {t: i for i, t in enumerate(problem.model.tiers)}
        self.ranks = [rank[emp.tier] for emp in problem.employees]
        self.rows = slot_rows(problem)
        self.at: dict[tuple[int, str], list[tuple[int, int]]] = {}  # slot -> (row, least rank)
        for n, row in enumerate(self.rows):
            self.at.setdefault((row.day, row.shift_id), []).append((n, row.least))
        self.count = [0] * len(self.rows)

    def rows_of(self, e: int, day: int, shift_id: str) -> list[int]:
        return [n for n, least in self.at.get((day, shift_id), ()) if self.ranks[e] >= least]

    def move(self, shifts: Shifts, step: int) -> None:
        for (e, day, shift_id), on in shifts.items():
            if on:
                for n in self.rows_of(e, day, shift_id):
                    self.count[n] += step

    def price(self, e: int, day: int, shift_id: str) -> int:
        total = 0
        for n in self.rows_of(e, day, shift_id):
            row = self.rows[n]
            total += row.of_count(self.count[n] + 1) - row.of_count(self.count[n])
        return total

    def total(self) -> int:
        """The coverage price of the counts as they stand."""
        return sum(row.of_count(n) for row, n in zip(self.rows, self.count, strict=True))


class _Windows:
    """Which windows [bounds[i], bounds[i+1]) each possible shift spans whole, and who is on
    duty in each from previous.csv (the same windows as the full model's, duty.windows)."""

    def __init__(self, v: Variables, bounds: list[int]) -> None:
        spans: list[tuple[Hashable, int, int, int]] = [
            (key, *span_of(v, key[1], key[2]), 1) for key in v.x
        ]
        spans += [(e, start, end, 1) for e, start, end, _ in previous_spans(v)]
        self.size = len(bounds) - 1
        self.covering: dict[Hashable, list[int]] = defaultdict(list)
        self.fixed: list[list[int]] = [[] for _ in range(self.size)]
        for i, window in enumerate(windows(spans, bounds)):
            for owner, _ in window:
                if isinstance(owner, int):
                    self.fixed[i].append(owner)
                else:
                    self.covering[owner].append(i)

    def on(self, shifts: Shifts) -> Iterable[tuple[int, int]]:
        """(employee, window) for every window the shifts on duty span."""
        for key, on in shifts.items():
            if on:
                for i in self.covering.get(key, ()):
                    yield key[0], i


class IntervalCover:
    """The demand grid (forecast or demand.csv) and how many of each tier are on duty in
    each interval right now; priced by rostering.model.price."""

    def __init__(self, v: Variables) -> None:
        problem = v.problem
        grid = problem.model.interval_minutes or 60
        self.cost = IntervalPrice(problem)
        rank = {t: i for i, t in enumerate(problem.model.tiers)}
        self.ranks = [rank[emp.tier] for emp in problem.employees]
        self.windows = _Windows(v, list(range(0, problem.priced_minutes + 1, grid)))
        self.on_duty = [[0] * len(rank) for _ in range(self.windows.size)]
        for i, people in enumerate(self.windows.fixed):
            for e in people:
                self.on_duty[i][self.ranks[e]] += 1

    def move(self, shifts: Shifts, step: int) -> None:
        for e, i in self.windows.on(shifts):
            self.on_duty[i][self.ranks[e]] += step

    def price(self, e: int, day: int, shift_id: str) -> int:
        rank = self.ranks[e]
        total = 0
        for i in self.windows.covering.get((e, day, shift_id), ()):
            before = self.cost.of_counts(i, self.on_duty[i])
            self.on_duty[i][rank] += 1
            total += self.cost.of_counts(i, self.on_duty[i]) - before
            self.on_duty[i][rank] -= 1
        return total


def coverage_of(v: Variables) -> Coverage:
    """The coverage bookkeeping of the problem's demand (none: every price is 0)."""
    if v.problem.interval_demand is not None and v.problem.slot_demand is None:
        return IntervalCover(v)
    return SlotCover(v.problem)


class MentorWatch:
    """Mentees and mentors on duty in each stretch between two shift boundaries, as the
    mentoring rule checks them (rostering.model.rules.mentoring)."""

    def __init__(self, v: Variables, bounds: list[int] | None = None) -> None:
        """`bounds`: the stretches' ends, if finer than the shifts' (breaks' too)."""
        rule = v.problem.model.rules.mentoring
        assert rule is not None
        self.mentee = [int(emp.tier in rule.mentee_tiers) for emp in v.employees]
        self.mentor = [int(emp.tier in rule.mentor_tiers) for emp in v.employees]
        # without a ratio, one mentor for however many mentees: the team's count is enough
        self.ratio = rule.max_juniors_per_mentor or max(1, sum(self.mentee))
        self.windows = _Windows(v, breakpoints(v) if bounds is None else bounds)
        self.mentees = [0] * self.windows.size
        self.mentors = [0] * self.windows.size
        for i, people in enumerate(self.windows.fixed):
            self.move_one(people, i, 1)

    def move_one(self, people: Iterable[int], i: int, step: int) -> None:
        for e in people:
            self.mentees[i] += step * self.mentee[e]
            self.mentors[i] += step * self.mentor[e]

    def move(self, shifts: Shifts, step: int) -> None:
        for e, i in self.windows.on(shifts):
            self.move_one([e], i, step)

    def constrain(
        self, model: cp_model.CpModel, e: int, shifts: dict[Key, cp_model.IntVar]
    ) -> None:
        """Bound e's schedule (`shifts`: its variables in `model`) so that mentoring holds in
        every stretch with everyone else as counted: a mentee stays off where no mentor has
        room, a mentor stays on where the mentees on duty need them."""
        weight = self.mentee[e] - self.ratio * self.mentor[e]  # e's own share, if on duty
        if not weight:
            return
        spanning: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for key, var in shifts.items():
            for i in self.windows.covering.get(key, ()):
                spanning[i].append(var)
        for i, present in spanning.items():
            room = self.ratio * self.mentors[i] - self.mentees[i]
            if weight > 0 and room < weight:
                for var in present:
                    model.add(var == 0)
            elif weight < 0 and room < 0:
                model.add(sum(present) >= 1)
