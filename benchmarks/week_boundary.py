"""The week boundary of the bundled hotline week: solved with its demand after the horizon
(the next Monday 00:00-07:00, the end of Sunday's night shift) and without it (those rows
dropped: the horizon alone, as before demand after the horizon was counted).

    python -m benchmarks.week_boundary [--time-limit 60] [--workers 0] [--seed 0]

Per run: status, objective, bound, wall seconds, Sunday's night shifts (N1 on the last day),
and what the roster leaves the week after: judged by rostering.evaluate against the bundled
instance (with the next Monday's rows), the people on duty at Monday 00:00-07:00, the
person-hours required there and the unmet person-hours (per interval, the largest shortfall
over the tiers, D>=t - S>=t, times the interval's length). The week after's previous.csv is
this roster, so these are the hours its first morning starts with.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import defaultdict
from datetime import datetime

from benchmarks.fairness_price import HOTLINE
from rostering.domain import DAY_MINUTES, Problem
from rostering.evaluate import evaluate
from rostering.pipeline import load
from rostering.solve import SolveParams, solve


def horizon_only(problem: Problem) -> Problem:
    """The problem without demand after the horizon's end."""
    grid = problem.model.interval_minutes or 60
    end = problem.days * DAY_MINUTES // grid
    return problem.model_copy(
        update={
            "forecast": tuple(f for f in problem.forecast or () if f.interval < end),
            "interval_demand": tuple(r for r in problem.interval_demand or () if r.interval < end),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=0, help="0: the solver's default")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    bundled = load(HOTLINE)
    end = datetime.combine(bundled.date_of(bundled.days), datetime.min.time())
    grid = bundled.model.interval_minutes or 60
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'demand':<22} {'status':<9} {'objective':>9} {'bound':>7} {'wall s':>7} "
          f"{'Sun N1':>6} {'on duty Mon 00-07':>18} {'required p-h':>12} "
          f"{'unmet p-h':>9}")  # fmt: skip
    for name, problem in (("with after-horizon", bundled), ("horizon only", horizon_only(bundled))):
        params = SolveParams(time_limit=args.time_limit, seed=args.seed, workers=args.workers)
        began = time.monotonic()
        result = solve(problem, params)
        wall = time.monotonic() - began
        assert result.roster is not None, result.status
        last = bundled.days - 1
        nights = sum(1 for a in result.roster.assignments if a.day == last and a.shift_id == "N1")
        rows = [r for r in evaluate(bundled, result.roster).coverage if r.start and r.start >= end]
        worst: dict[datetime, int] = defaultdict(int)
        duty: dict[datetime, int] = {}
        need: dict[datetime, int] = {}
        for r in rows:
            worst[r.start] = max(worst[r.start], r.shortfall)  # type: ignore[index]
            if r.tier == bundled.model.tiers[0]:
                duty[r.start], need[r.start] = r.on_duty or 0, r.required  # type: ignore[index]
        hours = grid / 60
        on = f"{min(duty.values())}-{max(duty.values())}"
        print(f"{name:<22} {result.status:<9} {result.objective:>9} {result.best_bound:>7.0f} "
              f"{wall:>7.1f} {nights:>6} {on:>18} {sum(need.values()) * hours:>12.0f} "
              f"{sum(worst.values()) * hours:>9.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
