"""`rostering suggest`: who could take shift S on date D in a published roster, and at what
price. Each person is tried in turn — S added to their day, or their shift that day moved to
S — and the roster judged by `evaluate` (the independent checker, not the CP-SAT model): a
move that adds no hard violation is legal, ranked by the change of the objective it makes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from rostering.domain import Assignment, Problem, Roster
from rostering.evaluate import Violation, evaluate
from rostering.io.errors import InputError
from rostering.io.safe import csv_text
from rostering.repair import day_in_horizon


@dataclass(frozen=True)
class Candidate:
    """One person tried on the shift: legal (ranked by `delta`) or blocked by `blocked_by`."""

    employee_id: str
    tier: str
    published: tuple[str, ...]  # their shifts that day in the published roster (empty: off)
    objective: int  # the roster's objective with the move
    delta: int  # objective - the published roster's
    blocked_by: Violation | None = None  # the first hard violation the move adds
    already: bool = False  # already works the shift that day: nothing to move

    @property
    def legal(self) -> bool:
        return self.blocked_by is None and not self.already

    def as_dict(self) -> dict[str, Any]:
        blocked = self.blocked_by
        reason = blocked.message if blocked else ("already works it" if self.already else None)
        return {
            "employee_id": self.employee_id,
            "tier": self.tier,
            "published_shift_id": "+".join(self.published),
            "legal": self.legal,
            "objective": self.objective,
            "objective_change": self.delta,
            "rule": blocked.rule if blocked else None,
            "reason": reason,
        }


@dataclass(frozen=True)
class Suggestions:
    day: int
    shift_id: str
    objective: int  # the published roster's
    violations: int  # the published roster's hard violations (a move may not add one)
    candidates: tuple[Candidate, ...]  # legal ones, cheapest first (then staff order)
    blocked: tuple[Candidate, ...]  # the others, in staff order

    def as_dict(self, problem: Problem) -> dict[str, Any]:
        ranked = [{"rank": i + 1, **c.as_dict()} for i, c in enumerate(self.candidates)]
        return {
            "date": problem.date_of(self.day).isoformat(),
            "shift_id": self.shift_id,
            "published_objective": self.objective,
            "published_hard_violations": self.violations,
            "candidates": ranked,
            "blocked": [c.as_dict() for c in self.blocked],
        }


def _key(v: Violation) -> tuple[object, ...]:
    return (v.rule, v.employee_id, v.dates, v.value, v.limit, v.message)


def suggest(problem: Problem, published: Roster, when: date, shift_id: str) -> Suggestions:
    """Everyone tried on `shift_id` on the date `when` of the `published` roster."""
    day = day_in_horizon(problem, when, "--date")
    shift_ids = [s.id for s in problem.model.shifts]
    if shift_id not in shift_ids:
        raise InputError(f"--shift: unknown shift {shift_id!r}; shifts: {', '.join(shift_ids)}")
    base = evaluate(problem, published)
    known = {_key(v) for v in base.violations}
    legal: list[Candidate] = []
    blocked: list[Candidate] = []
    for emp in problem.employees:
        mine = tuple(
            sorted(
                a.shift_id for a in published.assignments if (a.employee_id, a.day) == (emp.id, day)
            )
        )
        if shift_id in mine:
            blocked.append(Candidate(emp.id, emp.tier, mine, base.objective, 0, already=True))
            continue
        judged = evaluate(problem, _moved(published, emp.id, day, shift_id))
        added = [v for v in judged.violations if _key(v) not in known]
        delta = judged.objective - base.objective
        first = added[0] if added else None
        candidate = Candidate(emp.id, emp.tier, mine, judged.objective, delta, first)
        (blocked if added else legal).append(candidate)
    legal.sort(key=lambda c: c.delta)  # stable: staff order among equals
    return Suggestions(day, shift_id, base.objective, len(base.violations), tuple(legal),
                       tuple(blocked))  # fmt: skip


def _moved(roster: Roster, employee_id: str, day: int, shift_id: str) -> Roster:
    """The roster with the person working `shift_id` on `day` and nothing else that day."""
    kept = [a for a in roster.assignments if (a.employee_id, a.day) != (employee_id, day)]
    kept.append(Assignment(employee_id=employee_id, day=day, shift_id=shift_id))
    return Roster(assignments=tuple(kept))


def suggest_table(problem: Problem, s: Suggestions) -> str:
    """The ranking for people: the legal moves cheapest first, then who cannot and why."""
    when = problem.date_of(s.day)
    verdict = "legal" if not s.violations else f"{s.violations} hard violations"
    lines = [
        f"Who can take {s.shift_id} on {when} ({when:%A}): the roster's objective "
        f"{s.objective} ({verdict})",
    ]
    if s.candidates:
        lines.append(f"{'rank':>4}  {'employee':<9} {'tier':<8} {'now':<5} {'change':>8} "
                     f"{'objective':>10}")  # fmt: skip
        for i, c in enumerate(s.candidates, 1):
            now = "+".join(c.published) or "off"
            lines.append(f"{i:>4}  {c.employee_id:<9} {c.tier:<8} {now:<5} {c.delta:>+8} "
                         f"{c.objective:>10}")  # fmt: skip
    else:
        lines.append("nobody can take it without breaking a hard rule")
    if s.blocked:
        lines.append(f"Cannot take it ({len(s.blocked)}):")
        for c in s.blocked:
            now = "+".join(c.published) or "off"
            why = c.as_dict()["reason"]
            rule = f"{c.blocked_by.rule}: " if c.blocked_by else ""
            lines.append(f"  {c.employee_id:<9} {c.tier:<8} {now:<5} {rule}{why}")
    return "\n".join(lines) + "\n"


def suggest_json(problem: Problem, s: Suggestions) -> str:
    return json.dumps(s.as_dict(problem), indent=2, ensure_ascii=False) + "\n"


SUGGEST_COLUMNS = (
    "rank", "employee_id", "tier", "published_shift_id", "legal", "objective_change",
    "objective", "rule", "reason",
)  # fmt: skip


def suggest_csv(problem: Problem, s: Suggestions) -> str:
    """One row per person: the legal ones ranked, then the others (rank empty)."""
    data = s.as_dict(problem)
    people = [*data["candidates"], *({"rank": "", **c} for c in data["blocked"])]
    return csv_text(
        SUGGEST_COLUMNS,
        (
            [("true" if p[k] else "false") if k == "legal" else ("" if p[k] is None else p[k])
             for k in SUGGEST_COLUMNS]
            for p in people
        ),
    )  # fmt: skip


FORMATTERS = {"table": suggest_table, "json": suggest_json, "csv": suggest_csv}
