"""Service level as the thing planned for: the headcount price against the service price.

    python -m benchmarks.service_bench [--time-limit 60] [--service 10] [--out out/service]

Three weeks, same staff each: the bundled hotline week, the bank-scale week (real volumes,
../shared/data/bank_calls) and an understaffed week (the bundled team against its forecast
scaled until the team's contracts give only 75 % of the person-hours it needs). Each is
solved with the model's headcount price (under_cover 100, over_cover 1) and with the service
price (`service` N per expected contact not answered within target, under_cover 0) and with
both (the bundled model's own: under_cover 100 and service N). Prints
per run the week's service level, the worst interval's, the intervals below target, unmet
person-hours, the objective, bound and gap, and how long the service figures take; then the
person-hours pooled and separate staffing require.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from benchmarks import scenarios
from rostering.demand import most_on_duty_minutes, staffing_table, with_requirements
from rostering.domain import Problem
from rostering.evaluate import evaluate
from rostering.io.instance import load_problem
from rostering.pipeline import load
from rostering.service import service_of
from rostering.solve import SolveParams, solve

HOTLINE = Path(__file__).resolve().parents[1] / "instances" / "hotline-2026-w49"
BANK_WEEK = scenarios.bank_weeks()[0] if scenarios.BANK_DATA.exists() else None
COVERED = 0.75  # the understaffed week: the team gives this share of what it needs


def weighted(problem: Problem, **weights: int) -> Problem:
    model = problem.model.model_copy(
        update={"weights": problem.model.weights.model_copy(update=weights)}
    )
    return problem.model_copy(update={"model": model})


def staffed_as(problem: Problem, staffing: str) -> Problem:
    assert problem.model.service is not None
    service = problem.model.service.model_copy(update={"staffing": staffing})
    return problem.model_copy(
        update={"model": problem.model.model_copy(update={"service": service})}
    )


def understaffed() -> Problem:
    """The bundled week with its forecast scaled until the team covers COVERED of it."""
    base = load_problem(HOTLINE)
    most = sum(most_on_duty_minutes(base, e) for e in base.employees) / 60
    low, high = 1.0, 20.0
    for _ in range(30):
        scale = (low + high) / 2
        rows = tuple(
            f.model_copy(update={"contacts": f.contacts * scale}) for f in base.forecast or ()
        )
        needed = sum(r.required for r in staffing_table(base.model_copy(update={"forecast": rows})))
        low, high = (scale, high) if most / needed > COVERED else (low, scale)
    problem = base.model_copy(update={"forecast": rows, "name": "hotline-understaffed"})
    return with_requirements(problem)


def priced(problem: Problem, price: str, service: int) -> Problem:
    """The week under one of PRICES: headcount alone, service alone, or both."""
    under = problem.model.weights.under_cover or 100
    return weighted(
        problem,
        under_cover=0 if price == "service" else under,
        service=0 if price == "headcount" else service,
    )


PRICES = ("headcount", "service", "both")


def measure(name: str, problem: Problem, price: str, limit: float, service: int) -> dict:
    problem = priced(problem, price, service)
    started = time.monotonic()
    result = solve(problem, SolveParams(time_limit=limit, started=started))
    wall = time.monotonic() - started
    if result.roster is None:
        return {"week": name, "price": price, "status": result.status, "wall": wall}
    judged = evaluate(problem, result.roster)
    times = []
    for _ in range(5):
        began = time.perf_counter()
        figures = service_of(problem, judged)
        times.append(time.perf_counter() - began)
    assert figures is not None
    h = figures.horizon
    return {
        "week": name, "price": price, "sl": h.service_level, "answer": h.answer_rate,
        "worst": h.worst_interval[1] if h.worst_interval else None,
        "below": h.intervals_below_target, "unmet": h.unmet_person_hours,
        "objective": judged.objective, "bound": result.best_bound, "gap": result.gap,
        "status": result.status, "wall": wall, "figures_ms": 1000 * statistics.median(times),
        "legal": judged.is_feasible(),
    }  # fmt: skip


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--service", type=int, default=10, help="N of the service price")
    parser.add_argument("--out", type=Path, default=Path("out/service"))
    args = parser.parse_args()
    machine = f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}"
    print(f"# {machine}, {args.time_limit:g} s per run, service price N = {args.service}")
    weeks: list[tuple[str, Problem]] = [("bundled", load(HOTLINE))]
    if BANK_WEEK is not None:
        folder = scenarios.bank_week(args.out / f"bank-{BANK_WEEK}", BANK_WEEK)
        weeks.append((f"bank {BANK_WEEK}", load(folder)))
    weeks.append(("understaffed", understaffed()))
    print("| week | price | service level | answer rate | worst interval | intervals below "
          "| unmet person-h | objective | bound | gap | status | wall s "
          "| figures ms |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, problem in weeks:
        for price in PRICES:
            r = measure(name, problem, price, args.time_limit, args.service)
            if "sl" not in r:
                print(
                    f"| {name} | {price} | no roster ({r['status']}) ||||||||| {r['wall']:.1f} ||"
                )
                continue
            gap = "-" if r["gap"] is None else f"{r['gap']:.2%}"
            bound = "-" if r["bound"] is None else f"{r['bound']:,.0f}"
            print(f"| {name} | {price} | {pct(r['sl'])} | {pct(r['answer'])} "
                  f"| {pct(r['worst'])} | {r['below']} | "
                  f"{r['unmet']:,.0f} | {r['objective']:,} | {bound} | {gap} | {r['status']}"
                  f"{'' if r['legal'] else ' ILLEGAL'} | {r['wall']:.1f} | "
                  f"{r['figures_ms']:.1f} |", flush=True)  # fmt: skip
    print()
    print("| week | pooled person-h | separate person-h |")
    print("|---|---|---|")
    for name, problem in weeks:
        base = problem.model_copy(update={"interval_demand": None})
        hours = {
            kind: sum(r.required for r in staffing_table(staffed_as(base, kind)))
            * (problem.model.interval_minutes or 60)
            / 60
            for kind in ("pooled", "separate")
        }
        print(f"| {name} | {hours['pooled']:,.0f} | {hours['separate']:,.0f} |")


if __name__ == "__main__":
    main()
