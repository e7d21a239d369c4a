"""What fairness costs: the bundled hotline week and the bank-scale week, each solved without
a fairness policy, with the soft fairness weights, and with the hard policy.

    python -m benchmarks.fairness_price [--time-limit 60] [--workers 0] [--seed 0]
        [--weeks hotline,bank] [--nights 30] [--weekends 30] [--minutes 2]
        [--scenario-dir out/scenarios]

The hard policy is the bundled model's `[fairness]` for the hotline week (models/hotline.toml)
and, for the bank week (built by benchmarks.scenarios as benchmarks.scale_bench does),
`max_hours_spread = 8, max_refused_requests_spread = 3` (weekdays only: no nights or
weekends to spread; a spread of 2 refused requests is unreachable there, as B0262's day off
cannot be granted under min_consecutive_days_off, and so are 4 hours). "none" clears both the
policy and the weights; "soft" sets the weights (`--nights`, `--weekends`, `--minutes` per
whole hour) and no limits; "hard" the limits and no weights.

Per run: the solver's status, objective, bound and gap at the end, the first time the gap
was at most 1 % (from the progress events; "end" when only the final bound certifies it),
the coverage penalty and unmet person-hours (per interval, the unmet work the objective
charges, max over tiers of D>=t - S>=t, times the interval's length), evaluate's hard
violations (must be 0), and per group of the policy the spread (max - min) of nights,
weekends, hours (paid plus absence credit) and refused requests (by weight) in the period.
Figures come from `rostering.evaluate` on the roster found.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from rostering.domain import FairnessPolicy, Problem
from rostering.evaluate import evaluate
from rostering.pipeline import load
from rostering.solve import Progress, SolveParams, solve

REPO = Path(__file__).resolve().parents[1]
HOTLINE = REPO / "instances" / "hotline-2026-w49"
BANK_POLICY = FairnessPolicy(max_hours_spread=8, max_refused_requests_spread=3)
NO_WEIGHTS = {"fairness_nights": 0, "fairness_weekends": 0, "fairness_minutes": 0}


def variant(problem: Problem, policy: FairnessPolicy, weights: dict[str, int]) -> Problem:
    model = problem.model.model_copy(
        update={"fairness": policy, "weights": problem.model.weights.model_copy(update=weights)}
    )
    return problem.model_copy(update={"model": model})


def unmet_hours(problem: Problem, rows: Any) -> float:
    """Unmet person-hours: per interval, the largest shortfall over the tiers (D>=t - S>=t)."""
    worst: dict[object, int] = defaultdict(int)
    for r in rows:
        if r.start is not None:
            worst[r.start] = max(worst[r.start], r.shortfall)
    minutes = problem.model.interval_minutes or 60
    return sum(worst.values()) * minutes / 60


def run(name: str, mode: str, problem: Problem, args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    events: list[Progress] = []
    params = SolveParams(
        time_limit=args.time_limit, workers=args.workers, seed=args.seed, started=started
    )
    result = solve(problem, params, on_progress=events.append)
    seconds = time.monotonic() - started
    row: dict[str, Any] = {"week": name, "mode": mode, "status": result.status}
    if result.roster is None:
        return row | {"seconds": f"{seconds:.1f}"}
    ev = evaluate(problem, result.roster)
    reached = next((e.elapsed for e in events if e.gap <= 0.01), None)
    if reached is None and result.gap is not None and result.gap <= 0.01:
        gap1 = "end"
    else:
        gap1 = "-" if reached is None else f"{reached:.1f}"
    row |= {
        "objective": ev.objective,
        "bound": "-" if result.best_bound is None else f"{result.best_bound:.0f}",
        "gap": "-" if result.gap is None else f"{100 * result.gap:.2f} %",
        "1 % at s": gap1,
        "seconds": f"{seconds:.1f}",
        "coverage": ev.penalties["coverage"],
        "unmet h": f"{unmet_hours(problem, ev.coverage):.1f}",
        "requests": ev.penalties["requests"],
        "fairness": ev.penalties["fairness"],
        "violations": len(ev.violations),
    }
    row["spreads"] = {
        (s.group, s.figure): (s.spread // 60 if s.figure == "hours" else s.spread)
        for s in ev.spreads
    }
    return row


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(str(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", default="hotline,bank")
    parser.add_argument("--nights", type=int, default=30)
    parser.add_argument("--weekends", type=int, default=30)
    parser.add_argument("--minutes", type=int, default=2)
    parser.add_argument("--scenario-dir", type=Path, default=REPO / "out" / "scenarios")
    args = parser.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"time limit {args.time_limit:g} s per run, load average "
          f"{os.getloadavg()[0]:.1f} at the start")  # fmt: skip
    soft = {"fairness_nights": args.nights, "fairness_weekends": args.weekends,
            "fairness_minutes": args.minutes}  # fmt: skip
    rows = []
    for name in args.weeks.split(","):
        if name == "hotline":
            base = load(HOTLINE)
            hard = base.model.fairness
        elif name == "bank":
            from benchmarks import scenarios

            week = scenarios.DEFAULT_WEEK
            folder = scenarios.bank_week(args.scenario_dir / f"bank-{week}", week)
            base, hard = load(folder), BANK_POLICY
        else:
            parser.error(f"--weeks: {name!r} is not accepted; weeks: hotline, bank")
        free = FairnessPolicy(groups=hard.groups)
        for mode, policy, weights in (
            ("none", free, NO_WEIGHTS),
            ("soft", free, soft),
            ("hard", hard, NO_WEIGHTS),
        ):
            row = run(name, mode, variant(base, policy, weights), args)
            rows.append(row)
            print(f"# {name} {mode}: {row.get('status')} {row.get('objective')} "
                  f"in {row.get('seconds')} s", flush=True)  # fmt: skip
    columns = ["week", "mode", "status", "objective", "bound", "gap", "1 % at s", "seconds",
               "coverage", "unmet h", "requests", "fairness", "violations"]  # fmt: skip
    print(table(rows, columns))
    print()
    spread_rows = []
    for r in rows:
        groups: dict[str, dict[str, int]] = defaultdict(dict)
        for (group, figure), value in r.get("spreads", {}).items():
            groups[group][figure] = value
        for group, figures in groups.items():
            spread_rows.append({"week": r["week"], "mode": r["mode"], "group": group, **figures})
    print(table(spread_rows, ["week", "mode", "group", "nights", "weekends", "hours",
                              "refused_requests"]))  # fmt: skip
    print("(spreads: max - min within the group in this period; hours whole, paid plus absence "
          "credit; refused requests by weight)")  # fmt: skip


if __name__ == "__main__":
    main()
