"""Scale benchmark: how build time, search progress and memory grow with the team size.

    python -m benchmarks.scale_bench [--sizes 50,100,200,500,1000] [--bank] [--week MONDAY]
        [--instance DIR ...] [--time-limit 60] [--workers 0] [--seed 0]
        [--scenario-dir out/scenarios] [--out results.csv]

Generates the scenarios of `benchmarks.scenarios` (synthetic 24x7 sites of the given sizes,
and with `--bank` one real week of the bank data) into `--scenario-dir`, then solves each
instance in a fresh Python process (`--one`, so that its peak memory is its own) with
`rostering.solve.solve`, recording every progress event (a better roster). Prints a
description of the machine and a markdown table to stdout, one line per finished instance
to stderr, and with `--out` writes every figure as CSV.

Clocks start before loading, as for `rostering solve --time-limit` (the limit counts
loading, building and searching). Per instance:

* `build_s`: loading + model building (`result.timing["build_seconds"]`), `load_s` alone;
* `first_s`: the first roster found;
* `gap1_s`, `gap01_s`: first time the gap (objective - bound) / max(1, |objective|) was at
  most 1 % and 0.1 %. Gaps are known only when a roster is found, while the bound also
  moves between rosters: when only the final bound (or a proof of optimality) certifies a
  threshold, the time is the end of the search and `gap_at_end` names the threshold
  (`1%`, `0.1%`); the true time lies between the last roster and that end;
* `objective`, `bound`, `gap`, `status`, `stop_reason`: the solver's final figures;
* `hard_violations`: hard-rule violations found by `rostering.evaluate` (must be 0),
  `evaluated_objective`: evaluate's objective of the final roster, and `evaluate_matches`:
  it equals the solver's (a mismatch is reported, not raised: `rostering solve` exits 70);
* `peak_mb`: the solving process's peak resident memory (ru_maxrss);
* `x_vars`, `cp_vars`, `cp_constraints`: the model's shift variables and CP-SAT
  variables and constraints, from a second build after the measurement (`--no-model-stats`
  skips it).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks import scenarios

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SIZES = (50, 100, 200, 500, 1000)
CHILD_MARGIN = 300.0  # seconds a child may run beyond its time limit before it is killed

COLUMNS = (
    "instance", "engineers", "days", "intervals", "demand_intervals", "shift_types",
    "requests", "x_vars", "cp_vars", "cp_constraints", "time_limit", "workers", "load1",
    "load_s", "build_s", "first_s", "gap1_s", "gap01_s", "gap_at_end", "objective", "bound",
    "gap", "status", "stop_reason", "evaluated_objective", "evaluate_matches",
    "hard_violations", "events",
    "wall_s", "peak_mb", "error",
)  # fmt: skip

TABLE = (
    ("instance", "instance"),
    ("engineers", "engineers"),
    ("intervals", "intervals"),
    ("shift_types", "shift types"),
    ("x_vars", "x vars"),
    ("build_s", "build s"),
    ("first_s", "first roster s"),
    ("gap1_s", "gap ≤ 1 % s"),
    ("gap01_s", "gap ≤ 0.1 % s"),
    ("objective", "objective"),
    ("evaluated_objective", "evaluated"),
    ("bound", "bound"),
    ("gap", "gap"),
    ("status", "status"),
    ("hard_violations", "hard viol."),
    ("peak_mb", "peak MB"),
)


# ------------------------------------------------------------------------------ machine


def _meminfo_mb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, object]:
    import ortools

    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    memory = _meminfo_mb()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpu_count": os.cpu_count(),
        "usable_cpus": usable,
        "cpu_model": _cpu_model(),
        "memory_gb": round(memory / 1024, 1) if memory else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "ortools": ortools.__version__,
        "load_average": [round(x, 2) for x in load] if load else None,
    }


def machine_text(info: dict[str, object]) -> str:
    return "\n".join(
        [
            f"- CPU: {info['cpu_model']}, os.cpu_count() = {info['cpu_count']}"
            f" (usable by this process: {info['usable_cpus']})",
            f"- memory: {info['memory_gb']} GB",
            f"- platform: {info['platform']}",
            f"- Python {info['python']}, OR-Tools {info['ortools']}",
            f"- load average at start (1, 5, 15 min): {info['load_average']}",
        ]
    )


# ------------------------------------------------------------------------------ one instance


def _first_time(
    events: Sequence[tuple[float, int, float, float]],
    threshold: float,
    final_gap: float | None,
    end: float,
) -> tuple[float | None, bool]:
    """(seconds, certified only at the end) for the first gap <= threshold."""
    for elapsed, _, _, gap in events:
        if gap <= threshold + 1e-12:
            return elapsed, False
    if final_gap is not None and final_gap <= threshold + 1e-12:
        return end, True
    return None, False


def measure(
    instance: Path, time_limit: float, workers: int, seed: int, model_stats: bool = True
) -> dict[str, object]:
    """Load, solve and evaluate one instance in this process; every figure of COLUMNS."""
    from rostering.evaluate import evaluate
    from rostering.pipeline import load
    from rostering.solve import Progress, SolveParams, solve

    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    started = time.monotonic()
    problem = load(instance)
    load_s = time.monotonic() - started
    events: list[tuple[float, int, float, float]] = []

    def on_progress(p: Progress) -> None:
        events.append((p.elapsed, p.objective, p.bound, p.gap))

    params = SolveParams(time_limit=time_limit, workers=workers, seed=seed, started=started)
    result = solve(problem, params, on_progress)
    end = time.monotonic() - started
    evaluation = evaluate(problem, result.roster) if result.roster is not None else None
    wall = time.monotonic() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    final_gap = result.gap
    gap1, gap1_end = _first_time(events, 0.01, final_gap, end)
    gap01, gap01_end = _first_time(events, 0.001, final_gap, end)
    grid = problem.model.interval_minutes
    demand = {r.interval for r in problem.interval_demand or () if r.required > 0}
    row: dict[str, object] = {
        "instance": instance.name,
        "engineers": len(problem.employees),
        "days": problem.days,
        "intervals": problem.days * 1440 // grid if grid else None,
        "demand_intervals": len(demand),
        "shift_types": len(problem.model.shifts),
        "requests": len(problem.requests),
        "time_limit": time_limit,
        "workers": result.workers,
        "load1": round(load1, 2) if load1 is not None else None,
        "load_s": round(load_s, 3),
        "build_s": result.timing.get("build_seconds"),
        "first_s": result.timing.get("first_solution_seconds"),
        "gap1_s": round(gap1, 3) if gap1 is not None else None,
        "gap01_s": round(gap01, 3) if gap01 is not None else None,
        "gap_at_end": " ".join(
            name for name, flag in (("1%", gap1_end), ("0.1%", gap01_end)) if flag
        ),
        "objective": result.objective,
        "bound": result.best_bound,
        "gap": round(final_gap, 6) if final_gap is not None else None,
        "status": result.status,
        "stop_reason": result.stop_reason,
        "hard_violations": len(evaluation.violations) if evaluation is not None else None,
        "evaluated_objective": evaluation.objective if evaluation is not None else None,
        "evaluate_matches": (
            evaluation.objective == result.objective if evaluation is not None else None
        ),
        "events": len(events),
        "wall_s": round(wall, 3),
        "peak_mb": round(peak_mb, 1),
        "error": "",
    }
    if model_stats:
        from rostering.model.build import build

        built = build(problem)
        proto = built.model.proto
        row["x_vars"] = len(built.variables.x)
        row["cp_vars"] = len(proto.variables)
        row["cp_constraints"] = len(proto.constraints)
    return row


# ------------------------------------------------------------------------------ driver


def run_child(
    instance: Path, time_limit: float, workers: int, seed: int, model_stats: bool
) -> dict[str, object]:
    """measure() in a fresh interpreter; a failed child gives a row with `error` set."""
    command = [
        sys.executable, "-m", "benchmarks.scale_bench", "--one", str(instance),
        "--time-limit", str(time_limit), "--workers", str(workers), "--seed", str(seed),
    ]  # fmt: skip
    if not model_stats:
        command.append("--no-model-stats")
    failed: dict[str, object] = {"instance": instance.name, "time_limit": time_limit}
    try:
        done = subprocess.run(
            command,
            cwd=REPO,  # `-m benchmarks.scale_bench` imports from the working directory
            capture_output=True,
            text=True,
            timeout=time_limit + CHILD_MARGIN,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {**failed, "status": "TIMEOUT", "error": "killed after the time limit + margin"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
        sys.stderr.write(done.stderr)
        return {**failed, "status": "ERROR", "error": tail[0]}
    return json.loads(lines[-1])


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def markdown(rows: Sequence[dict[str, object]]) -> str:
    lines = [
        "| " + " | ".join(title for _, title in TABLE) + " |",
        "|" + "|".join("---" for _ in TABLE) + "|",
    ]
    for row in rows:
        cells = []
        for key, _ in TABLE:
            cell = _cell(row.get(key))
            marks = str(row.get("gap_at_end") or "").split()
            if (key == "gap1_s" and "1%" in marks) or (key == "gap01_s" and "0.1%" in marks):
                cell = f"≤ {cell}"
            if key == "gap" and isinstance(row.get("gap"), float):
                cell = f"{100 * float(row['gap']):.2f} %"
            cells.append(cell)
        lines.append("| " + " | ".join(cells) + " |")
    notes = [
        "",
        "Times in seconds from the start of the run (loading included), as the time limit.",
        "`≤ T`: only the final bound certified the gap; it was reached between the last "
        "roster found and T.",
    ]
    errors = [f"- {r['instance']}: {r['status']} {r['error']}" for r in rows if r.get("error")]
    return "\n".join(lines + notes + errors)


def csv_text(rows: Sequence[dict[str, object]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if row.get(k) is None else row.get(k) for k in COLUMNS})
    return buf.getvalue()


def prepare(
    sizes: Sequence[int], bank: bool, week: date, scenario_dir: Path, scenario_seed: int
) -> list[Path]:
    instances = []
    for n in sizes:
        instances.append(
            scenarios.synthetic_site(scenario_dir / f"synthetic-{n}", n, scenario_seed)
        )
    if bank:
        instances.append(scenarios.bank_week(scenario_dir / f"bank-{week}", week))
    return instances


def sizes_arg(text: str) -> list[int]:
    if text.strip().lower() in ("", "none"):
        return []
    return scenarios.engineer_list(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scale_bench", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes", type=sizes_arg, default=list(DEFAULT_SIZES),
        help="synthetic site sizes, comma-separated ('none': no synthetic site)",
    )  # fmt: skip
    parser.add_argument("--bank", action="store_true", help="add the bank week")
    parser.add_argument("--week", type=date.fromisoformat, default=scenarios.DEFAULT_WEEK)
    parser.add_argument(
        "--instance", type=Path, action="append", default=[],
        help="an existing instance directory to add (repeatable)",
    )  # fmt: skip
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=0, help="0 = every core")
    parser.add_argument("--seed", type=int, default=0, help="the solver's random seed")
    parser.add_argument("--scenario-seed", type=int, default=7, help="synthetic sites' seed")
    parser.add_argument("--scenario-dir", type=Path, default=scenarios.DEFAULT_OUT)
    parser.add_argument("--out", type=Path, help="write every figure to this CSV file")
    parser.add_argument("--no-model-stats", action="store_true", help="skip the model counts")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.one is not None:
        row = measure(args.one, args.time_limit, args.workers, args.seed, not args.no_model_stats)
        print(json.dumps(row))
        return 0

    info = machine()
    try:
        instances = prepare(args.sizes, args.bank, args.week, args.scenario_dir, args.scenario_seed)
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    instances += [path.resolve() for path in args.instance]
    if not instances:
        parser.error("nothing to run: give --sizes, --bank or --instance")
    rows = []
    for path in instances:
        row = run_child(
            path.resolve(), args.time_limit, args.workers, args.seed, not args.no_model_stats
        )
        rows.append(row)
        print(
            f"{row['instance']}: {row.get('status')} objective {row.get('objective')} "
            f"gap {row.get('gap')} first {row.get('first_s')} s, "
            f"{row.get('peak_mb')} MB {row.get('error') or ''}",
            file=sys.stderr,
            flush=True,
        )
    print(f"# Scale benchmark, time limit {args.time_limit:g} s\n")
    print(machine_text(info))
    print()
    print(markdown(rows))
    if args.out is not None:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(csv_text(rows), encoding="utf-8")
    bad = [r for r in rows if r.get("error") or r.get("hard_violations")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
