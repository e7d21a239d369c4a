"""The search's tuning as data: one frozen dataclass per stage, each value defined once.

Why each default was chosen is one line in docs/TUNING.md. `SearchParams.from_file` reads
overrides from a TOML file (`[columns] pick_seconds = 5.0`) for benchmark sweeps; every key
and value is checked like the site model's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from rostering.io.errors import InputError
from rostering.io.tomlfile import load_toml

SHARE = (0.0, 1.0)  # a share of some time
SECONDS = (0.0, 86_400.0)
COUNT = (0, 1_000_000_000)
RATIO = (0.0, 1_000.0)


def _p(default: Any, bounds: tuple[float, float]) -> Any:
    return field(default=default, metadata={"range": bounds})


@dataclass(frozen=True)
class Sizes:
    """Model sizes, in shift variables, at which stages start or stop applying."""

    large: int = _p(100_000, COUNT)  # columns below; person passes take most time above
    huge: int = _p(300_000, COUNT)  # one search worker; person passes unpriced
    person_first: int = _p(50_000, COUNT)  # a first roster person by person, interval demand
    slot_person_first: int = _p(5_000, COUNT)  # the same with shift-slot demand
    count_plan: int = _p(5_000, COUNT)  # a count plan and class passes, interval demand
    keep_person_models: int = _p(2_000_000, COUNT)  # person passes keep each person's model below


@dataclass(frozen=True)
class WorkerParams:
    min_auto: int = _p(8, (1, 1_024))  # default workers: every core, and at least this
    huge: int = _p(1, (1, 1_024))  # default workers of huge models (each holds a model copy)


@dataclass(frozen=True)
class ReserveParams:
    seconds: float = _p(0.5, SECONDS)  # kept back from the time limit to judge and write
    per_variable: float = _p(2e-5, (0.0, 1.0))  # and this per shift variable


@dataclass(frozen=True)
class ColumnsParams:
    share: float = _p(0.25, SHARE)  # of the time, for the rounds
    more_share: float = _p(0.25, SHARE)  # more for the rounds when their bound proves anything
    more_gap: float = _p(1.0, RATIO)  # ... i.e. is within this of the LP's value
    near_enough: float = _p(0.02, RATIO)  # rounds this close to the LP count as converged
    rounds_to_converge: int = _p(15, (1, 10_000))  # rounds expected, to size the first's time
    pick_seconds: float = _p(3.0, SECONDS)  # each CP-SAT pick among the columns
    service_pick_share: float = _p(0.15, SHARE)  # of the time, at least, each pick pricing
    # service (its price lines make a harder model)
    pick_workers: int = _p(2, (1, 1_024))
    fix_seconds: float = _p(3.0, SECONDS)  # each full search with the LP's agreed shifts fixed
    dive_share: float = _p(0.4, SHARE)  # of the time, for the dive after converged rounds
    near_dive_share: float = _p(0.25, SHARE)  # ... after rounds that did not converge
    dive_min_ratio: float = _p(1.0, RATIO)  # no dive shorter than this times the rounds
    dive_steps_share: float = _p(0.8, SHARE)  # of the dive, for its steps; the rest for the left
    dive_step: float = _p(0.1, SHARE)  # share of the free people fixed by each dive step
    backtrack_rise: float = _p(0.005, RATIO)  # a step raising the LP by more is undone
    backtracks: int = _p(5, COUNT)  # at most this many a dive
    dives_without_gain: int = _p(10, COUNT)  # dives in a row without a better roster, then stop
    hint_gap: float = _p(0.02, RATIO)  # the columns' roster is hinted only this close to the bound
    early_weeks: int = _p(12, COUNT)  # from this horizon on, a roster person by person first
    early_seconds: float = _p(20.0, SECONDS)  # ... within this many seconds
    early_share: float = _p(0.05, SHARE)  # ... and this share of the time, at most


@dataclass(frozen=True)
class PassParams:
    first_share: float = _p(0.3, SHARE)  # of the time, for a first roster person by person
    large_first_share: float = _p(0.9, SHARE)  # the same for large models
    after_share: float = _p(0.5, SHARE)  # of the time left, for passes from the best roster
    first_try_seconds: float = _p(2.0, SECONDS)  # each person's first search
    workers: int = _p(2, (1, 1_024))  # CP-SAT workers of each person's search
    min_gain: float = _p(0.005, SHARE)  # passes stop when one gains less than this share


@dataclass(frozen=True)
class CountPlanParams:
    # every share is of the time left at the stage's start (the work budget, --deterministic)
    plan_share: float = _p(0.05, SHARE)  # for the count plan
    early_seconds: float = _p(12.0, SECONDS)  # an early roster person by person, at most
    early_share: float = _p(0.15, SHARE)  # ... and at most this share
    quick_seconds: float = _p(3.0, SECONDS)  # a quick class pass when there is no roster yet
    quick_share: float = _p(0.1, SHARE)
    passes: tuple[float, ...] = _p((0.25, 0.2, 0.15), SHARE)  # each class pass's share
    class_workers: int = _p(2, (1, 1_024))  # CP-SAT workers of each class's search
    min_class_seconds: float = _p(1.0, SECONDS)  # the least time a class gets

    @property
    def share(self) -> float:
        """The share of the time the plan and its passes may take (--deterministic)."""
        return self.plan_share + self.quick_share + sum(self.passes)


@dataclass(frozen=True)
class WindowsParams:
    share: float = _p(0.8, SHARE)  # of the time left
    min_share: float = _p(0.1, SHARE)  # but at least this share of the limit, if left
    days: int = _p(5, (1, 3_660))  # the first windows' length
    grow: int = _p(2, (1, 3_660))  # days more once every window is left
    last_days: int = _p(9, (1, 3_660))  # past this length only if every window was proven
    seconds: float = _p(3.0, SECONDS)  # each window's first search
    longer: float = _p(2.0, RATIO)  # a window ended unproven gets this many times more, once
    tries: int = _p(2, (1, 1_000))  # searches of a window ended unproven before it is left
    at_short: float = _p(0.5, SHARE)  # share of windows drawn over a day left short


@dataclass(frozen=True)
class SlicesParams:
    pass_gain: float = _p(0.02, SHARE)  # person-by-person passes first while each gains this
    first_seconds: float = _p(40.0, SECONDS)  # the first pass's even shares are taken of this
    min_weeks: int = _p(13, (1, 530))  # horizons of at least this many weeks are cut in weeks
    weeks: int = _p(4, (1, 530))  # each window's weeks
    seconds: float = _p(45.0, SECONDS)  # each window's search, at first
    rounds_seconds: float = _p(30.0, SECONDS)  # of which the column generation's rounds, at most
    dive_seconds: float = _p(15.0, SECONDS)  # and its dive, at most; CP-SAT the rest, if need be
    longer: float = _p(2.0, RATIO)  # a window ended unproven gets this many times more, once
    tries: int = _p(2, (1, 1_000))  # searches of a window ended unproven before it is left
    at_short: float = _p(0.5, SHARE)  # share of windows drawn over a week left short


@dataclass(frozen=True)
class SearchParams:
    sizes: Sizes = Sizes()
    workers: WorkerParams = WorkerParams()
    reserve: ReserveParams = ReserveParams()
    columns: ColumnsParams = ColumnsParams()
    passes: PassParams = PassParams()
    count_plan: CountPlanParams = CountPlanParams()
    windows: WindowsParams = WindowsParams()
    slices: SlicesParams = SlicesParams()

    @classmethod
    def from_file(cls, path: Path) -> SearchParams:
        """Defaults overridden by a TOML file of `[group] key = value`; errors name the key."""
        return cls.overridden(load_toml(path), str(path))

    @classmethod
    def overridden(cls, data: dict[str, Any], where: str = "search parameters") -> SearchParams:
        params = cls()
        groups = {f.name: getattr(params, f.name) for f in fields(cls)}
        for name, values in data.items():
            if name not in groups:
                raise InputError(f"{where}: {name}: unknown group; accepted: {', '.join(groups)}")
            if not isinstance(values, dict):
                raise InputError(f"{where}: {name}: expected a table of keys")
            groups[name] = _group(groups[name], values, f"{where}: {name}")
        return cls(**groups)


def _group(group: Any, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(group)}
    changes = {}
    for key, value in values.items():
        if key not in known:
            raise InputError(f"{where}.{key}: unknown key; accepted: {', '.join(known)}")
        changes[key] = _checked(getattr(group, key), value, known[key].metadata["range"],
                                f"{where}.{key}")  # fmt: skip
    return replace(group, **changes)


def _checked(default: Any, value: Any, bounds: tuple[float, float], where: str) -> Any:
    low, high = bounds
    if isinstance(default, tuple):
        if not isinstance(value, list) or not value:
            raise InputError(f"{where}: expected a non-empty list of numbers")
        return tuple(_checked(default[0], item, bounds, where) for item in value)
    kind = int if isinstance(default, int) else float
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InputError(f"{where}: expected a number, got {type(value).__name__}")
    if kind is int and not isinstance(value, int):
        raise InputError(f"{where}: expected a whole number")
    if not (math.isfinite(value) and low <= value <= high):
        raise InputError(f"{where}: {value} out of range; accepted {low:g} to {high:g}")
    return kind(value)


DEFAULT = SearchParams()
