"""Decision variables, built once, with readable names, and the views rule families share.

`x[e, d, s]` is 1 when employee index `e` works shift `s` on horizon day `d`.
Days before the horizon come from previous.csv as constants, so rules that
look back (rest, runs, weeks, weekends) read one sequence across the boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeAlias

from ortools.sat.python import cp_model

from rostering.domain import Employee, Problem, ShiftType

# A 0/1 or integer linear expression, or a constant. ortools' own LinearExprT union includes
# numpy scalars, whose operator overloads make every `a + b` a mypy error; Any keeps it quiet.
Expr: TypeAlias = Any
# A group of hard constraints: (family, employee index or None, day or None)
GuardKey = tuple[str, int | None, int | None]


class Halted(Exception):
    """The model's build was stopped (the time limit, or a signal): no model."""


# Families whose constraints are guarded per day rather than only per person
DAILY_GUARDS = frozenset({"unavailable", "leave", "fixed", "mentoring", "coverage", "change"})


@dataclass
class Variables:
    problem: Problem
    model: cp_model.CpModel
    x: dict[tuple[int, int, str], cp_model.IntVar]
    # previous.csv as {(employee index, day < 0): shift id}
    previous: dict[tuple[int, int], str] = field(default_factory=dict)
    first_previous_day: int = 0
    family: str = ""  # the family whose add() is running (set by build)
    guarded: bool = False  # enforce each group of hard constraints only under a guard literal
    relax: frozenset[str] = frozenset()  # families whose hard constraints become soft
    guards: dict[GuardKey, cp_model.IntVar] = field(default_factory=dict)
    relaxed: list[tuple[GuardKey, cp_model.IntVar]] = field(default_factory=list)
    by_day: dict[tuple[int, int], list[tuple[str, cp_model.IntVar]]] = field(default_factory=dict)
    w: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)  # works that day
    one_shift_is_soft: bool = False  # one shift a day may be broken (guarded or relaxed)
    halt: Callable[[], bool] | None = None  # asked by long loops: True stops the build
    # breaks taken per (day, shift, tier, break, offset), made once by rostering.model.breaks
    break_counts: dict[tuple[int, str, str, int, int], cp_model.IntVar] | None = None

    def check(self) -> None:
        """Raise Halted if the build is to stop (the time limit, a signal)."""
        if self.halt is not None and self.halt():
            raise Halted

    def add(self, constraint: object, e: int | None = None, day: int | None = None) -> None:
        """Add one HARD constraint of the current family, about employee e and/or day.
        Definitions of penalty variables use `model.add` directly instead: they are never
        guarded or relaxed."""
        if constraint is True:
            return
        # a constant False is an empty clause: infeasible unless guarded or relaxed
        ct = (
            self.model.add_bool_or([]) if constraint is False else self.model.add(constraint)  # type: ignore[arg-type]
        )
        self._tag(ct, e, day)

    def add_bool_or(self, literals: list, e: int | None = None, day: int | None = None) -> None:
        self._tag(self.model.add_bool_or(literals), e, day)

    def forbid_after(self, e: int, day: int, shift_id: str, later: int, then: list[str]) -> None:
        """If e works `shift_id` on `day` (previous.csv's before the horizon), e works none
        of `then` on `day + later`: one constraint instead of a clause per pair. While one
        shift a day holds, `first + sum(seconds) <= 1` says it with the strongest LP
        relaxation; otherwise an enforced conjunction."""
        seconds = [self.x[e, day + later, t] for t in then if (e, day + later, t) in self.x]
        if not seconds:
            return
        if day < 0:
            if self.previous.get((e, day)) == shift_id:
                self.add(sum(seconds) == 0, e)
            return
        first = self.x.get((e, day, shift_id))
        if first is None:
            return
        if self.one_shift_is_soft:
            ct = self.model.add_bool_and([t.Not() for t in seconds]).only_enforce_if(first)
        else:
            ct = self.model.add(first + sum(seconds) <= 1)
        self._tag(ct, e, None)

    def adder(self, e: int) -> Callable[[object], None]:
        """`add` for employee e, for helpers that know nothing of employees."""
        return lambda constraint: self.add(constraint, e)

    def _tag(self, ct: cp_model.Constraint, e: int | None, day: int | None) -> None:
        key: GuardKey = (self.family, e, day if self.family in DAILY_GUARDS else None)
        if self.family in self.relax:
            broken = self.model.new_bool_var(f"relaxed[{self.family},{e},{day}]")
            ct.only_enforce_if(broken.Not())
            self.relaxed.append((key, broken))
        elif self.guarded:
            guard = self.guards.get(key)
            if guard is None:
                guard = self.guards[key] = self.model.new_bool_var(f"guard{key}")
            ct.only_enforce_if(guard)

    @property
    def employees(self) -> tuple[Employee, ...]:
        return self.problem.employees

    @property
    def days(self) -> int:
        return self.problem.days

    @property
    def has_previous(self) -> bool:
        return self.problem.previous_given

    def shift(self, shift_id: str) -> ShiftType:
        return self.problem.model.shift(shift_id)

    def shifts_on(self, e: int, d: int) -> list[tuple[str, cp_model.IntVar]]:
        """(shift id, variable) pairs that employee e may work on horizon day d."""
        return self.by_day.get((e, d), [])

    def works(self, e: int, d: int) -> Expr:
        """1 if e works on day d: one Boolean inside the horizon (0 when no shift is possible),
        so run rules propagate as clauses; a constant outside (previous.csv before it; off
        after it and before previous.csv's first day)."""
        if 0 <= d < self.days:
            return self.w.get((e, d), 0)
        return 1 if (e, d) in self.previous else 0

    def works_shifts(self, e: int, d: int, ids: set[str]) -> Expr:
        """1 if e works one of the shifts `ids` on day d (same conventions as works)."""
        if 0 <= d < self.days:
            return sum(v for sid, v in self.shifts_on(e, d) if sid in ids)
        return 1 if self.previous.get((e, d)) in ids else 0

    def date_of(self, d: int) -> date:
        return self.problem.date_of(d)


def build_variables(
    problem: Problem,
    model: cp_model.CpModel,
    one_shift_is_soft: bool = False,
    halt: Callable[[], bool] | None = None,
) -> Variables:
    """One Boolean per (employee, day, shift type) where the shift exists that weekday and the
    contract does not forbid the type (max_shifts 0), and one per (employee, day): works.

    works = the sum of the day's shift variables, which also makes one shift per day hold;
    with `one_shift_is_soft` (one_shift_per_day guarded or relaxed) works = their OR instead,
    and the one_shift_per_day family adds the at-most-one itself."""
    x: dict[tuple[int, int, str], cp_model.IntVar] = {}
    by_day: dict[tuple[int, int], list[tuple[str, cp_model.IntVar]]] = {}
    w: dict[tuple[int, int], cp_model.IntVar] = {}
    for e, emp in enumerate(problem.employees):
        if halt is not None and e % 64 == 0 and halt():
            raise Halted
        for d in range(problem.days):
            day = problem.date_of(d)
            weekday = day.weekday()
            shifts = []
            for s in problem.model.shifts:
                if weekday not in s.weekdays or emp.limits.max_shifts.get(s.id) == 0:
                    continue
                x[e, d, s.id] = model.new_bool_var(f"x[{emp.id},{day},{s.id}]")
                shifts.append((s.id, x[e, d, s.id]))
            if not shifts:
                continue
            by_day[e, d] = shifts
            works = w[e, d] = model.new_bool_var(f"works[{emp.id},{day}]")
            if one_shift_is_soft:
                model.add_max_equality(works, [var for _, var in shifts])
            else:
                model.add(sum(var for _, var in shifts) == works)
    index = {emp.id: e for e, emp in enumerate(problem.employees)}
    previous: dict[tuple[int, int], str] = {}
    for a in problem.previous:
        previous[index[a.employee_id], a.day] = a.shift_id
    first = min((a.day for a in problem.previous), default=0)
    return Variables(
        problem, model, x, previous, first, by_day=by_day, w=w,
        one_shift_is_soft=one_shift_is_soft, halt=halt,
    )  # fmt: skip
