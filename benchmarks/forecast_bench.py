"""Forecast accuracy and speed on the bank call history (30 minutes, one week ahead).

    python -m benchmarks.forecast_bench [--origins 10] [--days 7] [--variants] [--out FILE]

Writes the bank data as a history CSV in out/forecast-bench/ (read from
`../shared/data/bank_calls/` at run time, see `benchmarks.bank_history`), then in one run:

* the backtest of `rostering forecast backtest` over the last K weekly origins for the
  method (mstl) and the baselines (same slot last week, mean of the same slot over the last
  four weeks): WAPE per 30-minute interval and per day, bias, coverage of the 80 % interval,
  seconds per forecast; `--variants` adds the alternatives that were tried;
* the wall time of one week's forecast from the whole history: `rostering forecast` as a
  command (a fresh process: Python start, imports, reading) and the library call alone,
  once cold (first in the process) and once warm.

Prints a description of the machine and markdown tables; `--out` writes every origin's
figures as CSV.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from benchmarks.bank_history import write_history
from rostering.forecast import make_forecast, read_history, run_backtest
from rostering.forecast import mstl as mstl_model
from rostering.forecast.backtest import Backtest, heading, write_scores
from rostering.forecast.baselines import mean_4_weeks
from rostering.forecast.methods import REGISTRY, Method, Prediction, error_band

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "out" / "forecast-bench"
METHODS = ("mstl", "last_week", "mean_4_weeks")


def mstl_variant(name: str, **options: object) -> Method:
    """MSTL with other options (see rostering.forecast.mstl.mstl's keywords)."""

    def run(
        train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int,
        level: float,
    ) -> Prediction:  # fmt: skip
        mean = mstl_model.mstl(train, first_weekday, pattern, offset, days, **options)  # type: ignore[arg-type]
        assert mean is not None
        low, high = error_band(mean_4_weeks, train, first_weekday, pattern, level)
        return Prediction(mean, mean * low, mean * high, method=name)

    return run


def blend(name: str, first: str, second: str, weight: float) -> Method:
    """weight x first + (1 - weight) x second, intervals likewise."""

    def run(
        train: np.ndarray, first_weekday: int, pattern: np.ndarray, offset: int, days: int,
        level: float,
    ) -> Prediction:  # fmt: skip
        a = REGISTRY[first](train, first_weekday, pattern, offset, days, level)
        b = REGISTRY[second](train, first_weekday, pattern, offset, days, level)
        mix = [weight * x + (1 - weight) * y for x, y in
               ((a.mean, b.mean), (a.low, b.low), (a.high, b.high))]  # fmt: skip
        return Prediction(*mix, method=name)

    return run


VARIANTS: dict[str, Method] = {
    "mstl_ets_trend": mstl_variant("mstl_ets_trend", trend="ets"),
    "mstl_ets_trend_linear": mstl_variant("mstl_ets_trend_linear", trend="ets", log=False),
    "mstl_linear": mstl_variant("mstl_linear", log=False),
    "mstl_all_history": mstl_variant("mstl_all_history", train_weeks=None),
    "mstl_level_2_weeks": mstl_variant("mstl_level_2_weeks", level_weeks=2),
    "mstl_level_3_weeks": mstl_variant("mstl_level_3_weeks", level_weeks=3),
    "mstl_level_6_weeks": mstl_variant("mstl_level_6_weeks", level_weeks=6),
    "mstl_level_8_weeks": mstl_variant("mstl_level_8_weeks", level_weeks=8),
    "mstl_weekly_season_only": mstl_variant("mstl_weekly_season_only", daily_season=False),
    "mstl+mean_4_weeks": blend("mstl+mean_4_weeks", "mstl", "mean_4_weeks", 0.5),
}


def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(line.split()[1]) / 1024 / 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        )
    except (OSError, StopIteration):
        mem = float("nan")
    import statsforecast

    return (
        f"{os.cpu_count()} cores {cpu}, {mem:.1f} GB, Python {platform.python_version()}, "
        f"statsforecast {statsforecast.__version__}, numpy {np.__version__}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )


def markdown(result: Backtest) -> str:
    level = round(result.level * 100)
    lines = [
        f"| method | WAPE 30-min | WAPE daily | bias | {level} % interval covers | s / forecast |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for s in result.overall:
        lines.append(
            f"| {s.method} | {s.wape_interval:.2%} | {s.wape_daily:.2%} | {s.bias:+.2%} | "
            f"{s.coverage:.1%} | {s.mean_seconds:.2f} |"
        )
    return "\n".join(lines)


def timings(history_csv: Path, start: date) -> list[tuple[str, float]]:
    """Wall seconds of one week's forecast from the whole history."""
    out = []
    command = [sys.executable, "-m", "rostering", "forecast", str(history_csv), "--start",
               start.isoformat(), "--days", "7", "--interval", "30",
               "--out", str(OUT / "forecast.csv")]  # fmt: skip
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=REPO)
    out.append(("`rostering forecast` (fresh process)", time.perf_counter() - started))
    history = read_history(history_csv, 30)
    for label in ("library call, first in this process", "library call, warm"):
        started = time.perf_counter()
        make_forecast(history, start, 7, "mstl")
        out.append((label, time.perf_counter() - started))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.forecast_bench",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--origins", type=int, default=10)
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--variants", action="store_true", help="also the alternatives tried")
    parser.add_argument("--out", type=Path, default=None, help="every origin's figures as CSV")
    args = parser.parse_args(argv)
    print(f"# {machine()}")
    history_csv = OUT / "history.csv"
    rows = write_history(history_csv)
    history = read_history(history_csv, 30)
    print(f"# history: {rows:,} rows, {history.first_day} to {history.last_day}")
    start = history.last_day + timedelta(days=(7 - history.last_day.weekday()))
    speed = timings(history_csv, start)  # first: the backtest then runs warm
    methods = list(METHODS)
    if args.variants:
        REGISTRY.update(VARIANTS)
        methods += list(VARIANTS)

    def line(origin: date, score: object) -> None:
        print(f"#   {origin} {score.method:<18} {score.wape_interval:.2%}",  # type: ignore[attr-defined]
              file=sys.stderr)  # fmt: skip

    result = run_backtest(history, args.days, args.origins, methods, on_origin=line)
    print(f"# {heading(result)}")
    print()
    print(markdown(result))
    print()
    print(f"| one week's forecast from the whole history ({start} to "
          f"{start + timedelta(days=6)}) | seconds |")  # fmt: skip
    print("|---|---:|")
    for label, seconds in speed:
        print(f"| {label} | {seconds:.2f} |")
    if args.out is not None:
        write_scores(args.out, result)
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
