"""A roster given on the command line: a roster file, or a solve's --out folder.

From a folder, its roster.csv; and from either, the run's summary.json when it belongs to
that roster (its `roster_sha256` is the roster file's hash), so that a page never shows the
status of another run beside a roster edited since.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from rostering.domain import Problem, Roster
from rostering.io.errors import InputError
from rostering.io.roster import read_roster


@dataclass(frozen=True)
class RunInfo:
    """What a solve's summary.json says of the run that wrote the roster."""

    status: str
    stop_reason: str | None
    best_bound: float | None
    gap: float | None
    wall_seconds: float | None


def read_run(roster_path: Path) -> tuple[Path, RunInfo | None]:
    """The roster file of ROSTER (a file, or a solve's out dir holding roster.csv) and the
    run's summary.json when it belongs to that roster (its roster_sha256 matches)."""
    folder = roster_path if roster_path.is_dir() else roster_path.parent
    roster_file = roster_path / "roster.csv" if roster_path.is_dir() else roster_path
    if not roster_file.is_file():
        raise InputError(f"{roster_path}: no roster.csv in this folder (not a solve's --out dir)")
    summary_path = folder / "summary.json"
    if not summary_path.is_file():
        return roster_file, None
    try:
        data = json.loads(summary_path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        raise InputError(f"{summary_path}: not a readable summary.json") from None
    digest = hashlib.sha256(roster_file.read_bytes()).hexdigest()
    if not isinstance(data, dict) or data.get("roster_sha256") != digest:
        return roster_file, None  # a summary of another roster: not this run's
    timing = data.get("timing") or {}
    return roster_file, RunInfo(
        status=str(data.get("status")),
        stop_reason=data.get("stop_reason"),
        best_bound=data.get("best_bound"),
        gap=data.get("gap"),
        wall_seconds=timing.get("wall_seconds") if isinstance(timing, dict) else None,
    )


def load_roster(path: Path, problem: Problem) -> tuple[Roster, RunInfo | None]:
    """The roster of ROSTER (read as rostering.io.roster reads any) and its run, if known."""
    roster_file, run = read_run(path)
    return read_roster(roster_file, problem), run
