"""The headline figures of one roster, the same in `report`, `compare` and batch.csv.

Every figure comes from rostering.evaluate (penalties, violations, coverage rows, labour
cost), rostering.check (paid minutes and fairness spreads per contract group) or
rostering.service (predicted service level and answer rate); nothing here re-judges a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rostering.check import CheckReport, check_roster
from rostering.domain import Problem, Roster
from rostering.evaluate import Evaluation, evaluate
from rostering.service import Service, interval_person_hours, service_of

# RunFigures' fields that batch.csv and `compare` add to a run's own (objective, status)
FIGURE_COLUMNS = (
    "hard_violations",
    "unmet_person_hours",
    "paid_hours",
    "labour_cost",
    "nights_spread",
    "weekends_spread",
    "hours_spread",
    "service_level",
    "answer_rate",
)


@dataclass(frozen=True)
class Judged:
    """A roster with evaluate's verdict, check's figures and the predicted service."""

    problem: Problem
    roster: Roster
    evaluation: Evaluation
    check: CheckReport
    service: Service | None


def judge(problem: Problem, roster: Roster, evaluation: Evaluation | None = None) -> Judged:
    """Judge a roster (or take evaluate's `evaluation` of it) and add check's figures and
    the predicted service."""
    ev = evaluation if evaluation is not None else evaluate(problem, roster)
    return Judged(problem, roster, ev, check_roster(problem, roster, ev), service_of(problem, ev))


@dataclass(frozen=True)
class RunFigures:
    """What a planner compares between runs. Person-hours: `required` and `unmet` follow the
    nested-coverage rule (per interval the unmet work once, not once per tier; per shift slot
    its shortfall times the shift's length); `paid_hours` sums paid minutes of every shift;
    spreads are the largest max - min over contract groups of two or more people."""

    objective: int
    hard_violations: int
    shifts: int
    required_person_hours: float | None
    unmet_person_hours: float | None
    paid_hours: float
    labour_cost: int
    nights_spread: int
    weekends_spread: int
    hours_spread: float
    service_level: float | None
    answer_rate: float | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _person_hours(problem: Problem, ev: Evaluation) -> tuple[float | None, float | None]:
    if problem.slot_demand is not None:
        length = {s.id: s.minutes for s in problem.model.shifts}
        slot_need = sum(r.required * length[r.shift_id or ""] for r in ev.coverage)
        slot_short = sum(r.shortfall * length[r.shift_id or ""] for r in ev.coverage)
        return slot_need / 60, slot_short / 60
    if problem.interval_demand is None:
        return None, None
    return interval_person_hours(problem, ev)


def _spread(report: CheckReport, figure: str) -> int:
    return max(
        (
            f.spread
            for g in report.groups
            if len(g.employee_ids) > 1
            for f in g.figures
            if f.figure == figure
        ),
        default=0,
    )


def run_figures(judged: Judged) -> RunFigures:
    ev, report, service = judged.evaluation, judged.check, judged.service
    required, unmet = _person_hours(judged.problem, ev)
    return RunFigures(
        objective=ev.objective,
        hard_violations=len(ev.violations),
        shifts=len(judged.roster.assignments),
        required_person_hours=required,
        unmet_person_hours=unmet,
        paid_hours=sum(e.minutes for e in report.employees) / 60,
        labour_cost=ev.labour_cost,
        nights_spread=_spread(report, "nights"),
        weekends_spread=_spread(report, "weekends"),
        hours_spread=_spread(report, "minutes") / 60,
        service_level=service.horizon.service_level if service else None,
        answer_rate=service.horizon.answer_rate if service else None,
    )
