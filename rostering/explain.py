"""Why a period cannot be rostered: the hard rules, people and days that conflict.

Every group of hard constraints (a rule family for one person, or for one day) is enforced
under a guard literal; CP-SAT, given all guards as assumptions, returns a sufficient set of
failed assumptions, which is then shrunk by deletion (drop a group; if the rest is still
infeasible, it was not needed) within a time budget.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rostering.domain import DAY_MINUTES, FAIRNESS_LIMITS, Problem
from rostering.model.build import build
from rostering.model.families import BY_NAME
from rostering.model.variables import GuardKey


@dataclass(frozen=True)
class Explanation:
    rules: tuple[str, ...]  # rule families in the conflict, for --relax
    people: tuple[str, ...]
    dates: tuple[str, ...]
    sentences: tuple[str, ...]
    minimal: bool  # the deletion pass finished: dropping any one group makes it feasible
    groups: tuple[GuardKey, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        return {
            "rules": list(self.rules),
            "people": list(self.people),
            "dates": list(self.dates),
            "sentences": list(self.sentences),
            "minimal": self.minimal,
        }


def _infeasible(model: cp_model.CpModel, assumptions: list, seconds: float) -> tuple[bool, list]:
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return False, []
    return True, list(solver.sufficient_assumptions_for_infeasibility())


def explain(problem: Problem, seconds: float = 10.0) -> Explanation | None:
    """The conflicting rule groups of an infeasible problem (None if none was found in time)."""
    deadline = time.monotonic() + seconds
    built = build(problem, guarded=True)
    model = built.model
    model.clear_objective()
    by_index = {lit.index: key for key, lit in built.guards.items()}
    literal = {key: lit for key, lit in built.guards.items()}
    infeasible, core = _infeasible(model, list(literal.values()), deadline - time.monotonic())
    if not infeasible:
        return None
    keys = [by_index[i] for i in core if i in by_index]
    minimal = True
    i = 0
    while i < len(keys):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            minimal = False
            break
        trial = keys[:i] + keys[i + 1 :]
        still, sub = _infeasible(model, [literal[k] for k in trial], min(remaining, 2.0))
        if still:
            keep = {by_index[j] for j in sub if j in by_index}
            keys = [k for k in trial if k in keep] if keep else trial
        else:
            i += 1
    return describe(problem, keys, minimal)


def describe(problem: Problem, keys: list[GuardKey], minimal: bool) -> Explanation:
    """Sentences a scheduler can act on, one per rule family in the conflict."""
    employees = problem.employees
    per_family: dict[str, list[GuardKey]] = defaultdict(list)
    for key in keys:
        per_family[key[0]].append(key)
    people: set[str] = set()
    dates: set[str] = set()
    sentences = []
    for family, group in per_family.items():
        by_person: dict[str, list[str]] = defaultdict(list)
        days_only: list[str] = []
        for _, e, day in sorted(group, key=lambda k: (k[1] or -1, k[2] or -1)):
            when = problem.date_of(day).isoformat() if day is not None else None
            if when:
                dates.add(when)
            if e is None:
                if when:
                    days_only.append(when)
                continue
            eid = employees[e].id
            people.add(eid)
            by_person[eid].append(when or "")
        parts = []
        for eid, whens in by_person.items():
            emp = next(x for x in employees if x.id == eid)
            detail = ", ".join(w for w in whens if w)
            limits = [
                f"{k}={getattr(emp.limits, k)}"
                for k in BY_NAME[family].limits
                if getattr(emp.limits, k) not in (None, {}, 0) or k == "max_weekends"
            ]
            if family == "min_rest":
                limits = [f"min_rest_minutes={problem.model.rules.min_rest_minutes}"]
            if family == "fairness":  # the policy's limits, within the person's group
                policy = problem.model.fairness
                limits = [f"group {policy.group_of(emp)}"] + [
                    f"{k}={getattr(policy, k)}"
                    for k in FAIRNESS_LIMITS
                    if getattr(policy, k) is not None
                ]
            if family == "change" and problem.published is not None:  # repair's past
                first = problem.date_of(problem.published.from_day)
                limits = [f"published; days before {first} stay as published"]
            text = eid + (f" on {detail}" if detail else "")
            parts.append(text + (f" ({', '.join(limits)})" if limits else ""))
        if days_only:
            parts.append((BY_NAME[family].day_rule or family) + " on " + ", ".join(days_only))
        sentences.append(f"{family}: " + "; ".join(parts))
    sentences += boundary_sentences(problem, keys)
    rules = tuple(sorted(per_family))
    lead = "These hard rules cannot all hold together"
    hint = f"solve with --relax {','.join(rules)} to see the least-bad roster"
    return Explanation(
        rules=rules,
        people=tuple(sorted(people)),
        dates=tuple(sorted(dates)),
        sentences=(f"{lead}:", *sentences, hint),
        minimal=minimal,
        groups=tuple(keys),
    )


# personal families whose rules continue across the start from previous.csv's days
ACROSS_THE_START = frozenset({
    "min_rest", "forbidden_successions", "consecutive_days", "consecutive_days_off",
    "consecutive_nights", "days_per_week", "minutes_per_week", "weekends",
})  # fmt: skip


def boundary_sentences(problem: Problem, keys: list[GuardKey]) -> list[str]:
    """What the week boundary adds to a conflict: previous.csv's days of the people whose
    rules continue across the start, and coverage floors after the horizon's end (demand
    after the horizon, which only the last day's shifts can cover)."""
    sentences = []
    worked: dict[str, list[str]] = defaultdict(list)
    for a in sorted(problem.previous, key=lambda a: a.day):
        worked[a.employee_id].append(f"{a.shift_id} on {problem.date_of(a.day)}")
    for r in sorted(problem.previous_absences, key=lambda r: r.day):
        worked[r.employee_id].append(f"{r.kind} on {problem.date_of(r.day)}")
    named = sorted(
        {problem.employees[e].id for family, e, _ in keys if family in ACROSS_THE_START
         and e is not None} & set(worked)
    )  # fmt: skip
    if named:
        start = problem.start
        people = "; ".join(f"{eid} ({', '.join(worked[eid][-3:])})" for eid in named)
        sentences.append(f"boundary: previous.csv's days before {start} count here: {people}")
    into = [  # previous.csv's shifts still on duty on day 0 (a night crossing midnight)
        a for a in sorted(problem.previous, key=lambda a: a.employee_id)
        if a.day == -1 and problem.model.shift(a.shift_id).start_minute
        + problem.model.shift(a.shift_id).minutes > DAY_MINUTES
    ]  # fmt: skip
    if into and any(f in ("mentoring", "coverage") and day == 0 for f, _, day in keys):
        crew = ", ".join(f"{a.employee_id} ({a.shift_id})" for a in into[:8])
        more = f" and {len(into) - 8} more" if len(into) > 8 else ""
        sentences.append(
            f"boundary: previous.csv's shifts of {problem.date_of(-1)} are on duty into "
            f"{problem.start}: {crew}{more}"
        )
    after = sorted(
        {problem.date_of(day).isoformat() for family, _, day in keys
         if family == "coverage" and day is not None and day >= problem.days}
    )  # fmt: skip
    if after:
        last = problem.date_of(problem.days - 1)
        sentences.append(
            f"boundary: demand after the horizon ({', '.join(after)}) has a floor that only "
            f"shifts starting by {last} can cover"
        )
    return sentences
