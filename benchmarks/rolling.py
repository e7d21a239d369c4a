"""Week after week: the bundled hotline site planned four weeks in a row, each week from the
last one's roster (its previous.csv) and the fairness history so far (its history.csv).

    python -m benchmarks.rolling [--weeks 4] [--time-limit 60] [--seed 0]

Each week is the bundled week moved on by seven days (the same forecast curve, staff and
rules; the bundled requests in the first week only). Rolled twice: with the demand after
each horizon (the next Monday 00:00-07:00, priced) and with the horizon only (those rows
dropped, as before demand after the horizon was counted). Per week: status, objective, the
unmet person-hours of its first 8 hours (left by the week before's Sunday night), the week's
service level, answer rate and worst interval. Then per fairness group the spread (max - min)
of nights, weekends and paid hours over the four weeks together.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from benchmarks.fairness_price import HOTLINE
from benchmarks.week_boundary import horizon_only
from rostering.check import check_roster
from rostering.domain import Assignment, HistoryRow, Problem
from rostering.evaluate import Evaluation, evaluate
from rostering.pipeline import load
from rostering.service import Service, interval_person_hours, service_of
from rostering.solve import Result, SolveParams, solve

FIRST_HOURS = 8


@dataclass
class Week:
    problem: Problem  # as planned: with history and previous.csv of the weeks before
    result: Result
    evaluation: Evaluation | None  # None: no roster (the roll ends with this week)
    service: Service | None
    first_unmet: float | None  # person-hours unmet in the week's first FIRST_HOURS hours
    wall: float


def next_week(problem: Problem, week: Week) -> Problem:
    """The week after `week`: its roster as previous.csv, its fairness figures appended to
    the history, no requests of its own."""
    assert week.result.roster is not None and week.evaluation is not None
    report = check_roster(week.problem, week.result.roster, week.evaluation)
    history = problem.history + tuple(
        HistoryRow(
            employee_id=e.employee_id, period_start=problem.start, nights=e.nights,
            weekends=e.weekends, minutes=e.minutes + e.absence_minutes,
        )
        for e in report.employees
    )  # fmt: skip
    previous = tuple(
        Assignment(employee_id=a.employee_id, day=a.day - problem.days, shift_id=a.shift_id)
        for a in week.result.roster.assignments
    )
    return problem.model_copy(
        update={
            "start": problem.start + timedelta(days=problem.days),
            "previous": previous,
            "previous_given": True,
            "previous_absences": (),
            "requests": (),
            "history": history,
        }
    )


def first_unmet(problem: Problem, evaluation: Evaluation) -> float:
    """The unmet person-hours of the horizon's first FIRST_HOURS hours."""
    end = datetime.combine(problem.start, datetime.min.time()) + timedelta(hours=FIRST_HOURS)
    rows = [r for r in evaluation.coverage if r.start is not None and r.start < end]
    return interval_person_hours(problem, dataclasses.replace(evaluation, coverage=rows))[1]


def roll(
    first: Problem,
    weeks: int,
    params: SolveParams,
    planned: Callable[[Problem], Problem] = lambda p: p,
) -> list[Week]:
    """`weeks` weeks from `first`, each solved as `planned(week)` (horizon_only: without the
    demand after its horizon) and judged as the week itself; a week without a roster ends
    the roll."""
    rolled: list[Week] = []
    problem = first
    for _ in range(weeks):
        began = time.monotonic()
        result = solve(planned(problem), dataclasses.replace(params, started=None))
        wall = time.monotonic() - began
        if result.roster is None:  # the roll ends here: the week cannot be planned
            rolled.append(Week(problem, result, None, None, None, wall))
            break
        evaluation = evaluate(problem, result.roster)
        week = Week(
            problem, result, evaluation, service_of(problem, evaluation),
            first_unmet(problem, evaluation), wall,
        )  # fmt: skip
        rolled.append(week)
        problem = next_week(problem, week)
    return rolled


def spreads(rolled: list[Week]) -> dict[str, dict[str, int]]:
    """Per fairness group: the spread (max - min) of nights, weekends and paid hours summed
    over the weeks rostered (absence credit included)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    group: dict[str, str] = {}
    policy = rolled[0].problem.model.fairness
    for e in rolled[0].problem.employees:
        group[e.id] = policy.group_of(e)
    for week in rolled:
        if week.result.roster is None or week.evaluation is None:
            continue
        report = check_roster(week.problem, week.result.roster, week.evaluation)
        for f in report.employees:
            t = totals[f.employee_id]
            t[0] += f.nights
            t[1] += f.weekends
            t[2] += f.minutes + f.absence_minutes
    out: dict[str, dict[str, int]] = {}
    for name in sorted(set(group.values())):
        members = [totals[e] for e, g in group.items() if g == name]
        if len(members) < 2:
            continue
        out[name] = {
            figure: max(m[k] for m in members) - min(m[k] for m in members)
            for k, figure in enumerate(("nights", "weekends", "minutes"))
        }
    return out


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{args.time_limit:g} s per week, seed {args.seed}")  # fmt: skip
    params = SolveParams(time_limit=args.time_limit, seed=args.seed)
    first = load(HOTLINE)
    runs = {
        "after the horizon": roll(first, args.weeks, params),
        "horizon only": roll(first, args.weeks, params, horizon_only),
    }
    print("| demand | week | status | objective | unmet p-h first 8 h | service level "
          "| answer rate | worst interval | wall s |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    for name, rolled in runs.items():
        for w in rolled:
            if w.evaluation is None:
                print(f"| {name} | {w.problem.start} | {w.result.status} |||||| {w.wall:.1f} |")
                continue
            h = w.service.horizon if w.service else None
            worst = h.worst_interval[1] if h and h.worst_interval else None
            print(f"| {name} | {w.problem.start} | {w.result.status} | {w.evaluation.objective:,} "
                  f"| {w.first_unmet:g} | {_pct(h and h.service_level)} "
                  f"| {_pct(h and h.answer_rate)} | {_pct(worst)} | {w.wall:.1f} |")  # fmt: skip
    print()
    print("| demand | group | nights spread | weekends spread | hours spread |")
    print("|---|---|---|---|---|")
    for name, rolled in runs.items():
        for group, s in spreads(rolled).items():
            print(f"| {name} | {group} | {s['nights']} | {s['weekends']} "
                  f"| {s['minutes'] / 60:g} |")  # fmt: skip


if __name__ == "__main__":
    main()
