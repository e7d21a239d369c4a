"""The files of a solve run: roster.csv, coverage.csv, summary.json — whole or not at all."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rostering.domain import Problem
from rostering.evaluate import Evaluation
from rostering.io.outfolder import OutputFolder, open_folder
from rostering.io.roster import roster_csv
from rostering.io.safe import csv_text
from rostering.service import Service, service_of, service_summary
from rostering.solve import Result
from rostering.staffing import LevelService

OUTPUT_FILES = ("roster.csv", "coverage.csv", "summary.json")

INTERVAL_COVERAGE = ("start", "tier", "required", "on_duty", "shortfall", "surplus")
SERVICE_COVERAGE = (
    "contacts", "agents", "service_level", "asa_seconds", "abandon_rate", "occupancy",
)  # fmt: skip
SLOT_COVERAGE = ("date", "shift_id", "required", "assigned", "shortfall", "surplus")


def coverage_csv(problem: Problem, evaluation: Evaluation, service: Service | None = None) -> str:
    """coverage.csv: with forecast demand, each interval row also carries what Erlang
    predicts for its tier level's pool (empty where no contacts arrive). `service`: the
    roster's, if computed already (service_of)."""
    if problem.slot_demand is not None:
        return csv_text(
            SLOT_COVERAGE,
            (
                (str(r.date), r.shift_id, r.required, r.assigned, r.shortfall, r.surplus)
                for r in evaluation.coverage
            ),
        )
    service = service or service_of(problem, evaluation)
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
    out: Path | OutputFolder,
    problem: Problem,
    result: Result,
    evaluation: Evaluation | None,
    extra: dict[str, Any],
    service: Service | None = None,
    more: dict[str, str | None] | None = None,
) -> None:
    """Write the run's files as one set (see rostering.io.outfolder). Without a roster, the
    previous run's roster.csv and coverage.csv are removed in the same step, so no stale
    roster is mistaken for a new one. `more`: files of the roster written with it (repair's
    changes.csv; None: not written), removed the same way when there is no roster."""
    files: dict[str, str] = {}
    extra = dict(extra)
    if service is None and evaluation is not None:
        service = service_of(problem, evaluation)
    if result.roster is not None and evaluation is not None:
        files["roster.csv"] = roster_csv(problem, result.roster)
        files["coverage.csv"] = coverage_csv(problem, evaluation, service)
        # summary.json is the set's manifest: the hashes of the files written with it
        extra["roster_sha256"] = sha256(files["roster.csv"])
        extra["coverage_sha256"] = sha256(files["coverage.csv"])
        files.update({name: text for name, text in (more or {}).items() if text is not None})
    report = summary(problem, result, evaluation, extra, service)
    files["summary.json"] = json.dumps(report, indent=2, ensure_ascii=False) + "\n"
    with _folder(out) as folder:
        folder.commit(files, remove=(*OUTPUT_FILES, *(more or {})))


def remove_stale(out: Path | OutputFolder, more: tuple[str, ...] = ()) -> None:
    """Remove a previous run's outputs (roster.csv, coverage.csv and the summary.json that
    describes them) together, so that no stale roster is mistaken for the output of a run
    that wrote none."""
    with _folder(out) as folder:
        folder.commit({}, remove=(*OUTPUT_FILES, *more))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@contextlib.contextmanager
def _folder(out: Path | OutputFolder) -> Iterator[OutputFolder]:
    """The folder as given, or a Path opened (checked, locked) for this write only."""
    if isinstance(out, OutputFolder):
        yield out
    else:
        with open_folder(out) as folder:
            yield folder
