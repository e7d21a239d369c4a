"""The `rostering` command: a thin click shell over rostering.pipeline.

Exit codes: 0 a legal roster was written (or a checked roster is legal); 1 no roster
(infeasible or none found in time) or a checked roster breaks hard rules; 2 bad input or
usage; 70 an internal error (a bug).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from rostering import __version__, log
from rostering.io.errors import InputError
from rostering.search.params import SearchParams
from rostering.solve import Progress, SolveParams, Stopper

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70


def err(message: str, kind: str = "info", **fields: Any) -> None:
    log.event(kind, message, **fields)


def guarded(func: F) -> F:
    """User mistakes: one line per problem and exit 2. Anything else is a bug: exit 70."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for line in exc.lines:
                err(line, "error", exit_code=EXIT_USAGE)
            sys.exit(EXIT_USAGE)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except KeyboardInterrupt:
            err("interrupted")
            sys.exit(130)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            err(f"internal error (a bug in rostering, please report it): {exc!r}", "error",
                exit_code=EXIT_BUG)  # fmt: skip
            if os.environ.get("ROSTERING_DEBUG"):
                traceback.print_exc()
            sys.exit(EXIT_BUG)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rostering")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="stderr as text, or one JSON object per event.")  # fmt: skip
def main(log_format: str) -> None:
    """Staffing math and legal, fair rosters for contact centers.

    Example: rostering solve instances/hotline-2026-w49 --out out/w49
    """
    log.configure(log_format)


@contextlib.contextmanager
def signals_call(stop: Callable[[], None]) -> Iterator[None]:
    """SIGTERM and SIGINT call `stop` (end the search, keep the best roster) while inside."""
    previous = {
        sig: signal.signal(sig, lambda *_: stop()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def existing_dir() -> click.Path:
    return click.Path(exists=True, file_okay=False, path_type=Path)


search_params_option = click.option(
    "--search-params",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML file overriding the search's tuning (docs/TUNING.md), for benchmark sweeps.",
)


def search_parameters(path: Path | None) -> SearchParams:
    return SearchParams() if path is None else SearchParams.from_file(path)


@main.command("solve")
@click.argument("instance", type=existing_dir())
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for roster.csv, coverage.csv and summary.json.",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.5),
    default=60.0,
    show_default=True,
    help="Seconds from start to finish, loading and writing included.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=0,
    help="Search workers (default 0: every core, at least 8 for the CP-SAT portfolio).",
)
@click.option(
    "--deterministic",
    is_flag=True,
    help="Byte-identical outputs on reruns (time limit becomes a work budget).",
)
@click.option(
    "--relax",
    default="",
    help="Hard rule families to make soft, e.g. weekends,mentoring (least-bad roster).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr.")
@search_params_option
@guarded
def solve_cmd(
    instance: Path,
    out: Path,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    relax: str,
    quiet: bool,
    search_params: Path | None,
) -> None:
    """Solve an instance directory and write its roster.

    Example: rostering solve instances/hotline-2026-w49 --out out/w49 --time-limit 30
    """
    from rostering.io.outputs import remove_stale
    from rostering.pipeline import EvaluationMismatch, solve_instance

    started = time.monotonic()
    stopper = Stopper()
    params = SolveParams(time_limit=time_limit, seed=seed, workers=workers,
                         deterministic=deterministic, started=started,
                         relax=relax_families(relax),
                         search=search_parameters(search_params))  # fmt: skip
    progress = None if quiet else _progress_line
    try:
        with signals_call(stopper.stop):
            run = solve_instance(instance, out, params, progress, stopper)
    except InputError:
        remove_stale(out)  # bad input writes no roster: none from an earlier run may remain
        raise
    except EvaluationMismatch as exc:
        err(f"internal error (a bug in rostering, please report it): {exc}", "error",
            exit_code=EXIT_BUG)  # fmt: skip
        sys.exit(EXIT_BUG)
    for warning in run.problem.warnings:
        err(warning, "warning")
    _print_run(run, out, quiet)
    sys.exit(run.exit_code)


def relax_families(text: str) -> frozenset[str]:
    from rostering.model.families import HARD_FAMILIES

    names = frozenset(n.strip() for n in text.split(",") if n.strip())
    unknown = sorted(names - set(HARD_FAMILIES))
    if unknown:
        raise InputError(
            f"--relax: unknown hard rule {', '.join(unknown)}; accepted: {', '.join(HARD_FAMILIES)}"
        )
    return names


def _progress_line(p: Progress) -> None:
    err(progress_text(p), "progress", objective=p.objective, bound=p.bound, gap=p.gap,
        elapsed=round(p.elapsed, 3))  # fmt: skip


def progress_text(p: Progress) -> str:
    return (
        f"  objective {p.objective:>10}  bound {p.bound:>12.0f}  gap {p.gap:7.2%}  "
        f"{p.elapsed:7.1f}s"
    )


def _print_run(run: Any, out: Path, quiet: bool) -> None:
    r, ev = run.result, run.evaluation
    if ev is None:
        click.echo(f"{r.status} ({r.stop_reason}): no roster written; see {out / 'summary.json'}")
        if run.explanation is not None:
            why = run.explanation.as_dict()
            err("\n".join(run.explanation.sentences), "explanation", **why)
        elif r.status == "INFEASIBLE":
            err("no explanation found within the time limit; try a longer --time-limit", "warning")
        return
    gap = f"{r.gap:.2%}" if r.gap is not None else "n/a"
    bound = f"{r.best_bound:.0f}" if r.best_bound is not None else "n/a"
    click.echo(
        f"{r.status} ({r.stop_reason}) objective {ev.objective}  bound {bound}  "
        f"gap {gap}  {run.wall_seconds:.1f}s  {len(r.roster.assignments)} shifts"
    )
    if r.relaxed_broken:
        click.echo(f"  relaxed rules broken {r.relaxed_broken} times: see hard_violations")
    if quiet:
        return
    nonzero = ", ".join(f"{k} {v}" for k, v in ev.penalties.items() if v)
    click.echo(f"  penalties: {nonzero or 'none'}")
    shortfall = sum(c.shortfall for c in ev.coverage)
    unit = "person-slots" if run.problem.slot_demand is not None else "person-intervals"
    click.echo(f"  coverage shortfall ({unit}, summed over tiers): {shortfall}")
    click.echo(f"  hard violations: {len(ev.violations)}")
    click.echo(f"  wrote {out / 'roster.csv'}, {out / 'coverage.csv'}, {out / 'summary.json'}")


@main.command("staffing")
@click.argument("instance", type=existing_dir())
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV to write (a valid requirements.csv).",
)
@guarded
def staffing_cmd(instance: Path, out: Path) -> None:
    """Headcount per interval and tier from the forecast (Erlang C, or Erlang A with patience).

    Example: rostering staffing instances/hotline-2026-w49 --out out/staffing.csv
    """
    from rostering.pipeline import write_staffing

    rows = write_staffing(instance, out)
    click.echo(f"wrote {rows} rows to {out}")


def monday(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else date(2024, 1, 1)
    except ValueError:
        raise InputError(f"--start: {value!r} is not a date YYYY-MM-DD") from None


@main.group("convert")
def convert_group() -> None:
    """Import instances from other formats."""


@convert_group.command("curtois")
@click.argument("instance_txt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--start", default=None, help="First date, a Monday (default 2024-01-01).")
@guarded
def convert_curtois_cmd(instance_txt: Path, out_dir: Path, start: str | None) -> None:
    """An instance directory from a Curtois & Qu benchmark file.

    Example: rostering convert curtois ../shared/benchmarks/curtois/Instance1.txt out/i1
    """
    from rostering.io.curtois import read_curtois, write_instance_dir

    try:
        inst = read_curtois(instance_txt)
        write_instance_dir(inst, out_dir, monday(start))
    except ValueError as exc:
        raise InputError(str(exc)) from None
    click.echo(
        f"wrote {out_dir}: {len(inst.staff)} employees, {inst.horizon} days, "
        f"{len(inst.shifts)} shift types"
    )


@main.group("export")
def export_group() -> None:
    """Write rosters in other tools' formats."""


@export_group.command("curtois")
@click.argument("instance_txt", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("roster_csv", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The tab-separated grid the benchmark's verifier reads.",
)
@click.option("--start", default=None, help="Date of day 0 in roster.csv (default 2024-01-01).")
@guarded
def export_curtois_cmd(instance_txt: Path, roster_csv: Path, out: Path, start: str | None) -> None:
    """The benchmark site's roster grid (one line per employee, a cell per day).

    Example: rostering export curtois Instance1.txt out/i1/roster.csv --out i1.grid
    """
    from rostering.io.csvfile import read_csv
    from rostering.io.curtois import read_curtois, roster_grid
    from rostering.io.roster import ROSTER_COLUMNS
    from rostering.io.safe import write_atomic

    try:
        inst = read_curtois(instance_txt)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    first = monday(start)
    staff = {s.id for s in inst.staff}
    cells: dict[tuple[str, int], str] = {}
    for row in read_csv(roster_csv, ROSTER_COLUMNS[:3], ROSTER_COLUMNS[3:]):
        day = (row.date("date") - first).days
        if row.get("employee_id") not in staff or not 0 <= day < inst.horizon:
            raise row.fail("employee_id", "not an employee and day of this benchmark instance")
        cells[row.get("employee_id"), day] = row.get("shift_id")
    write_atomic(out, roster_grid(inst, cells))
    click.echo(f"wrote {out}")


@main.command("bench")
@click.argument("suite", type=existing_dir())
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.5),
    required=True,
    help="Seconds per instance, conversion included.",
)
@click.option("--instances", default=None, help="Which instances, e.g. 1-12 or 1-7,20.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the table as CSV.",
)
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(min=0), default=0, help="0 = every core.")
@search_params_option
@guarded
def bench_cmd(
    suite: Path,
    time_limit: float,
    instances: str | None,
    out: Path | None,
    seed: int,
    workers: int,
    search_params: Path | None,
) -> None:
    """Solve a benchmark suite and compare with the best known and published results.

    Example: rostering bench ../shared/benchmarks/curtois --time-limit 60 --instances 1-7
    """
    from rostering.bench import BENCH_COLUMNS, run_suite
    from rostering.io.safe import csv_text, write_atomic

    shown = ("instance", "best_known", "objective", "gap_to_best", "bound", "wall_seconds",
             "hard_violations", "reference_objective", "gurobi_10min", "ip_vns_10min")  # fmt: skip
    click.echo("  ".join(f"{c:>14}" for c in shown))

    def line(row: dict[str, object]) -> None:
        click.echo("  ".join(f"{_cell(row[c]):>14}" for c in shown))

    search = search_parameters(search_params)
    rows = run_suite(suite, time_limit, instances, seed, workers, on_row=line, search=search)
    if out is not None:
        write_atomic(out, csv_text(BENCH_COLUMNS, ([r[c] for c in BENCH_COLUMNS] for r in rows)))
        click.echo(f"wrote {out}")
    bad = [r["instance"] for r in rows if r["objective"] is None or r["hard_violations"]]
    sys.exit(EXIT_FAIL if bad else EXIT_OK)


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@main.command("check")
@click.argument("instance", type=existing_dir())
@click.argument("roster_csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json or csv for tools.",
)
@click.option(
    "--update-history",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Add this period's nights, weekends and minutes to a history.csv (rerun: replaced).",
)
@guarded
def check_cmd(instance: Path, roster_csv: Path, fmt: str, update_history: Path | None) -> None:
    """Check a roster from anywhere: hard rules, penalties, coverage and fairness.

    Each limit of the site model's [fairness] policy gets a verdict per group, with the
    people at both ends; a broken limit is a hard violation.

    Exit code 0 if the roster is legal, 1 if it breaks hard rules, 2 for bad input.

    Example: rostering check instances/hotline-2026-w49 out/w49/roster.csv --format json
    """
    from rostering.check import FORMATTERS, check_roster
    from rostering.check import update_history as write_history
    from rostering.io.roster import read_roster
    from rostering.pipeline import load

    problem = load(instance)
    report = check_roster(problem, read_roster(roster_csv, problem))
    for warning in report.warnings:
        err(warning, "warning")
    if update_history is not None:
        rows = write_history(update_history, report)
        err(f"wrote {rows} rows for period {report.start} to {update_history}")
    click.echo(FORMATTERS[fmt](report), nl=False)
    sys.exit(EXIT_OK if report.legal else EXIT_FAIL)


@main.command("fairness")
@click.argument("instance", type=existing_dir())
@click.option(
    "--periods",
    type=click.IntRange(min=1),
    default=None,
    help="Total the last N periods of the history (default: every period in it).",
)
@click.option(
    "--history",
    "history",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A history.csv to read instead of the instance's own (e.g. check --update-history's).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json or csv for tools.",
)
@guarded
def fairness_cmd(instance: Path, periods: int | None, history: Path | None, fmt: str) -> None:
    """The fairness ledger: per group and person, nights, weekends and paid hours over the
    last periods of a history.csv, and each group's spread with the people at both ends.

    Groups and people come from the instance (staff.csv, the site model's [fairness]
    groups); the history is the instance's history.csv unless --history names another.

    Example: rostering fairness instances/hotline-2026-w49 --periods 4 --history hist.csv
    """
    from rostering.io.instance import load_problem
    from rostering.ledger import FORMATTERS, ledger

    problem = load_problem(instance)
    path = history if history is not None else instance / "history.csv"
    if not path.is_file():
        raise InputError(
            f"{path}: no history.csv; give one with --history (check --update-history writes it)"
        )
    book = ledger(problem, path, periods)
    for warning in book.warnings:
        err(warning, "warning")
    click.echo(FORMATTERS[fmt](book), nl=False)


@main.command("batch")
@click.argument("patterns", metavar="GLOB...", nargs=-1, required=True)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for batch.csv and one output folder per instance (DIR/<instance name>/).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.5),
    default=60.0,
    show_default=True,
    help="Seconds per instance, loading and writing included.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Solves at once (local default: 1 per 2 cores, each using cores / jobs threads; "
    "Dask default: as many as the cluster has threads).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: a Dask cluster (needs --scheduler; "
    "instance and output paths must be visible to its workers).",
)
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://host:8786.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@guarded
def batch_cmd(
    patterns: tuple[str, ...],
    out: Path,
    time_limit: float,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    seed: int,
) -> None:
    """Solve many instance directories; one line per finished instance, DIR/batch.csv.

    GLOB selects directories holding an instance.toml (quote it to let rostering expand it).
    Exit code 0 if every instance got a legal roster, 1 if any did not, 2 if none matched.

    Example: rostering batch 'instances/*' --out out/batch --time-limit 30 --jobs 2
    """
    from rostering.batch import BatchOptions, BatchStop, batch_exit_code, find_instances, run_batch

    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler needs --executor dask")
    instances = find_instances(patterns)
    options = BatchOptions(time_limit=time_limit, seed=seed, jobs=jobs, executor=executor,
                           scheduler=scheduler)  # fmt: skip
    stop = BatchStop()
    with signals_call(stop.stop):
        rows = run_batch(instances, out, options, _batch_line, stop)
    failed = sum(1 for r in rows if r["exit_code"] != EXIT_OK)
    click.echo(f"wrote {out / 'batch.csv'}: {len(rows)} instances, {len(rows) - failed} legal "
               f"rosters, {failed} failed")  # fmt: skip
    sys.exit(batch_exit_code(rows))


def _batch_line(row: dict[str, Any], done: int, total: int) -> None:
    name, status = row["instance"], row["status"]
    for warning in row.get("warnings", ()):
        err(f"{name}: {warning}", "warning", instance=name)
    if row["objective"] is not None:
        gap = f"{row['gap']:.2%}" if row["gap"] is not None else "n/a"
        detail = f"objective {row['objective']}  gap {gap}  {row['wall_seconds']:.1f}s"
        click.echo(f"[{done}/{total}] {name}: {status} ({row['stop_reason']}) {detail}")
        if row["error"]:
            err(f"{name}: {row['error']}", "error", instance=name)
        return
    click.echo(f"[{done}/{total}] {name}: {status}")
    for line in row.get("error_lines") or [row["error"]]:
        err(f"{name}: {line}", "error", instance=name)


if __name__ == "__main__":  # pragma: no cover
    main()
