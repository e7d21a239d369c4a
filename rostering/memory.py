"""Refusing inputs too large for the machine before the model is built: an estimate of a
solve's peak memory from the model's size, held against a budget (--max-memory, by default
the memory this machine has available), so that no input ends in an out-of-memory kill."""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from rostering.domain import Problem
from rostering.io.errors import InputError
from rostering.search.budget import default_workers
from rostering.search.params import DEFAULT, SearchParams

# Peak resident memory of `rostering solve`, fitted to lie above the peaks measured (docs/
# BENCHMARKS.md, "Hostile inputs and the memory guard"): the interpreter and libraries; the
# model built in Python, per shift variable and per coverage term (a shift variable on duty
# in a demand interval or slot); and each CP-SAT worker's copy, which grows less than in
# proportion to the model (Curtois Instance24: +3.4 GB for the 2nd worker, +2.1 GB for each
# of the next six; a 1,000-engineer site: about 0.2 GB a worker).
BASE_BYTES = 350 * 2**20
PER_VARIABLE_BYTES = 3_000
PER_COVER_TERM_BYTES = 250
WORKER_BYTES = 160_000  # x variables ** WORKER_POWER, per CP-SAT worker
WORKER_POWER = 0.7

_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]?)(?:i?B)?\s*\Z", re.IGNORECASE)
_UNITS = {"": 2**20, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def model_size(problem: Problem) -> tuple[int, int]:
    """Shift variables (person x day x shift type the person may work that day) and
    coverage terms (each variable once per demand interval or slot it is on duty in)."""
    model = problem.model
    grid = model.interval_minutes or 0
    interval_demand = bool(problem.interval_demand or problem.forecast) and grid > 0
    variables = terms = 0
    weekdays = [problem.date_of(d).weekday() for d in range(problem.days)]
    for e in problem.employees:
        for s in model.shifts:
            if e.limits.max_shifts.get(s.id) == 0:
                continue
            days = sum(1 for w in weekdays if w in s.weekdays)
            variables += days
            terms += days * (-(-s.minutes // grid) if interval_demand else 1)
    return variables, terms


def estimate_bytes(variables: int, terms: int, workers: int) -> int:
    """Estimated peak resident memory of a solve of this size with `workers` CP-SAT workers."""
    model = variables * PER_VARIABLE_BYTES + terms * PER_COVER_TERM_BYTES
    copies = max(1, workers) * WORKER_BYTES * variables**WORKER_POWER
    return int(BASE_BYTES + model + copies)


def available_bytes() -> int | None:
    """Memory this process may still use: MemAvailable, within a cgroup's limit; None where
    neither is known (the guard is then off)."""
    found: list[int] = []
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
    cgroup = Path("/sys/fs/cgroup")
    with contextlib.suppress(OSError, ValueError):
        limit = (cgroup / "memory.max").read_text().strip()
        if limit != "max":
            used = int((cgroup / "memory.current").read_text())
            found.append(max(0, int(limit) - used))
    if not found:
        with contextlib.suppress(ValueError, OSError, AttributeError):
            found.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    return min(found) if found else None


def parse_size(text: str) -> int:
    """Bytes in "4G", "512M", "1.5GiB" or "2048" (MiB); 0 turns the guard off."""
    match = _SIZE.match(text)
    if not match:
        raise InputError(
            f"--max-memory: {text!r} is not a size; accepted: a number with K, M, G or T "
            "(e.g. 4G, 512M; a bare number is MiB), or 0 for no limit"
        )
    return int(float(match.group(1)) * _UNITS[match.group(2).upper()])


def check_memory(
    problem: Problem,
    workers: int,
    budget: int | None,
    where: str,
    search: SearchParams = DEFAULT,
) -> None:
    """Refuse a problem whose estimated peak memory exceeds `budget` bytes (None: what the
    machine has available; 0: no limit). `workers` 0 means solve's default for the size."""
    if budget is None:
        budget = available_bytes()
    if not budget:
        return
    variables, terms = model_size(problem)
    workers = workers or default_workers(variables, search)
    need = estimate_bytes(variables, terms, workers)
    if need > budget:
        raise InputError(
            f"{where}: too large for the memory allowed: {len(problem.employees):,} "
            f"people x {problem.days} days make {variables:,} shift variables, about "
            f"{gib(need)} with {workers} search worker{'s' if workers != 1 else ''}; the "
            f"limit is {gib(budget)} (--max-memory; fewer --workers, people or days need less)"
        )


def gib(n: int) -> str:
    return f"{n / 2**30:.1f} GiB"
