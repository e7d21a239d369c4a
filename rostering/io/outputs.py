"""The files of a solve run: roster.csv, coverage.csv, summary.json — whole or not at all."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

from rostering.domain import Problem
from rostering.evaluate import Evaluation
from rostering.io.roster import roster_csv
from rostering.io.safe import csv_text, remove, write_all
from rostering.service import Service, service_of, service_summary
from rostering.solve import Result
from rostering.staffing import LevelService

INTERVAL_COVERAGE = ("start", "tier", "required", "on_duty", "shortfall", "surplus")
SERVICE_COVERAGE = (
    "contacts", "agents", "service_level", "asa_seconds", "abandon_rate", "occupancy",
)  # fmt: skip
SLOT_COVERAGE = ("date", "shift_id", "required", "assigned", "shortfall", "surplus")


def coverage_csv(problem: Problem, evaluation: Evaluation) -> str:
    """coverage.csv: with forecast demand, each interval row also carries what Erlang
    predicts for its tier level's pool (empty where no contacts arrive)."""
    if problem.slot_demand is not None:
        return csv_text(
            SLOT_COVERAGE,
            (
                (str(r.date), r.shift_id, r.required, r.assigned, r.shortfall, r.surplus)
                for r in evaluation.coverage
            ),
        )
    service = service_of(problem, evaluation)
    if service is None:
        return csv_text(
            INTERVAL_COVERAGE,
            (
                (f"{r.start:%Y-%m-%dT%H:%M}", r.tier, r.required, r.on_duty, r.shortfall,
                 r.surplus)
                for r in evaluation.coverage
            ),
        )  # fmt: skip
    return csv_text(
        INTERVAL_COVERAGE + SERVICE_COVERAGE,
        (
            (f"{r.start:%Y-%m-%dT%H:%M}", r.tier, r.required, r.on_duty, r.shortfall, r.surplus,
             *_service_cells(service.levels.get((r.start, r.tier))))
            for r in evaluation.coverage
            if r.start is not None and r.tier is not None
        ),
    )  # fmt: skip


def _service_cells(level: LevelService | None) -> tuple[str, ...]:
    if level is None:
        return ("",) * len(SERVICE_COVERAGE)
    asa = "" if math.isinf(level.asa_seconds) else f"{level.asa_seconds:.1f}"
    return (f"{level.contacts:g}", str(level.agents), f"{level.service_level:.4f}", asa,
            f"{level.abandon_rate:.4f}", f"{level.occupancy:.4f}")  # fmt: skip


def summary(
    problem: Problem,
    result: Result,
    evaluation: Evaluation | None,
    extra: dict[str, Any],
    service: Service | None = None,
) -> dict[str, Any]:
    """summary.json's content. `penalties` and `hard_violations` are evaluate's verdict."""
    data: dict[str, Any] = {
        "instance": problem.name,
        "status": result.status,
        "stop_reason": result.stop_reason,
        "objective": evaluation.objective if evaluation else None,
        "best_bound": result.best_bound,
        "gap": result.gap,
        "route": [dict(stage) for stage in result.route],
        "penalties": dict(evaluation.penalties) if evaluation else {},
        "hard_violations": [v.as_dict() for v in evaluation.violations] if evaluation else [],
        "solver_objective": result.objective,
        "employees": len(problem.employees),
        "days": problem.days,
        "start": problem.start.isoformat(),
        "shifts_assigned": len(result.roster.assignments) if result.roster else 0,
        "warnings": list(problem.warnings),
    }
    data.update(service_summary(service))
    data.update(extra)
    return data


def write_outputs(
    out: Path,
    problem: Problem,
    result: Result,
    evaluation: Evaluation | None,
    extra: dict[str, Any],
) -> None:
    """Write the run's files. Without a roster, remove the previous run's roster.csv and
    coverage.csv so no stale roster is mistaken for a new one."""
    out.mkdir(parents=True, exist_ok=True)
    files: dict[Path, str] = {}
    extra = dict(extra)
    service = service_of(problem, evaluation) if evaluation is not None else None
    if result.roster is not None and evaluation is not None:
        files[out / "roster.csv"] = roster_csv(problem, result.roster)
        files[out / "coverage.csv"] = coverage_csv(problem, evaluation)
        # each file is renamed into place whole, summary.json last; a reader can tell a
        # roster.csv from this run by its hash (a kill between two renames mixes runs)
        extra["roster_sha256"] = hashlib.sha256(files[out / "roster.csv"].encode()).hexdigest()
    else:
        remove_stale(out)
    report = summary(problem, result, evaluation, extra, service)
    files[out / "summary.json"] = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    write_all(files)


def remove_stale(out: Path) -> None:
    """Remove a previous run's roster.csv and coverage.csv, so that no stale roster is
    mistaken for the output of a run that wrote none."""
    remove([out / "roster.csv", out / "coverage.csv"])
