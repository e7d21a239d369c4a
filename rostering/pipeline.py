"""Whole runs as library calls: load -> staffing -> solve -> evaluate -> write.

The CLI is a thin shell over these functions; a Python caller can do the same.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rostering.demand import STAFFING_COLUMNS, staffing_table, with_requirements
from rostering.domain import Problem, Roster
from rostering.evaluate import Evaluation, evaluate
from rostering.explain import Explanation, explain
from rostering.io.errors import InputError
from rostering.io.instance import load_problem
from rostering.io.outfolder import OutputFolder, open_folder
from rostering.io.outputs import remove_stale, write_outputs
from rostering.io.safe import csv_text, write_atomic
from rostering.memory import check_memory
from rostering.service import Service, service_of
from rostering.solve import Progress, Result, SolveParams, Stopper, solve

# a run's further outputs from its roster (None: no roster): summary.json fields, and files
# written with the rest (each name is listed even without a roster, so a stale one goes)
MoreOutputs = Callable[[Roster | None], tuple[dict[str, object], dict[str, str | None]]]


class EvaluationMismatch(RuntimeError):
    """The solver's objective and evaluate's disagree: a bug in one of them."""


@dataclass(frozen=True)
class SolveRun:
    problem: Problem
    result: Result
    evaluation: Evaluation | None
    wall_seconds: float
    explanation: Explanation | None = None
    service: Service | None = None  # forecast demand: the roster's own service

    @property
    def exit_code(self) -> int:
        return 0 if self.evaluation is not None and self.evaluation.is_feasible() else 1


def load(instance: Path, allow_paths: Sequence[Path] = ()) -> Problem:
    """An instance directory, validated, with its forecast turned into headcount."""
    return with_requirements(load_problem(instance, allow_paths))


def solve_instance(
    instance: Path,
    out: Path,
    params: SolveParams,
    on_progress: Callable[[Progress], None] | None = None,
    stopper: Stopper | None = None,
    *,
    allow_paths: Sequence[Path] = (),
    max_memory: int | None = None,
) -> SolveRun:
    """Solve one instance directory and write roster.csv, coverage.csv and summary.json as
    one set. `out` is checked and locked before anything else; an input the memory guard
    refuses (`max_memory` bytes; None: what the machine has available, 0: no limit) is an
    InputError before the model is built. Bad input removes the previous run's outputs."""
    started = params.started if params.started is not None else time.monotonic()
    with open_folder(out) as folder:
        try:
            problem = load(instance, allow_paths)
            check_memory(problem, params.workers, max_memory, str(instance), params.search)
        except InputError:
            remove_stale(folder)  # no roster from an earlier run may remain beside this error
            raise
        return solve_into(folder, instance, problem, params, started, on_progress, stopper)


def solve_into(
    folder: OutputFolder,
    instance: Path,
    problem: Problem,
    params: SolveParams,
    started: float,
    on_progress: Callable[[Progress], None] | None,
    stopper: Stopper | None,
    more: MoreOutputs | None = None,
) -> SolveRun:
    """Solve a loaded problem, judge, explain an infeasible one, and write the run's files
    (and `more`'s) into an opened --out folder as one set."""
    params = SolveParams(**{**params.__dict__, "started": started})
    result = solve(problem, params, on_progress, stopper)
    evaluation = evaluate(problem, result.roster) if result.roster is not None else None
    service = service_of(problem, evaluation) if evaluation is not None else None
    explanation = None
    if result.status == "INFEASIBLE" and not params.relax:
        budget = params.time_limit - (time.monotonic() - started) - 0.5
        explanation = explain(problem, seconds=min(budget, 30.0)) if budget > 0.5 else None
    wall = time.monotonic() - started
    timing = {"wall_seconds": round(wall, 3), **result.timing}
    extra: dict[str, object] = {
        "instance_dir": str(instance.resolve()),  # for `rostering compare`
        "timing": timing,
        "seed": params.seed,
        "workers": result.workers,
        "deterministic": params.deterministic,
        "time_limit": params.time_limit,
        "relaxed_rules": sorted(params.relax),
    }
    if params.relax:
        extra["relaxed_constraints_broken"] = result.relaxed_broken
    if explanation is not None:
        extra["infeasibility"] = explanation.as_dict()
    fields, files = more(result.roster) if more is not None else ({}, {})
    extra.update(fields)
    write_outputs(folder, problem, result, evaluation, extra, service, files)
    if evaluation is not None and evaluation.objective != result.objective:
        raise EvaluationMismatch(
            f"evaluate's objective {evaluation.objective} differs from the solver's "
            f"{result.objective} (solver {result.penalties}, evaluate {evaluation.penalties})"
        )
    return SolveRun(problem, result, evaluation, time.monotonic() - started, explanation, service)


def write_staffing(instance: Path, out: Path, allow_paths: Sequence[Path] = ()) -> int:
    """Write the staffing table of an instance's forecast; returns the number of rows."""
    problem = load_problem(instance, allow_paths)
    if problem.forecast is None:
        raise InputError(f"{instance}: staffing needs a forecast.csv (this instance has none)")
    rows = staffing_table(problem)
    text = csv_text(
        STAFFING_COLUMNS,
        (
            (f"{r.start:%Y-%m-%dT%H:%M}", r.tier, f"{r.contacts:g}", f"{round(r.aht_seconds, 1):g}",
             r.staffing.agents, r.required, f"{r.staffing.service_level:.4f}",
             f"{r.staffing.asa_seconds:.1f}", f"{r.staffing.occupancy:.4f}",
             f"{r.staffing.abandon_rate:.4f}", r.pooled_required)
            for r in rows
        ),
    )  # fmt: skip
    write_atomic(out, text)
    return len(rows)
