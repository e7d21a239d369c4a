"""What fairness costs: the bundled hotline week solved with and without the fairness family.

    python -m benchmarks.fairness_price [--time-limit 60] [--nights 30] [--weekends 30]
                                        [--minutes 2] [--workers 0]

Prints, per run, the spread (max - min) of nights, weekends and paid hours within each
contract group, and what coverage and requests cost (evaluate's penalties). Each run gets the
same time limit; figures come from `rostering.check` on the roster written.
"""

from __future__ import annotations

import argparse
import os
import platform
from pathlib import Path

from rostering.check import check_roster
from rostering.pipeline import load
from rostering.solve import SolveParams, solve

HOTLINE = Path(__file__).resolve().parents[1] / "instances" / "hotline-2026-w49"


def run(weights: dict[str, int], time_limit: float, workers: int) -> dict[str, object]:
    problem = load(HOTLINE)
    model = problem.model.model_copy(
        update={"weights": problem.model.weights.model_copy(update=weights)}
    )
    problem = problem.model_copy(update={"model": model})
    result = solve(problem, SolveParams(time_limit=time_limit, workers=workers))
    assert result.roster is not None, result.status
    report = check_roster(problem, result.roster)
    row: dict[str, object] = {
        "weights": ", ".join(f"{k}={v}" for k, v in weights.items()),
        "status": result.status,
        "objective": report.objective,
        "coverage": report.penalties["coverage"],
        "requests": report.penalties["requests"],
        "fairness": report.penalties["fairness"],
        "shortfall": sum(s.shortfall for s in report.coverage_shortfall),
    }
    for group in report.groups:
        stats = {f.figure: f for f in group.figures}
        for figure in ("nights", "weekends", "minutes"):
            spread = stats[figure].spread
            row[f"{group.contract} {figure}"] = spread // 60 if figure == "minutes" else spread
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--nights", type=int, default=30)
    parser.add_argument("--weekends", type=int, default=30)
    parser.add_argument("--minutes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, {platform.python_version()}, "
          f"time limit {args.time_limit:g} s per run")  # fmt: skip
    off = {"fairness_nights": 0, "fairness_weekends": 0, "fairness_minutes": 0}
    on = {"fairness_nights": args.nights, "fairness_weekends": args.weekends,
          "fairness_minutes": args.minutes}  # fmt: skip
    rows = [run(off, args.time_limit, args.workers), run(on, args.time_limit, args.workers)]
    columns = list(rows[0])
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for r in rows:
        print("| " + " | ".join(str(r.get(c, "")) for c in columns) + " |")
    print("(spreads: max - min within the contract group; minutes in whole hours)")


if __name__ == "__main__":
    main()
