"""The `rostering` command: a thin click shell over rostering.pipeline.

Exit codes: 0 a legal roster was written (or a checked roster is legal); 1 no roster
(infeasible or none found in time) or a checked roster breaks hard rules; 2 bad input or
usage; 70 an internal error (a bug).
"""

from __future__ import annotations

import contextlib
import errno
import math
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from rostering import __version__, log
from rostering.io.errors import InputError
from rostering.io.safe import WriteError
from rostering.search.params import SearchParams
from rostering.solve import Progress, SolveParams, Stopper, gap

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70
MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_WORKERS = 256  # each CP-SAT worker holds a copy of the model
MAX_JOBS = 256
MAX_TIME_LIMIT = 7 * 86_400.0  # a week
# errors of the machine, not of rostering: a full disk, a read-only or foreign folder
ENVIRONMENT_ERRNOS = frozenset(
    getattr(errno, name) for name in (
        "ENOSPC", "EDQUOT", "EROFS", "EACCES", "EPERM", "EIO", "EFBIG", "ENAMETOOLONG",
        "ENOTDIR", "EISDIR", "ELOOP", "EMFILE", "ENFILE", "ENXIO", "ETXTBSY",
    ) if hasattr(errno, name)
)  # fmt: skip


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
        except OSError as exc:
            if not isinstance(exc, WriteError) and exc.errno not in ENVIRONMENT_ERRNOS:
                raise_bug(exc)
            where = f"{exc.filename}: " if exc.filename else ""
            err(f"{where}{exc.strerror or exc}", "error", exit_code=EXIT_USAGE)
            sys.exit(EXIT_USAGE)
        except MemoryError:
            err("not enough memory for this input (see --max-memory)", "error",
                exit_code=EXIT_USAGE)  # fmt: skip
            sys.exit(EXIT_USAGE)
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            raise_bug(exc)

    return wrapper  # type: ignore[return-value]


def raise_bug(exc: BaseException) -> NoReturn:
    """An internal error: one line (the traceback with ROSTERING_DEBUG=1) and exit 70."""
    err(f"internal error (a bug in rostering, please report it): {exc!r}", "error",
        exit_code=EXIT_BUG)  # fmt: skip
    if os.environ.get("ROSTERING_DEBUG"):
        traceback.print_exception(exc)
    sys.exit(EXIT_BUG)


class Seconds(click.ParamType):
    """A finite number of seconds in a range: nan and inf are no time limit."""

    name = "seconds"

    def __init__(self, minimum: float = 0.5, maximum: float = MAX_TIME_LIMIT) -> None:
        self.minimum, self.maximum = minimum, maximum

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(number) or not self.minimum <= number <= self.maximum:
            self.fail(
                f"{value!r} is not a number of seconds from {self.minimum:g} to "
                f"{self.maximum:,.0f}",
                param,
                ctx,
            )
        return number


class Rostering(click.Group):
    """The command group; a usage error is one line on stderr (or one JSON error event with
    --log-format json) and exit 2, like every other error."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            value = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `rostering`: the help text
                exc.show()
                sys.exit(exc.exit_code)
            usage_error(exc, sys.argv[1:] if args is None else list(args))
        except click.exceptions.Abort:
            err("aborted", "error", exit_code=EXIT_FAIL)
            sys.exit(EXIT_FAIL)
        sys.exit(value if isinstance(value, int) else EXIT_OK)


def usage_error(exc: click.ClickException, argv: list[str]) -> NoReturn:
    if any(a == "--log-format=json" for a in argv) or any(
        a == "--log-format" and b == "json" for a, b in zip(argv, argv[1:], strict=False)
    ):
        log.configure("json")
    code = EXIT_USAGE if isinstance(exc, click.UsageError) else exc.exit_code
    ctx = getattr(exc, "ctx", None)
    hint = f" (see {ctx.command_path} --help)" if ctx is not None else ""
    err(exc.format_message() + hint, "error", exit_code=code, usage=True)
    sys.exit(code)


def allow_path_option() -> Callable[[F], F]:
    return click.option(
        "--allow-path",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        multiple=True,
        help="A folder the instance's site model may come from besides its own folder and "
        "models/ beside the folder holding it (repeatable).",
    )


def max_memory_option() -> Callable[[F], F]:
    return click.option(
        "--max-memory",
        default=None,
        metavar="SIZE",
        help="Refuse inputs whose estimated peak memory exceeds SIZE, e.g. 4G or 512M "
        "(default: the memory this machine has available; 0: no limit).",
    )


@click.group(cls=Rostering, context_settings={"help_option_names": ["-h", "--help"]})
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


def solve_options(func: F) -> F:
    """The options of a solve run, shared by `solve` and `repair`."""
    options = [
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            required=True,
            help="Folder for roster.csv, coverage.csv and summary.json.",
        ),
        click.option(
            "--time-limit",
            type=Seconds(),
            default=60.0,
            show_default=True,
            help="Seconds from start to finish, loading and writing included.",
        ),
        click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True),
        click.option(
            "--workers",
            type=click.IntRange(0, MAX_WORKERS),
            default=0,
            help="Search workers (default 0: every core, at least 8 for the CP-SAT portfolio).",
        ),
        click.option(
            "--deterministic",
            is_flag=True,
            help="Byte-identical outputs on reruns (time limit becomes a work budget).",
        ),
        click.option(
            "--relax",
            default="",
            help="Hard rule families to make soft, e.g. weekends,mentoring (least-bad roster).",
        ),
        click.option("--quiet", "-q", is_flag=True, help="No progress lines on stderr."),
        allow_path_option(),
        max_memory_option(),
        search_params_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@main.command("solve")
@click.argument("instance", type=existing_dir())
@solve_options
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
    allow_path: tuple[Path, ...],
    max_memory: str | None,
    search_params: Path | None,
) -> None:
    """Solve an instance directory and write its roster.

    Example: rostering solve instances/hotline-2026-w49 --out out/w49 --time-limit 30
    """
    from rostering.pipeline import solve_instance

    def run(params: SolveParams, on_progress: Callable[[Progress], None], stopper: Stopper,
            budget: int | None) -> Any:  # fmt: skip
        return solve_instance(instance, out, params, on_progress, stopper,
                              allow_paths=allow_path, max_memory=budget)  # fmt: skip

    _solve_run(run, out, time_limit, seed, workers, deterministic, relax, quiet, max_memory,
               search_params)  # fmt: skip


@main.command("repair")
@click.argument("instance", type=existing_dir())
@click.option(
    "--published",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="The published roster: long or grid form, CSV or .xlsx, or a solve's --out folder.",
)
@click.option(
    "--from",
    "first",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    required=True,
    help="First day that may change (YYYY-MM-DD); days before it stay as published.",
)
@solve_options
@guarded
def repair_cmd(
    instance: Path,
    published: Path,
    first: Any,
    out: Path,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    relax: str,
    quiet: bool,
    allow_path: tuple[Path, ...],
    max_memory: str | None,
    search_params: Path | None,
) -> None:
    """Change a published roster as little as the instance's new facts need.

    Days before --from stay exactly as published; on and after it each person-day that
    differs from the published roster costs [weights] change (default 1000). Writes solve's
    outputs plus changes.csv (employee_id,date,published_shift_id,shift_id).

    Example: rostering repair instances/w49 --published out/w49 --from 2026-12-02 --out out/w49b
    """
    from rostering.repair import repair_instance

    def run(params: SolveParams, on_progress: Callable[[Progress], None], stopper: Stopper,
            budget: int | None) -> Any:  # fmt: skip
        return repair_instance(instance, published, first.date(), out, params, on_progress,
                               stopper, allow_paths=allow_path, max_memory=budget)  # fmt: skip

    _solve_run(run, out, time_limit, seed, workers, deterministic, relax, quiet, max_memory,
               search_params, repair=True)  # fmt: skip


def _solve_run(
    work: Callable[[SolveParams, Callable[[Progress], None], Stopper, int | None], Any],
    out: Path,
    time_limit: float,
    seed: int,
    workers: int,
    deterministic: bool,
    relax: str,
    quiet: bool,
    max_memory: str | None,
    search_params: Path | None,
    repair: bool = False,
) -> NoReturn:
    """A solve run (`work` runs it) with its progress lines, result and exit code."""
    from rostering.memory import parse_size
    from rostering.pipeline import EvaluationMismatch

    started = time.monotonic()
    stopper = Stopper()
    params = SolveParams(time_limit=time_limit, seed=seed, workers=workers,
                         deterministic=deterministic, started=started,
                         relax=relax_families(relax),
                         search=search_parameters(search_params))  # fmt: skip
    budget = None if max_memory is None else parse_size(max_memory)
    reported: list[Progress] = []
    show: Callable[[Progress], None] | None = None if quiet else _progress_line
    bar = None
    if not quiet and log.bar_wanted():
        # on a terminal: a bar of the time used, better rosters printed above it
        bar = log.ProgressBar(time_limit, "repair" if repair else "solve", unit="s",
                              clock=lambda: time.monotonic() - started)  # fmt: skip

        def on_bar(p: Progress) -> None:
            assert bar is not None
            bar.line(progress_text(p))
            bar.update(p.elapsed, f"objective {p.objective}  gap {p.gap:.2%}")

        show = on_bar

    def on_progress(p: Progress) -> None:
        reported[:] = [p]
        if show is not None:
            show(p)

    try:
        with signals_call(stopper.stop):
            run = work(params, on_progress, stopper, budget)
    except EvaluationMismatch as exc:
        err(f"internal error (a bug in rostering, please report it): {exc}", "error",
            exit_code=EXIT_BUG)  # fmt: skip
        sys.exit(EXIT_BUG)
    finally:
        if bar is not None:
            bar.close()
    for warning in run.problem.warnings:
        err(warning, "warning")
    _report_last_roster(run, reported, quiet)
    _print_run(run, out, quiet)
    written = ["roster.csv", "coverage.csv"] if run.evaluation is not None else []
    if repair and run.evaluation is not None:
        written.append("changes.csv")
        _print_changes(run, out)
    r = run.result
    log.json_only("result", f"{r.status} ({r.stop_reason})", status=r.status,
                  stop_reason=r.stop_reason,
                  objective=run.evaluation.objective if run.evaluation else None,
                  bound=r.best_bound, gap=r.gap, wall_seconds=round(run.wall_seconds, 3),
                  exit_code=run.exit_code,
                  outputs=[str(out / name) for name in [*written, "summary.json"]])  # fmt: skip
    sys.exit(run.exit_code)


def _print_changes(run: Any, out: Path) -> None:
    """A repair's changes: person-days and people, as in changes.csv."""
    from rostering.domain import Roster
    from rostering.repair import changes

    published = Roster(assignments=run.problem.published.assignments)
    rows = changes(run.problem, published, run.result.roster)
    people = len({c.employee_id for c in rows})
    days = f"{len(rows)} person-day{'' if len(rows) == 1 else 's'}"
    who = f"{people} {'person' if people == 1 else 'people'}"
    click.echo(f"  changed {days} of {who} from the published roster; wrote {out / 'changes.csv'}")


def _report_last_roster(run: Any, reported: list[Progress], quiet: bool) -> None:
    """The returned roster's figures as a last progress event when the search reported
    another last (the final roster was polished, or came from outside the main search), so
    that the last progress event always matches the result."""
    r = run.result
    if quiet or r.objective is None:
        return
    bound = r.best_bound if r.best_bound is not None else 0.0  # penalties are never negative
    if reported and (reported[0].objective, reported[0].bound) == (r.objective, bound):
        return
    _progress_line(Progress(r.objective, bound, gap(r.objective, bound), run.wall_seconds))


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
    for line in coverage_lines(run.problem, ev, run.service):
        click.echo(f"  {line}")
    click.echo(f"  hard violations: {len(ev.violations)}")
    click.echo(f"  wrote {out / 'roster.csv'}, {out / 'coverage.csv'}, {out / 'summary.json'}")


def coverage_lines(problem: Any, ev: Any, service: Any) -> list[str]:
    """Coverage in words: shift slots short, or unmet person-hours and the service given."""
    from rostering.demand import targets_of
    from rostering.service import service_lines, unmet_person_hours

    if problem.slot_demand is not None:
        return [f"coverage shortfall (person-slots): {sum(c.shortfall for c in ev.coverage)}"]
    lines = [f"unmet person-hours: {unmet_person_hours(problem, ev):g}"]
    targets = targets_of(problem)
    if service is not None and targets is not None:
        lines += service_lines(service, targets)
    return lines


@main.command("staffing")
@click.argument("instance", type=existing_dir())
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV to write (a valid requirements.csv).",
)
@allow_path_option()
@guarded
def staffing_cmd(instance: Path, out: Path, allow_path: tuple[Path, ...]) -> None:
    """Headcount per interval and tier from the forecast (Erlang C, or Erlang A with patience).

    Example: rostering staffing instances/hotline-2026-w49 --out out/staffing.csv
    """
    from rostering.pipeline import load, write_staffing

    rows = write_staffing(instance, out, allow_path)
    for warning in load(instance, allow_path).warnings:
        err(warning, "warning")
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


def roster_path() -> click.Path:
    return click.Path(exists=True, path_type=Path)


def out_file(help_text: str) -> Any:
    return click.option(
        "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help=help_text
    )


@export_group.command("grid")
@click.argument("instance", type=existing_dir())
@click.argument("roster", type=roster_path())
@out_file("The grid CSV to write: employee_id, then one column per date.")
@guarded
def export_grid_cmd(instance: Path, roster: Path, out: Path) -> None:
    """A roster as a grid CSV: a row per person, a column per date, cells shift ids.

    ROSTER is a roster file (long or grid form, CSV or .xlsx) or a solve's --out folder.

    Example: rostering export grid instances/hotline-2026-w49 out/w49 --out out/w49/grid.csv
    """
    from rostering.io.grid import grid_csv
    from rostering.io.run_dir import load_roster
    from rostering.io.safe import write_atomic
    from rostering.pipeline import load

    problem = load(instance)
    shifts, _ = load_roster(roster, problem)
    write_atomic(out, grid_csv(problem, shifts))
    click.echo(f"wrote {out}: {len(problem.employees)} people x {problem.days} days")


@export_group.command("xlsx")
@click.argument("instance", type=existing_dir())
@click.argument("roster", type=roster_path())
@out_file("The .xlsx workbook to write (sheets roster, people, coverage, fairness).")
@guarded
def export_xlsx_cmd(instance: Path, roster: Path, out: Path) -> None:
    """A roster as an Excel workbook: the grid (frozen header, colours per shift kind),
    people, coverage and fairness sheets. Its roster sheet reads back as a roster.

    Example: rostering export xlsx instances/hotline-2026-w49 out/w49 --out out/w49/roster.xlsx
    """
    from rostering.figures import judge
    from rostering.io.run_dir import load_roster
    from rostering.io.safe import write_atomic
    from rostering.io.xlsx import workbook_bytes
    from rostering.pipeline import load

    problem = load(instance)
    judged = judge(problem, load_roster(roster, problem)[0])
    write_atomic(out, workbook_bytes(judged))
    click.echo(f"wrote {out}: {len(problem.employees)} people x {problem.days} days")


@export_group.command("ical")
@click.argument("instance", type=existing_dir())
@click.argument("roster", type=roster_path())
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for one <employee_id>.ics per person with a shift.",
)
@guarded
def export_ical_cmd(instance: Path, roster: Path, out: Path) -> None:
    """One iCalendar file per person: an event per shift, in the site's local time.

    A person without a shift gets no file (an earlier export's file for them is removed).

    Example: rostering export ical instances/hotline-2026-w49 out/w49 --out out/w49/calendars
    """
    from rostering.io.ical import person_calendars
    from rostering.io.run_dir import load_roster
    from rostering.io.safe import remove, write_atomic
    from rostering.pipeline import load

    problem = load(instance)
    calendars = person_calendars(problem, load_roster(roster, problem)[0])
    out.mkdir(parents=True, exist_ok=True)
    for eid, data in calendars.items():
        write_atomic(out / f"{eid}.ics", data)
    remove(out / f"{e.id}.ics" for e in problem.employees if e.id not in calendars)
    click.echo(f"wrote {len(calendars)} calendars to {out}")


@main.command("report")
@click.argument("instance", type=existing_dir())
@click.argument("roster", type=roster_path())
@out_file("The HTML file to write (self-contained: opens offline).")
@click.option(
    "--compare",
    "other",
    type=roster_path(),
    default=None,
    help="A second roster (file or out dir) of the same instance, shown against the first.",
)
@guarded
def report_cmd(instance: Path, roster: Path, out: Path, other: Path | None) -> None:
    """One HTML page of a roster: headline figures, the people x days grid, coverage and
    service charts, fairness, requests and every violation.

    ROSTER is a roster file (long or grid form, CSV or .xlsx) or a solve's --out folder;
    the run's status is shown when its summary.json belongs to that roster.

    Example: rostering report instances/hotline-2026-w49 out/w49 --out out/w49/report.html
    """
    from rostering.report import write_report

    judged = write_report(instance, roster, out, other)
    size = out.stat().st_size
    click.echo(
        f"wrote {out} ({size / 1024:,.0f} KiB): {len(judged.roster.assignments)} shifts, "
        f"{len(judged.evaluation.violations)} hard violations"
    )


@main.command("compare")
@click.argument("runs", metavar="OUT_DIR...", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))  # fmt: skip
@click.option(
    "--instance",
    "instances",
    multiple=True,
    type=existing_dir(),
    help="The instance of the runs (once) or of each run (once per run, in order); default: "
    "the instance_dir each run's summary.json records.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write one CSV line per run.",
)
@guarded
def compare_cmd(runs: tuple[Path, ...], instances: tuple[Path, ...], out: Path | None) -> None:
    """Solve runs side by side: status, objective, unmet and paid hours, cost, fairness
    spreads, hard violations, and the predicted service level where a forecast gives it.

    Example: rostering compare out/base out/more-juniors --out out/compare.csv
    """
    from rostering.compare import as_csv, as_table, compare_runs
    from rostering.io.safe import write_atomic

    rows = compare_runs(runs, instances)
    click.echo(as_table(rows), nl=False)
    if out is not None:
        write_atomic(out, as_csv(rows))
        click.echo(f"wrote {out}")


@main.command("bench")
@click.argument("suite", type=existing_dir())
@click.option(
    "--time-limit",
    type=Seconds(),
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
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True)
@click.option("--workers", type=click.IntRange(0, MAX_WORKERS), default=0, help="0 = every core.")
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

    bar = None
    if log.bar_wanted():
        # on a terminal: a bar of the suite's time budget (instances x time limit) used
        from rostering.bench import parse_range, suite_instances

        count = len(parse_range(instances, list(suite_instances(suite))))
        started = time.monotonic()
        bar = log.ProgressBar(count * time_limit, "bench", unit="s",
                              clock=lambda: time.monotonic() - started)  # fmt: skip

    def line(row: dict[str, object]) -> None:
        text = "  ".join(f"{_cell(row[c]):>14}" for c in shown)
        if bar is None:
            click.echo(text)
        else:
            bar.above(lambda: click.echo(text))

    try:
        search = search_parameters(search_params)
        rows = run_suite(suite, time_limit, instances, seed, workers, on_row=line, search=search)
    finally:
        if bar is not None:
            bar.close()
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


@main.command("suggest")
@click.argument("instance", type=existing_dir())
@click.option(
    "--published",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="The published roster: long or grid form, CSV or .xlsx, or a solve's --out folder.",
)
@click.option("--date", "when", type=click.DateTime(formats=["%Y-%m-%d"]), required=True,
              help="The day of the shift (YYYY-MM-DD).")  # fmt: skip
@click.option("--shift", "shift_id", required=True, help="The shift id to fill, e.g. N1.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="table for people, json or csv for tools.",
)
@allow_path_option()
@guarded
def suggest_cmd(
    instance: Path,
    published: Path,
    when: Any,
    shift_id: str,
    fmt: str,
    allow_path: tuple[Path, ...],
) -> None:
    """Who could take a shift: everyone tried on it, ranked by what it costs.

    Each person works SHIFT on DATE in the published roster (added to their day, or their
    shift that day moved to it); evaluate judges the result. A move adding no hard
    violation is listed with the change of the objective it makes, cheapest first; the
    others with the first rule the move breaks. Exit code 0 if someone can take it, 1 if
    nobody can, 2 for bad input.

    Example: rostering suggest instances/w49 --published out/w49 --date 2026-12-02 --shift N1
    """
    from rostering.io.run_dir import load_roster
    from rostering.pipeline import load
    from rostering.suggest import FORMATTERS, suggest

    problem = load(instance, allow_path)
    roster, _ = load_roster(published, problem)
    found = suggest(problem, roster, when.date(), shift_id)
    click.echo(FORMATTERS[fmt](problem, found), nl=False)
    sys.exit(EXIT_OK if found.candidates else EXIT_FAIL)


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
@allow_path_option()
@guarded
def check_cmd(
    instance: Path,
    roster_csv: Path,
    fmt: str,
    update_history: Path | None,
    allow_path: tuple[Path, ...],
) -> None:
    """Check a roster from anywhere: hard rules, penalties, coverage and fairness.

    Each limit of the site model's [fairness] policy gets a verdict per group, with the
    people at both ends; a broken limit is a hard violation.

    Exit code 0 if the roster is legal, 1 if it breaks hard rules, 2 for bad input.

    Example: rostering check instances/hotline-2026-w49 out/w49/roster.csv --format json
    """
    from rostering.check import FORMATTERS, check_roster
    from rostering.check import update_history as write_history
    from rostering.io.outfolder import manifest_warnings
    from rostering.io.roster import read_roster
    from rostering.pipeline import load

    problem = load(instance, allow_path)
    report = check_roster(problem, read_roster(roster_csv, problem))
    for warning in [*manifest_warnings(roster_csv), *report.warnings]:
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
    type=Seconds(),
    default=60.0,
    show_default=True,
    help="Seconds per instance, loading and writing included.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, MAX_JOBS),
    default=None,
    help="Solves at once (local default: 1 per 2 cores, each using cores / jobs threads; "
    "Dask default: as many as the cluster has threads).",
)
@click.option(
    "--executor",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="local: a process pool on this machine; dask: a Dask cluster (a local one sized to "
    "this machine, or --scheduler's; instance and output paths must be visible to its "
    "workers).",
)
@click.option(
    "--scheduler",
    default=None,
    help="Dask scheduler address, e.g. tcp://host:8786 (default, or 'local': a local cluster).",
)
@click.option("--seed", type=click.IntRange(0, MAX_SEED), default=0, show_default=True)
@allow_path_option()
@max_memory_option()
@guarded
def batch_cmd(
    patterns: tuple[str, ...],
    out: Path,
    time_limit: float,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    seed: int,
    allow_path: tuple[Path, ...],
    max_memory: str | None,
) -> None:
    """Solve many instance directories; one line per finished instance, DIR/batch.csv.

    GLOB selects directories holding an instance.toml (quote it to let rostering expand it).
    Exit code 0 if every instance got a legal roster, 1 if any did not, 2 if none matched.

    Example: rostering batch 'instances/*' --out out/batch --time-limit 30 --jobs 2
    """
    from rostering.batch import BatchOptions, BatchStop, batch_exit_code, find_instances, run_batch
    from rostering.memory import parse_size

    if scheduler is not None and executor != "dask":
        raise InputError("--scheduler needs --executor dask")
    instances = find_instances(patterns)
    budget = None if max_memory is None else parse_size(max_memory)
    options = BatchOptions(time_limit=time_limit, seed=seed, jobs=jobs, executor=executor,
                           scheduler=scheduler, allow_paths=allow_path,
                           max_memory=budget)  # fmt: skip
    stop = BatchStop()
    on_row: Callable[[dict[str, Any], int, int], None] = _batch_line
    bar = log.ProgressBar(len(instances), "batch") if log.bar_wanted() else None
    if bar is not None:
        bar.update(0)

        def on_bar(row: dict[str, Any], done: int, total: int) -> None:
            assert bar is not None
            bar.above(lambda: _batch_line(row, done, total))
            bar.update(done, row["instance"])

        on_row = on_bar

    try:
        with signals_call(stop.stop):
            rows = run_batch(instances, out, options, on_row, stop)
    finally:
        if bar is not None:
            bar.close()
    failed = sum(1 for r in rows if r["exit_code"] != EXIT_OK)
    code = batch_exit_code(rows)
    message = (f"wrote {out / 'batch.csv'}: {len(rows)} instances, {len(rows) - failed} legal "
               f"rosters, {failed} failed")  # fmt: skip
    click.echo(message)
    log.json_only("result", message, instances=len(rows), legal=len(rows) - failed,
                  failed=failed, exit_code=code, outputs=[str(out / "batch.csv")])  # fmt: skip
    sys.exit(code)


def _batch_line(row: dict[str, Any], done: int, total: int) -> None:
    name, status = row["instance"], row["status"]
    log.json_only("instance", f"{name}: {status}", done=done, total=total,
                  **{k: row.get(k) for k in ("instance", "status", "stop_reason", "objective",
                                             "best_bound", "gap", "wall_seconds", "exit_code",
                                             "error")})  # fmt: skip
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


class _ForecastGroup(click.Group):
    """`rostering forecast HISTORY ...` runs the hidden `make` command; a first argument
    naming a subcommand (`backtest`) or asking for help goes to the group as usual."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["make", *args]
        return super().parse_args(ctx, args)


class _ForecastCommand(click.Command):
    """The hidden `make` command, shown as `rostering forecast [OPTIONS] HISTORY_CSV`."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.parent.command_path if ctx.parent is not None else ctx.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))


def history_file() -> click.Path:
    return click.Path(dir_okay=False, path_type=Path)


def _holiday_options(func: F) -> F:
    options = [
        click.option("--holidays", "holiday_file", type=history_file(), default=None,
                     help="CSV of holiday dates (column date, optional name)."),
        click.option("--country", default=None,
                     help="Public holidays of this country (ISO code, e.g. US, GB, DE)."),
        click.option("--holiday-factor", type=click.FloatRange(min=0, max=10), default=None,
                     help="Forecast a holiday at F x a normal day (0: closed); default: "
                     "learnt from the history's holidays."),
        click.option("--level", type=click.IntRange(50, 99), default=80, show_default=True,
                     help="Prediction interval in percent (contacts_low, contacts_high)."),
    ]  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _calendar(history: Any, holiday_file: Path | None, country: str | None, until: date) -> Any:
    from rostering.forecast.calendar import holiday_calendar

    return holiday_calendar(holiday_file, country, history.first_day, until)


@main.group("forecast", cls=_ForecastGroup, invoke_without_command=False, no_args_is_help=True)
def forecast_group() -> None:
    """A forecast.csv from contact history, and how accurate it would have been.

    \b
    rostering forecast HISTORY_CSV --start DATE --days N --interval MIN --out FORECAST_CSV
    rostering forecast backtest HISTORY_CSV --days N --origins K [--interval MIN]

    `rostering forecast HISTORY_CSV --help` lists the forecast's options.

    Example: rostering forecast history.csv --start 2026-12-07 --days 7 --interval 30 --out week.csv
    """


@forecast_group.command("make", cls=_ForecastCommand, hidden=True)
@click.argument("history", metavar="HISTORY_CSV", type=history_file())
@click.option("--start", required=True, help="First day to forecast (after the history).")
@click.option("--days", type=click.IntRange(1, 366), required=True, help="Days to forecast.")
@click.option("--interval", type=click.IntRange(1, 1440), required=True,
              help="Minutes per interval (the site model's interval_minutes).")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="forecast.csv to write.")  # fmt: skip
@click.option("--method", type=click.Choice(["mstl", "last_week", "mean_4_weeks"]),
              default="mstl", show_default=True,
              help="mstl (the forecast extra) or a seasonal-naive baseline.")  # fmt: skip
@_holiday_options
@guarded
def forecast_cmd(
    history: Path,
    start: str,
    days: int,
    interval: int,
    out: Path,
    method: str,
    holiday_file: Path | None,
    country: str | None,
    holiday_factor: float | None,
    level: int,
) -> None:
    """Forecast contacts per interval (and tier, and AHT when the history has them).

    HISTORY_CSV: start,contacts and optionally tier, aht_seconds, at the interval or finer
    (finer rows are summed, AHT weighted by contacts). Intervals never open in the recent
    history are not forecast; holidays are neither learnt nor forecast as normal days.

    Example: rostering forecast history.csv --start 2026-12-07 --days 7 --interval 30 --out week.csv
    """
    from datetime import timedelta

    from rostering.forecast import make_forecast, read_history, write_forecast

    first = _date_option("--start", start)
    data = read_history(history, interval)
    calendar = _calendar(data, holiday_file, country, first + timedelta(days=days - 1))
    result = make_forecast(data, first, days, method, level / 100, calendar, holiday_factor)
    for note in result.notes:
        err(note)
    for warning in result.warnings:
        err(warning, "warning")
    rows = write_forecast(out, result)
    total = sum(r[2] for r in result.rows())
    click.echo(
        f"wrote {rows:,} rows to {out}: {first} to {first + timedelta(days=days - 1)}, "
        f"{interval}-minute intervals, {total:,.0f} contacts, method {', '.join(result.methods)}, "
        f"{level} % interval in contacts_low..contacts_high"
    )


def _date_option(name: str, value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{name}: {value!r} is not a date YYYY-MM-DD") from None


@forecast_group.command("backtest")
@click.argument("history", metavar="HISTORY_CSV", type=history_file())
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True,
              help="Days ahead of each origin.")  # fmt: skip
@click.option("--origins", type=click.IntRange(1, 520), required=True,
              help="Rolling origins, DAYS apart; the last ends with the history.")  # fmt: skip
@click.option("--interval", type=click.IntRange(1, 1440), default=None,
              help="Minutes per interval (default: the history's own step).")  # fmt: skip
@click.option("--methods", default="mstl,last_week,mean_4_weeks", show_default=True,
              help="Methods to compare, comma-separated.")  # fmt: skip
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write every origin's figures as CSV.")  # fmt: skip
@_holiday_options
@guarded
def forecast_backtest_cmd(
    history: Path,
    days: int,
    origins: int,
    interval: int | None,
    methods: str,
    out: Path | None,
    holiday_file: Path | None,
    country: str | None,
    holiday_factor: float | None,
    level: int,
) -> None:
    """Accuracy over rolling origins: WAPE per interval and per day, bias, interval coverage.

    Each origin's window is forecast from the history before it and scored against what
    happened, for every method in one table.

    Example: rostering forecast backtest history.csv --days 7 --origins 10 --interval 30
    """
    from rostering.forecast import METHODS, read_history
    from rostering.forecast.backtest import heading, percent, run_backtest, table, write_scores

    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = [m for m in chosen if m not in METHODS]
    if unknown or not chosen:
        raise InputError(f"--methods: unknown {', '.join(unknown) or '(none given)'}; "
                         f"accepted: {', '.join(METHODS)}")  # fmt: skip
    data = read_history(history, interval)
    calendar = _calendar(data, holiday_file, country, data.last_day)

    def line(origin: date, score: Any) -> None:
        err(f"  origin {origin}  {score.method:<13} WAPE {percent(score.wape_interval):>8}  "
            f"bias {percent(score.bias):>8}  {score.seconds:.2f}s", "progress")  # fmt: skip

    result = run_backtest(data, days, origins, chosen, level / 100, calendar, holiday_factor,
                          on_origin=line)  # fmt: skip
    click.echo(heading(result))
    click.echo(table(result))
    if out is not None:
        write_scores(out, result)
        click.echo(f"wrote {out}")


if __name__ == "__main__":  # pragma: no cover
    main()
