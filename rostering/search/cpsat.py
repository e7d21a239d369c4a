"""A CP-SAT solver set up for one search: its time, workers and seed."""

from __future__ import annotations

from ortools.sat.python import cp_model


def new_solver(
    seconds: float, workers: int, seed: int, deterministic_seconds: float | None = None
) -> cp_model.CpSolver:
    """A solver limited to `seconds` of wall time. With `deterministic_seconds`
    (--deterministic) the limit is deterministic time instead, with interleaved search:
    wall-clock limits make multi-worker runs differ, deterministic time does not. It runs
    up to ~3x slower than the clock on small machines, so the wall-clock safety net is
    generous: when it fires, the run is no longer reproducible."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = workers
    p.random_seed = seed
    seconds = max(0.1, seconds)
    if deterministic_seconds is None:
        p.max_time_in_seconds = seconds
    else:
        p.interleave_search = True
        p.max_deterministic_time = max(0.1, deterministic_seconds)
        p.max_time_in_seconds = max(seconds * 5, seconds + 60)
    return solver
