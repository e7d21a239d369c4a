"""Benchmark suites: solve every instance of a suite folder and compare with the literature.

A suite is a folder with `best_known.csv` (instance, best_known_ub, best_lb, ...) and instance
files an importer recognises (today: the Curtois & Qu `.txt` format). Each roster is judged
twice: by `evaluate` and by the benchmark's own objective and hard rules, written
independently in `rostering.io.curtois` — the three numbers must agree.
"""

from __future__ import annotations

import csv
import io
import resource
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rostering.evaluate import evaluate
from rostering.io.csvfile import read_text
from rostering.io.curtois import (
    benchmark_objective,
    benchmark_violations,
    read_curtois,
    write_instance_dir,
)
from rostering.io.errors import InputError
from rostering.io.instance import load_problem
from rostering.search.params import DEFAULT, SearchParams
from rostering.solve import SolveParams, solve

LITERATURE_10_MIN = ("Gurobi", "IP&VNS hybrid (Rahimian et al.)", "Ejection chain")
BENCH_COLUMNS = (
    "instance", "employees", "days", "best_known", "lower_bound", "objective", "gap_to_best",
    "bound", "gap", "status", "wall_seconds", "first_solution_seconds", "hard_violations",
    "reference_objective", "reference_violations", "gurobi_10min", "ip_vns_10min",
    "ejection_chain_10min", "peak_rss_mb",
)  # fmt: skip


def parse_range(text: str | None, available: list[int]) -> list[int]:
    """'1-12', '3', '1-7,20' -> instance numbers; None -> every available one."""
    if not text:
        return available
    chosen: list[int] = []
    for part in text.split(","):
        lo, sep, hi = part.strip().partition("-")
        try:
            numbers = range(int(lo), int(hi if sep else lo) + 1)
        except ValueError:
            raise InputError(f"--instances: {part!r} is not N or N-M (e.g. 1-12,20)") from None
        chosen.extend(n for n in numbers if n in available)
    if not chosen:
        raise InputError(f"--instances: {text!r} names none of the suite's instances")
    return chosen


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise InputError(f"{path}: file not found; a suite folder needs best_known.csv")
    return list(csv.DictReader(io.StringIO(read_text(path), newline="")))


def suite_instances(suite: Path) -> dict[int, Path]:
    found = {}
    for path in suite.glob("Instance*.txt"):
        number = path.stem.removeprefix("Instance")
        if number.isdigit():
            found[int(number)] = path
    if not found:
        raise InputError(f"{suite}: no Instance<N>.txt files (the Curtois & Qu format)")
    return dict(sorted(found.items()))


def literature(suite: Path) -> dict[tuple[str, str], str]:
    path = suite / "literature_results.csv"
    if not path.exists():
        return {}
    return {
        (r["instance"], r["method"]): r["objective"]
        for r in _read_csv(path)
        if r.get("time_limit") == "600 s"
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_instance(
    path: Path,
    time_limit: float,
    seed: int = 0,
    workers: int = 0,
    search: SearchParams = DEFAULT,
) -> dict[str, object]:
    """Convert, solve and judge one benchmark instance."""
    started = time.monotonic()
    inst = read_curtois(path)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / path.stem
        write_instance_dir(inst, folder)
        problem = load_problem(folder)
    params = SolveParams(
        time_limit=time_limit, seed=seed, workers=workers, started=started, search=search
    )
    result = solve(problem, params)
    row: dict[str, object] = {
        "instance": path.stem, "employees": len(inst.staff), "days": inst.horizon,
        "status": result.status, "bound": result.best_bound,
        "first_solution_seconds": result.timing.get("first_solution_seconds"),
    }  # fmt: skip
    if result.roster is not None:
        evaluation = evaluate(problem, result.roster)
        cells = [(a.employee_id, a.day, a.shift_id) for a in result.roster.assignments]
        row.update(
            objective=evaluation.objective,
            gap=result.gap,
            hard_violations=len(evaluation.violations),
            reference_objective=benchmark_objective(inst, cells),
            reference_violations=len(benchmark_violations(inst, cells)),
        )
    row["wall_seconds"] = round(time.monotonic() - started, 2)
    row["peak_rss_mb"] = round(peak_rss_mb())
    return row


def run_suite(
    suite: Path,
    time_limit: float,
    instances: str | None = None,
    seed: int = 0,
    workers: int = 0,
    on_row: Callable[[dict[str, object]], None] | None = None,
    search: SearchParams = DEFAULT,
) -> list[dict[str, object]]:
    """Solve the chosen instances of a suite; one dict per instance with BENCH_COLUMNS."""
    files = suite_instances(suite)
    known = {r["instance"]: r for r in _read_csv(suite / "best_known.csv")}
    lit = literature(suite)
    rows = []
    for number in parse_range(instances, list(files)):
        path = files[number]
        row = run_instance(path, time_limit, seed, workers, search)
        best = known.get(path.stem, {})
        ub = int(best["best_known_ub"]) if best.get("best_known_ub") else None
        row["best_known"] = ub
        row["lower_bound"] = best.get("best_lb") or None
        if ub is not None and isinstance(row.get("objective"), int):
            row["gap_to_best"] = round((int(row["objective"]) - ub) / ub, 4)  # type: ignore[call-overload]
        for column, method in zip(BENCH_COLUMNS[-4:-1], LITERATURE_10_MIN, strict=True):
            row[column] = lit.get((path.stem, method))
        full = {c: row.get(c) for c in BENCH_COLUMNS}
        rows.append(full)
        if on_row is not None:
            on_row(full)
    return rows
