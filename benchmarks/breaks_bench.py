"""Breaks on the bank-scale week: placed by the solver, at a fixed offset, or ignored.

    python -m benchmarks.breaks_bench [--time-limit 120] [--week 2003-03-03] [--out out/breaks]

The bank scenario of benchmarks/scenarios.py (480 engineers, 30-minute grid, real volumes from
../shared/data/bank_calls) gives each full shift (8.5 h on duty, 8 h paid) its unpaid
30-minute lunch, solved three ways, one solve at a time, each with the same time limit:

* placed: the lunch starts 3 h to 5 h after the shift's start, the solver places it (implicit
  break counts in the model);
* fixed: the lunch starts exactly 4 h after the start (a fixed offset);
* ignored: the model without breaks, as before breaks existed; its roster is then given its
  lunches by a second stage over the fixed roster (the same model with every shift pinned)
  and judged with them, beside the figures the roster claimed without them.

Every roster is judged by `evaluate` on the placed model (a fixed-offset lunch lies inside its
window), so the objectives, unmet person-hours and service levels compare like with like.
Prints one markdown table and writes it with the machine to OUT/breaks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date
from pathlib import Path

from benchmarks import scenarios
from rostering.domain import Break, Problem, Roster
from rostering.evaluate import Evaluation, evaluate
from rostering.model.variables import Variables
from rostering.pipeline import load
from rostering.service import service_of, unmet_person_hours
from rostering.solve import Result, SolveParams, solve

FULL_SHIFT = 480  # shifts of at least this many minutes on duty take the lunch
WINDOW = Break(minutes=30, earliest=180, latest=300)
FIXED = Break(minutes=30, earliest=240, latest=240)


def with_lunch(problem: Problem, lunch: Break | None) -> Problem:
    """The problem with `lunch` on every full shift (None: no breaks at all)."""
    shifts = tuple(
        s.model_copy(update={"breaks": (lunch,) if lunch and s.minutes >= FULL_SHIFT else ()})
        for s in problem.model.shifts
    )
    model = problem.model.model_copy(update={"shifts": shifts})
    return problem.model_copy(update={"model": model})


def pinned(roster: Roster) -> object:
    """extra_constraints fixing every shift variable to `roster`."""
    worked = {(a.employee_id, a.day, a.shift_id) for a in roster.assignments}

    def fix(v: Variables) -> None:
        for (e, d, sid), var in v.x.items():
            v.model.add(var == int((v.employees[e].id, d, sid) in worked))

    return fix


def figures(problem: Problem, judged: Evaluation) -> dict[str, object]:
    service = service_of(problem, judged)
    assert service is not None
    return {
        "objective": judged.objective,
        "hard": len(judged.violations),
        "unmet_h": round(unmet_person_hours(problem, judged), 1),
        "service": f"{100 * (service.horizon.service_level or 0):.2f} %",
        "below": service.horizon.intervals_below_target,
    }


def run(problem: Problem, limit: float, seed: int, extra: object = None) -> tuple[Result, float]:
    started = time.monotonic()
    params = SolveParams(time_limit=limit, seed=seed, started=started)
    result = solve(problem, params, extra_constraints=extra)  # type: ignore[arg-type]
    return result, time.monotonic() - started


def gap_text(result: Result) -> str:
    return "–" if result.gap is None else f"{100 * result.gap:.2f} %"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--week", default=scenarios.DEFAULT_WEEK)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--pin-limit",
        type=float,
        default=60.0,
        help="seconds for the second stage placing the ignored roster's lunches",
    )
    parser.add_argument("--out", type=Path, default=Path("out/breaks"))
    args = parser.parse_args(argv)
    week = date.fromisoformat(str(args.week))
    instance = scenarios.bank_week(args.out / f"bank-{week}", week)
    base = load(instance)
    placed_problem = with_lunch(base, WINDOW)
    rows: list[dict[str, object]] = []
    routes: list[str] = []

    for name, problem in (("placed", placed_problem), ("fixed", with_lunch(base, FIXED))):
        result, wall = run(problem, args.time_limit, args.seed)
        assert result.roster is not None, (name, result.status)
        judged = evaluate(placed_problem, result.roster)
        own = evaluate(problem, result.roster)
        assert own.objective == result.objective, (name, own.objective, result.objective)
        rows.append(
            {
                "run": name,
                **figures(placed_problem, judged),
                "solver": result.objective,
                "bound": result.best_bound,
                "gap": gap_text(result),
                "wall_s": round(wall, 1),
                "status": result.status,
            }
        )
        routes.append(f"{name}: {_route(result)}")
        print(rows[-1], routes[-1], flush=True)

    result, wall = run(with_lunch(base, None), args.time_limit, args.seed)
    assert result.roster is not None, result.status
    routes.append(f"ignored: {_route(result)}")
    bare = with_lunch(base, None)
    claimed = evaluate(bare, result.roster)
    rows.append(
        {
            "run": "ignored, as claimed (no lunch)",
            **figures(bare, claimed),
            "solver": result.objective,
            "bound": result.best_bound,
            "gap": gap_text(result),
            "wall_s": round(wall, 1),
            "status": result.status,
        }
    )
    print(rows[-1], flush=True)
    at_offset = Roster(
        assignments=tuple(
            a.model_copy(update={"breaks": ((240, 270),) if a.shift_id in _full(base) else ()})
            for a in result.roster.assignments
        )
    )
    rows.append(
        {
            "run": "ignored, lunch at the fixed offset",
            **figures(placed_problem, evaluate(placed_problem, at_offset)),
            "solver": "",
            "bound": "",
            "gap": "",
            "wall_s": "",
            "status": "",
        }
    )
    print(rows[-1], flush=True)
    second, pin_wall = run(placed_problem, args.pin_limit, args.seed, pinned(result.roster))
    assert second.roster is not None, second.status
    rows.append(
        {
            "run": "ignored, lunch placed by a second stage",
            **figures(placed_problem, evaluate(placed_problem, second.roster)),
            "solver": second.objective,
            "bound": "",
            "gap": "",
            "wall_s": round(wall + pin_wall, 1),
            "status": second.status,
        }
    )
    print(rows[-1], flush=True)

    columns = [
        "run",
        "objective",
        "hard",
        "unmet_h",
        "service",
        "below",
        "solver",
        "bound",
        "gap",
        "wall_s",
        "status",
    ]
    table = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    table += ["| " + " | ".join(str(r[c]) for c in columns) + " |" for r in rows]
    cpu = os.cpu_count()
    busy = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = (
        f"python -m benchmarks.breaks_bench --time-limit {args.time_limit:g} --week {week}\n"
        f"machine: Python {platform.python_version()}, {cpu} cores; load average at the end "
        f"{busy}\n\n" + "\n".join(table) + "\n\n" + "\n".join(routes) + "\n"
    )
    (args.out / "breaks.md").write_text(text)
    print(text)
    return 0


def _route(result: Result) -> str:
    """The stages run, with seconds and objective after each, and the count plan's bound."""
    stages = ", ".join(f"{r['name']} {r['seconds']} s -> {r['objective']}" for r in result.route)
    return f"route: {stages}; plan bound {result.timing.get('plan_bound')}"


def _full(problem: Problem) -> set[str]:
    return {s.id for s in problem.model.shifts if s.minutes >= FULL_SHIFT}


if __name__ == "__main__":
    raise SystemExit(main())
