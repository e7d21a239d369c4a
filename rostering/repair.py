"""`rostering repair`: change a published roster after the facts moved, as little as needed.

Days before --from stay exactly as published and every person-day on or after it that
differs from the published roster costs `[weights] change` (the `change` rule family); the
run is otherwise a solve (same route, judge, outputs and exit codes) that also writes
changes.csv and adds `changes` and `people_changed` to summary.json.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rostering.domain import Problem, Published, Roster
from rostering.io.errors import InputError
from rostering.io.outfolder import open_folder
from rostering.io.outputs import remove_stale
from rostering.io.run_dir import load_roster
from rostering.io.safe import csv_text
from rostering.memory import check_memory
from rostering.pipeline import SolveRun, load, solve_into
from rostering.solve import Progress, SolveParams, Stopper

CHANGES_FILE = "changes.csv"
CHANGES_COLUMNS = ("employee_id", "date", "published_shift_id", "shift_id")


@dataclass(frozen=True)
class Change:
    """One person-day whose shifts differ from the published roster (empty: off)."""

    employee_id: str
    day: int
    published: tuple[str, ...]
    now: tuple[str, ...]


def day_in_horizon(problem: Problem, value: date, option: str) -> int:
    """The horizon day of a date given on the command line; outside it, an InputError."""
    day = problem.day_of(value)
    if not 0 <= day < problem.days:
        last = problem.date_of(problem.days - 1)
        raise InputError(
            f"{option}: {value} is outside the horizon {problem.start}..{last} of "
            f"{problem.name}; accepted: a date of the horizon"
        )
    return day


def with_published(problem: Problem, roster: Roster, first: date) -> Problem:
    """The problem of a repair: `roster` published, days before `first` kept as they are."""
    day = day_in_horizon(problem, first, "--from")
    published = Published(assignments=roster.assignments, from_day=day)
    return problem.model_copy(update={"published": published})


def changes(problem: Problem, published: Roster, roster: Roster) -> list[Change]:
    """Every person-day of the horizon whose shifts differ, by date, then staff order."""

    def by_day(r: Roster) -> dict[tuple[str, int], list[str]]:
        days: dict[tuple[str, int], list[str]] = defaultdict(list)
        for a in r.assignments:
            days[a.employee_id, a.day].append(a.shift_id)
        return days

    before, after = by_day(published), by_day(roster)
    result = []
    for day in range(problem.days):
        for e in problem.employees:
            was, now = before.get((e.id, day), []), after.get((e.id, day), [])
            if set(was) != set(now):
                result.append(Change(e.id, day, tuple(sorted(was)), tuple(sorted(now))))
    return result


def changes_csv(problem: Problem, rows: Sequence[Change]) -> str:
    """changes.csv: one row per person-day changed; several shifts of one day joined by "+"."""
    return csv_text(
        CHANGES_COLUMNS,
        (
            (c.employee_id, problem.date_of(c.day).isoformat(), "+".join(c.published),
             "+".join(c.now))
            for c in rows
        ),
    )  # fmt: skip


def repair_instance(
    instance: Path,
    published: Path,
    first: date,
    out: Path,
    params: SolveParams,
    on_progress: Callable[[Progress], None] | None = None,
    stopper: Stopper | None = None,
    *,
    allow_paths: Sequence[Path] = (),
    max_memory: int | None = None,
) -> SolveRun:
    """Repair the roster `published` (a roster file in long or grid form, or a solve's --out
    folder) of an instance from the date `first` on, and write solve's outputs plus
    changes.csv as one set. Bad input removes the previous run's outputs, changes.csv too."""
    started = params.started if params.started is not None else time.monotonic()
    with open_folder(out) as folder:
        try:
            problem = load(instance, allow_paths)
            roster, _ = load_roster(published, problem)
            problem = with_published(problem, roster, first)
            check_memory(problem, params.workers, max_memory, str(instance), params.search)
        except InputError:
            remove_stale(folder, (CHANGES_FILE,))
            raise

        def more(repaired: Roster | None) -> tuple[dict[str, object], dict[str, str | None]]:
            fields: dict[str, object] = {"published": str(published), "from": first.isoformat()}
            if repaired is None:
                return {**fields, "changes": None, "people_changed": None}, {CHANGES_FILE: None}
            rows = changes(problem, roster, repaired)
            people = len({c.employee_id for c in rows})
            fields.update(changes=len(rows), people_changed=people)
            return fields, {CHANGES_FILE: changes_csv(problem, rows)}

        return solve_into(folder, instance, problem, params, started, on_progress, stopper, more)
