"""What-if comparison: several solve runs (their --out folders) side by side.

Each run is judged afresh from its roster.csv against the instance it was solved from
(summary.json's `instance_dir`, or `--instance`), so every figure is rostering.figures'
(evaluate, check, service); status, gap and wall time are the run's own summary.json.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rostering.figures import FIGURE_COLUMNS, judge, run_figures
from rostering.io.errors import InputError
from rostering.io.roster import read_roster
from rostering.io.safe import csv_text

COMPARE_COLUMNS = (
    "run",
    "instance",
    "status",
    "objective",
    "gap",
    "wall_seconds",
    "shifts",
    "required_person_hours",
    *FIGURE_COLUMNS,
)


def _summary(run: Path) -> dict[str, Any]:
    path = run / "summary.json"
    if not path.is_file():
        raise InputError(f"{run}: no summary.json; expected the --out folder of a solve")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        raise InputError(f"{path}: not a readable summary.json") from None
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a summary.json object")
    return data


def _instance_of(run: Path, data: dict[str, Any], given: Path | None) -> Path:
    if given is not None:
        return given
    recorded = data.get("instance_dir")
    if isinstance(recorded, str) and Path(recorded).is_dir():
        return Path(recorded)
    why = "has no instance_dir" if not recorded else f"names {recorded}, which is not a folder"
    raise InputError(f"{run / 'summary.json'}: {why}; pass the instance with --instance DIR")


def compare_runs(runs: Sequence[Path], instances: Sequence[Path] = ()) -> list[dict[str, Any]]:
    """One row per run, COMPARE_COLUMNS. `instances`: none (each run's summary.json names
    its instance), one (for every run) or one per run, in order."""
    from rostering.pipeline import load

    if len(instances) not in (0, 1, len(runs)):
        raise InputError(
            f"--instance: given {len(instances)} times for {len(runs)} runs; give it once "
            "(every run) or once per run"
        )
    rows = []
    for i, run in enumerate(runs):
        data = _summary(run)
        given = instances[0] if len(instances) == 1 else instances[i] if instances else None
        row: dict[str, Any] = dict.fromkeys(COMPARE_COLUMNS)
        timing = data.get("timing")
        wall = timing.get("wall_seconds") if isinstance(timing, dict) else None
        row.update(run=str(run), instance=data.get("instance"), status=data.get("status"),
                   gap=data.get("gap"), wall_seconds=wall)  # fmt: skip
        roster_file = run / "roster.csv"
        if roster_file.is_file():
            problem = load(_instance_of(run, data, given))
            figures = run_figures(judge(problem, read_roster(roster_file, problem))).as_dict()
            row.update({k: v for k, v in figures.items() if k in row})
            row["instance"] = problem.name
        rows.append(row)
    return rows


def _text(column: str, value: Any) -> str:
    if value is None:
        return "-"
    if column in ("service_level", "answer_rate", "gap"):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:,.1f}" if column != "wall_seconds" else f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def as_table(rows: Sequence[dict[str, Any]]) -> str:
    """The runs as columns, one figure a line (runs are named 1, 2, ... under their paths)."""
    lines = [f"  {i}: {r['run']}" for i, r in enumerate(rows, start=1)]
    shown = [c for c in COMPARE_COLUMNS if c != "run"]
    width = max(len(c) for c in shown)
    cells = [[_text(c, r[c]) for r in rows] for c in shown]
    col = max([len(str(len(rows)))] + [len(v) for line in cells for v in line])
    lines.append(f"{'':{width}}  " + "  ".join(f"{i:>{col}}" for i in range(1, len(rows) + 1)))
    for c, values in zip(shown, cells, strict=True):
        lines.append(f"{c:{width}}  " + "  ".join(f"{v:>{col}}" for v in values))
    return "\n".join(lines) + "\n"


def as_csv(rows: Sequence[dict[str, Any]]) -> str:
    """One line per run, COMPARE_COLUMNS; an empty cell where a figure does not exist."""

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        return round(value, 6) if isinstance(value, float) else value

    return csv_text(COMPARE_COLUMNS, ([cell(r[c]) for c in COMPARE_COLUMNS] for r in rows))
