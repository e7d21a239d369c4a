"""Many instance directories in one run: a local process pool, or a Dask cluster.

Each instance is solved by `solve_one` (a top-level, picklable function that never raises
and returns a plain dict) into OUT/<instance name>/; the rows are gathered in the order the
instances were given and written to OUT/batch.csv. One failing instance never stops the
others.

Statuses in batch.csv: the solver's OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN; ERROR for bad
input (exit_code 2) or an internal error (exit_code 70), with the reason in `error`; NOT_RUN
when the batch was interrupted before the instance started.
"""

from __future__ import annotations

import asyncio
import glob
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rostering.figures import FIGURE_COLUMNS
from rostering.io.errors import InputError
from rostering.io.outfolder import open_folder
from rostering.io.safe import csv_text, write_atomic
from rostering.memory import available_bytes

BATCH_COLUMNS = (
    "instance",
    "status",
    "objective",
    "best_bound",
    "gap",
    "wall_seconds",
    "exit_code",
    "error",
    *FIGURE_COLUMNS,  # the roster's figures (rostering.figures), empty without a roster
)
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 70
POLL_SECONDS = 0.1
LOCAL_SCHEDULER = "local"  # --scheduler local: a Dask cluster started on this machine

Row = dict[str, Any]


# --------------------------------------------------------------------------- finding instances


def available_cores() -> int:
    """CPU cores this process may use (the affinity mask, where the OS has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def find_instances(patterns: Sequence[str]) -> list[Path]:
    """Instance directories matching the patterns, in the order given (each glob's matches
    sorted), each once. A glob keeps the directories holding an instance.toml; a plain path
    is kept if it is a directory (a missing instance.toml is then that instance's error).
    Two instances with the same folder name would share an output folder: an input error."""
    found: list[Path] = []
    seen: set[Path] = set()
    for pattern in patterns:
        if glob.has_magic(pattern):
            matches = [Path(p) for p in sorted(glob.glob(pattern))]
            dirs = [p for p in matches if (p / "instance.toml").is_file()]
        else:
            dirs = [Path(pattern)] if Path(pattern).is_dir() else []
        for path in dirs:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(path)
    if not found:
        raise InputError(
            "no instance directory matches "
            + " ".join(repr(p) for p in patterns)
            + " (a directory with an instance.toml)"
        )
    by_name: dict[str, list[Path]] = {}
    for path in found:
        by_name.setdefault(instance_name(path), []).append(path)
    clashes = [
        f"{name}: {', '.join(str(p) for p in paths)} would write into the same output folder; "
        "rename one or run them in separate batches"
        for name, paths in by_name.items()
        if len(paths) > 1
    ]
    if clashes:
        raise InputError(*clashes)
    return found


def instance_name(path: Path) -> str:
    return path.resolve().name


# --------------------------------------------------------------------------- the worker


class _WorkerState:
    """Per-process state of a pool worker: the running solves' stoppers, and whether the
    batch was interrupted (then no new solve starts)."""

    def __init__(self) -> None:
        self.interrupted = False
        self.stoppers: set[Any] = set()
        self.lock = threading.Lock()

    def interrupt(self) -> None:
        with self.lock:
            self.interrupted = True
            stoppers = list(self.stoppers)
        for stopper in stoppers:
            stopper.stop()


_STATE = _WorkerState()


def _init_pool_worker(stop_flag: Any) -> None:
    """Pool initializer: Ctrl-C goes to the parent only; the parent's stop flag ends the
    running solve (its best roster is written, stop_reason "signal")."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while not stop_flag.value:
            time.sleep(POLL_SECONDS)
        _STATE.interrupt()

    threading.Thread(target=watch, name="batch-stop", daemon=True).start()


def _solve_workers() -> int:
    """Search threads for one solve when the caller left it to the worker: inside a Dask
    worker, this machine's cores shared among the worker's threads; else every core."""
    return max(1, available_cores() // _worker_threads())


def _worker_threads() -> int:
    """Threads of the Dask worker running this call (1 outside Dask)."""
    try:
        from distributed import get_worker

        return max(1, int(getattr(get_worker(), "nthreads", 1) or 1))
    except (ImportError, ValueError, AttributeError):
        return 1


def _solve_memory() -> int | None:
    """The memory guard's budget for one solve: what this machine has available, shared
    among the solves running beside it in this worker process."""
    from rostering.memory import available_bytes

    available = available_bytes()
    return None if available is None else available // _worker_threads()


def blank_row(name: str) -> Row:
    return {
        "instance": name,
        "status": "",
        "objective": None,
        "best_bound": None,
        "gap": None,
        "wall_seconds": None,
        "exit_code": None,
        "error": "",
        "stop_reason": "",
        "warnings": [],
        "error_lines": [],
        **dict.fromkeys(FIGURE_COLUMNS),
    }


def not_run_row(name: str, why: str) -> Row:
    return {**blank_row(name), "status": "NOT_RUN", "exit_code": EXIT_FAIL, "error": why}


def solve_one(
    instance: str,
    out: str,
    time_limit: float,
    seed: int = 0,
    workers: int = 0,
    allow_paths: tuple[str, ...] = (),
    max_memory: int | None = None,
) -> Row:
    """Solve one instance directory into `out` and return its batch.csv row as a plain dict
    (plus `stop_reason`, `warnings` and `error_lines`). Never raises: bad input becomes
    status ERROR with exit_code 2 and the error lines; any other exception status ERROR with
    exit_code 70.
    `workers` = 0 lets the worker decide (see `_solve_workers`). The time limit counts from
    this call, not from the start of the batch. `max_memory` is the memory guard's budget
    in bytes (None: this machine's available memory shared among the worker's threads)."""
    started = time.monotonic()
    name = instance_name(Path(instance))
    row = blank_row(name)

    def failed(code: int, *lines: str) -> Row:
        wall = round(time.monotonic() - started, 3)
        return {**row, "status": "ERROR", "exit_code": code, "error": "; ".join(lines),
                "error_lines": list(lines), "wall_seconds": wall}  # fmt: skip

    try:
        from rostering.pipeline import EvaluationMismatch, solve_instance
        from rostering.solve import SolveParams, Stopper

        stopper = Stopper()
        with _STATE.lock:
            if _STATE.interrupted:
                return not_run_row(name, "interrupted before it started")
            _STATE.stoppers.add(stopper)
        try:
            params = SolveParams(
                time_limit=time_limit,
                seed=seed,
                workers=workers or _solve_workers(),
                started=started,
            )
            budget = _solve_memory() if max_memory is None else max_memory
            run = solve_instance(Path(instance), Path(out), params, None, stopper,
                                 allow_paths=[Path(p) for p in allow_paths],
                                 max_memory=budget)  # fmt: skip
        finally:
            with _STATE.lock:
                _STATE.stoppers.discard(stopper)
        figures = roster_figures(run)
    except InputError as exc:
        return failed(EXIT_USAGE, *exc.lines)
    except EvaluationMismatch as exc:
        return failed(EXIT_BUG, f"internal error: {exc}")
    except Exception as exc:  # noqa: BLE001 - one instance never stops the batch
        return failed(EXIT_BUG, f"internal error: {exc!r}")
    result, evaluation = run.result, run.evaluation
    row.update(
        status=result.status,
        stop_reason=result.stop_reason,
        objective=evaluation.objective if evaluation is not None else None,
        best_bound=result.best_bound,
        gap=result.gap,
        wall_seconds=round(run.wall_seconds, 3),
        exit_code=run.exit_code,
        warnings=list(run.problem.warnings),
        **figures,
    )
    if evaluation is None:
        row["error"] = (
            "no roster: infeasible"
            if result.status == "INFEASIBLE"
            else f"no roster found ({result.stop_reason})"
        )
    elif not evaluation.is_feasible():
        row["error"] = f"the roster breaks hard rules ({len(evaluation.violations)} violations)"
    return row


def roster_figures(run: Any) -> Row:
    """The FIGURE_COLUMNS of a solve run's roster (none without a roster)."""
    from rostering.figures import judge, run_figures

    if run.evaluation is None or run.result.roster is None:
        return {}
    figures = run_figures(judge(run.problem, run.result.roster, run.evaluation)).as_dict()
    return {c: figures[c] for c in FIGURE_COLUMNS}


# --------------------------------------------------------------------------- running a batch


@dataclass
class BatchOptions:
    time_limit: float = 60.0  # seconds per instance
    seed: int = 0
    jobs: int | None = None  # solves at once; default: local 1 per 2 cores, Dask every thread
    executor: str = "local"  # local | dask
    scheduler: str | None = None  # Dask scheduler address, or "local"/None: a local cluster
    allow_paths: tuple[Path, ...] = ()  # --allow-path: more folders site models may come from
    max_memory: int | None = None  # bytes per solve; None: available memory / solves at once


@dataclass
class BatchStop:
    """Ends a batch from a signal handler: no new solve starts; running local solves stop
    and write their best roster; Dask tasks not finished are cancelled."""

    requested: bool = False
    reason: str = "interrupted before it started"

    def stop(self, reason: str = "interrupted before it started") -> None:
        self.requested = True
        self.reason = reason


@dataclass
class _Pool:
    submit: Callable[..., Any]
    capacity: int  # solves in flight at once
    workers: int  # search threads per solve (0 = decided by the worker)
    on_stop: Callable[[], None]
    close: Callable[[], None]
    interrupted_running: str  # the error text for a solve cancelled mid-run
    crashed: Callable[[BaseException], bool] = lambda exc: False  # retry the solve once?
    memory: int | None = None  # the memory guard's budget per solve (None: the worker's)


def run_batch(
    instances: Sequence[Path],
    out: Path,
    options: BatchOptions,
    on_row: Callable[[Row, int, int], None] | None = None,
    stop: BatchStop | None = None,
) -> list[Row]:
    """Solve every instance into out/<name>/, write out/batch.csv, and return the rows in
    the order of `instances`. `on_row(row, done, total)` is called as each one finishes.
    A solve whose worker process died (killed, out of memory) is retried once in a fresh
    pool, since it may only have been running beside the one that brought the pool down."""
    with open_folder(out):  # checked and locked before any solve: one batch per folder
        return _run_batch(instances, out, options, on_row, stop or BatchStop())


def _run_batch(
    instances: Sequence[Path],
    out: Path,
    options: BatchOptions,
    on_row: Callable[[Row, int, int], None] | None,
    stop: BatchStop,
) -> list[Row]:
    tasks = [(str(p.resolve()), str((out / instance_name(p)).resolve())) for p in instances]
    names = [instance_name(p) for p in instances]
    rows: list[Row | None] = [None] * len(tasks)
    pool = _dask_pool(options, len(tasks)) if options.executor == "dask" else None
    pool = pool or _local_pool(options, len(tasks))
    allow = tuple(str(p.resolve()) for p in options.allow_paths)
    memory = options.max_memory if options.max_memory is not None else pool.memory
    waiting = deque(range(len(tasks)))
    in_flight: dict[Any, int] = {}
    retried: set[int] = set()
    done = 0
    stopped = False

    def finish(i: int, row: Row) -> None:
        nonlocal done
        rows[i] = row
        done += 1
        _notify(on_row, row, done, len(tasks))

    try:
        while done < len(tasks):
            if stop.requested and not stopped:
                stopped = True
                pool.on_stop()
                while waiting:
                    i = waiting.popleft()
                    finish(i, not_run_row(names[i], stop.reason))
            while waiting and len(in_flight) < pool.capacity:
                i = waiting.popleft()
                instance, folder = tasks[i]
                args = (instance, folder, options.time_limit, options.seed, pool.workers,
                        allow, memory)  # fmt: skip
                try:
                    in_flight[pool.submit(solve_one, *args)] = i
                except Exception as exc:  # noqa: BLE001 - the pool cannot take work
                    finish(i, worker_failed_row(names[i], exc))
            finished = [f for f in in_flight if f.done()]
            if not finished:
                time.sleep(POLL_SECONDS)
                continue
            for future in finished:
                i = in_flight.pop(future)
                row, crashed = _collect(future, names[i], pool)
                if crashed and i not in retried and not stopped:
                    retried.add(i)
                    waiting.appendleft(i)
                else:
                    finish(i, row)
    finally:
        pool.close()
    complete = [r for r in rows if r is not None]
    write_batch_csv(out / "batch.csv", complete)
    return complete


def _notify(on_row: Callable[[Row, int, int], None] | None, row: Row, done: int, n: int) -> None:
    if on_row is not None:
        on_row(row, done, n)


def _collect(future: Any, name: str, pool: _Pool) -> tuple[Row, bool]:
    """The row a finished future holds, and whether its worker process crashed; a lost
    worker or a cancelled task becomes a row too."""
    if future.cancelled():
        return not_run_row(name, pool.interrupted_running), False
    try:
        return dict(future.result()), False
    except asyncio.CancelledError:  # Dask's cancelled futures raise this one
        return not_run_row(name, pool.interrupted_running), False
    except Exception as exc:  # noqa: BLE001 - a crashed worker process, a lost Dask worker
        return worker_failed_row(name, exc), pool.crashed(exc)


def worker_failed_row(name: str, exc: BaseException) -> Row:
    error = f"internal error: the worker failed: {exc!r}"
    return {**blank_row(name), "status": "ERROR", "exit_code": EXIT_BUG, "error": error}


def _local_pool(options: BatchOptions, n: int) -> _Pool:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    cores = available_cores()
    jobs = max(1, min(options.jobs or cores // 2, n))
    workers = max(1, cores // jobs)
    # spawn, not fork: forking a process whose CP-SAT or Dask threads ran is unsafe
    context = multiprocessing.get_context("spawn")
    # A plain shared byte the workers poll: no lock a killed worker could leave held.
    stop_flag = context.RawValue("b", 0)

    def new_executor() -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_init_pool_worker,
            initargs=(stop_flag,),
        )

    current = [new_executor()]

    def submit(fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return current[0].submit(fn, *args)
        except BrokenProcessPool:  # a worker died: start a fresh pool for the rest
            current[0].shutdown(wait=False, cancel_futures=True)
            current[0] = new_executor()
            return current[0].submit(fn, *args)

    def on_stop() -> None:
        stop_flag.value = 1

    def close() -> None:
        stop_flag.value = 1  # lets the watcher threads end
        current[0].shutdown(wait=True, cancel_futures=True)

    available = available_bytes()
    return _Pool(
        submit=submit,
        capacity=jobs,
        workers=workers,
        on_stop=on_stop,
        close=close,
        interrupted_running="interrupted before it started",
        crashed=lambda exc: isinstance(exc, BrokenProcessPool),
        memory=None if available is None else available // jobs,
    )


def _dask_pool(options: BatchOptions, n: int) -> _Pool:
    """A Dask client: of the cluster at --scheduler, or of a local cluster sized to this
    machine (without --scheduler, or with --scheduler local)."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--executor dask needs Dask: install rostering[dask] (pip install 'rostering[dask]')"
        ) from None
    if options.scheduler in (None, "", LOCAL_SCHEDULER):
        return _local_dask_pool(options, n)
    if "://" not in options.scheduler and ":" not in options.scheduler:
        raise InputError(
            f"--scheduler: {options.scheduler!r} is not a scheduler address; accepted: "
            "tcp://HOST:PORT (or HOST:PORT), or 'local' for a cluster on this machine"
        )
    try:
        client = Client(options.scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(
            f"--scheduler: cannot reach the Dask scheduler at {options.scheduler!r}: {exc}"
        ) from None
    return _client_pool(client, options, n, client.close)


def _local_dask_pool(options: BatchOptions, n: int) -> _Pool:
    """A Dask cluster on this machine: one worker process per job (--jobs, default one per
    two cores, as the local executor), each solve using cores / jobs search threads."""
    import logging

    from distributed import Client, LocalCluster

    cores = available_cores()
    jobs = max(1, min(options.jobs or cores // 2, n))
    try:
        cluster = LocalCluster(
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
    except (OSError, RuntimeError, TimeoutError) as exc:
        raise InputError(f"--executor dask: cannot start a local Dask cluster: {exc}") from None
    try:
        client = Client(cluster, set_as_default=False)
    except BaseException:
        cluster.close()
        raise

    def close() -> None:
        client.close()
        cluster.close()

    available = available_bytes()
    memory = None if available is None else available // jobs
    return _client_pool(client, options, jobs, close, max(1, cores // jobs), memory)


def _client_pool(
    client: Any,
    options: BatchOptions,
    n: int,
    close: Callable[[], None],
    workers: int = 0,
    memory: int | None = None,
) -> _Pool:
    in_flight: list[Any] = []

    def submit(fn: Callable[..., Any], *args: Any) -> Any:
        future = client.submit(fn, *args, pure=False, retries=0)
        in_flight.append(future)
        return future

    def on_stop() -> None:
        client.cancel([f for f in in_flight if not f.done()])

    return _Pool(
        submit=submit,
        # without --jobs every task is submitted: the cluster runs as many as it has threads
        capacity=options.jobs or max(n, 1),
        workers=workers,
        on_stop=on_stop,
        close=close,
        memory=memory,
        interrupted_running=(
            "interrupted: cancelled on the cluster (a solve already running there may still "
            "write its folder)"
        ),
    )


# --------------------------------------------------------------------------- batch.csv


def _number(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        return round(value, 6)
    return value


def batch_csv(rows: Iterable[Row]) -> str:
    return csv_text(BATCH_COLUMNS, ([_number(r.get(c)) for c in BATCH_COLUMNS] for r in rows))


def write_batch_csv(path: Path, rows: Iterable[Row]) -> None:
    """batch.csv, written whole or not at all."""
    write_atomic(path, batch_csv(rows))


def batch_exit_code(rows: Sequence[Row]) -> int:
    """0 if every instance wrote a legal roster, else 1."""
    return EXIT_OK if rows and all(r["exit_code"] == EXIT_OK for r in rows) else EXIT_FAIL
