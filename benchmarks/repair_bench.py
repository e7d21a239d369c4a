"""Minimal-change repair against a from-scratch solve, on the bundled week.

    python -m benchmarks.repair_bench [--time-limit 60] [--absences 3] [--kind leave]
                                      [--out out/repair-bench]

The bundled week is solved (`rostering solve --deterministic --workers 8`, so that the
published roster, and the scenarios below, are the same on every run) and its roster is the
published one. Then, for each of the first `--absences` mid engineers (staff order) who work
Wednesday and Thursday in it, that engineer is off sick on both days: the instance is
copied with two more `leave` rows (paid sick leave; `--kind unavailable` for an unpaid
absence the plan must work around) (and its site model beside it, as the instance
layout wants), and the week is planned again twice, each as its own `rostering` process
timed from start to exit:
`rostering repair --published <published> --from <Wednesday>` and a from-scratch
`rostering solve`. Each roster is compared with the published one: people and person-days
changed (the absent engineer's own and everyone else's), person-days changed before
Wednesday, the instance's objective (without the change price, so the two compare), the
repair's objective with it, the roster's hard violations, and the wall time. Where the
published past and the absence leave no legal repair, the repair's explanation is followed:
it runs again with the other rules of the conflict relaxed (`--relax`), the least-bad roster.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from rostering.domain import Problem, Roster
from rostering.evaluate import evaluate
from rostering.io.roster import read_roster
from rostering.pipeline import load
from rostering.repair import changes

ROOT = Path(__file__).resolve().parents[1]
HOTLINE = ROOT / "instances" / "hotline-2026-w49"


@dataclass(frozen=True)
class Run:
    absent: str
    name: str
    status: str
    exit_code: int
    wall: float
    people: int
    others: int
    person_days: int
    before_from: int
    objective: int | None  # the instance's own (no change price)
    with_change: int | None  # summary.json's objective (repair: with the change price)
    violations: int | None  # hard violations of the roster (None: no roster)


def rostering(*args: str) -> tuple[int, float]:
    """Run the rostering command in its own process; its exit code and wall seconds."""
    began = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "rostering", *args], check=False,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
    seconds = time.monotonic() - began
    if done.returncode not in (0, 1):
        raise SystemExit(f"rostering {args[0]} failed ({done.returncode}): {done.stderr}")
    return done.returncode, seconds


def wednesday_of(problem: Problem) -> int:
    return next(d for d in range(problem.days) if problem.date_of(d).weekday() == 2)


def absentees(published: Roster, problem: Problem, count: int) -> list[str]:
    """The first `count` mid engineers (staff order) working Wednesday and Thursday."""
    wednesday = wednesday_of(problem)
    works = {(a.employee_id, a.day) for a in published.assignments}
    return [
        e.id for e in problem.employees
        if e.tier == "mid" and {(e.id, wednesday), (e.id, wednesday + 1)} <= works
    ][:count]  # fmt: skip


def absent_week(who: str, problem: Problem, folder: Path, kind: str = "leave") -> tuple[Path, int]:
    """The bundled week with `who` away (`kind`: leave or unavailable) on Wednesday and
    Thursday: (instance folder, Wednesday's day index)."""
    wednesday = wednesday_of(problem)
    if folder.exists():
        shutil.rmtree(folder)
    instance = folder / "instances" / HOTLINE.name
    shutil.copytree(HOTLINE, instance)
    (folder / "models").mkdir()
    shutil.copy(ROOT / "models" / "hotline.toml", folder / "models" / "hotline.toml")
    with (instance / "requests.csv").open("a", encoding="utf-8") as f:
        for d in (wednesday, wednesday + 1):
            f.write(f"{who},{problem.date_of(d)},{kind},,\n")
    return instance, wednesday


def compared(name: str, out: Path, code: int, wall: float, problem: Problem,
             published: Roster, who: str, first: int) -> Run:  # fmt: skip
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    if not (out / "roster.csv").exists():
        return Run(who, name, summary["status"], code, wall, 0, 0, 0, 0, None, None, None)
    roster = read_roster(out / "roster.csv", problem)
    rows = changes(problem, published, roster)
    people = {c.employee_id for c in rows}
    judged = evaluate(problem, roster)
    return Run(
        who, name, summary["status"], code, wall, len(people), len(people - {who}), len(rows),
        sum(1 for c in rows if c.day < first), judged.objective, summary["objective"],
        len(judged.violations),
    )  # fmt: skip


def _or_dash(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=60.0, help="repair's and solve's")
    parser.add_argument("--publish-limit", type=float, default=45.0, help="the published solve")
    parser.add_argument("--absences", type=int, default=3, help="scenarios: one mid each")
    parser.add_argument("--kind", choices=("leave", "unavailable"), default="leave",
                        help="how the absence is recorded")  # fmt: skip
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "repair-bench")
    args = parser.parse_args()
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    limit = f"{args.time_limit:g}"

    published_dir = out / "published"
    code, _ = rostering("solve", str(HOTLINE), "--out", str(published_dir), "--time-limit",
                        f"{args.publish_limit:g}", "--deterministic", "--workers", "8",
                        "--quiet")  # fmt: skip
    assert code == 0, "the bundled week has a legal roster"
    base = load(HOTLINE)
    published = read_roster(published_dir / "roster.csv", base)
    runs = []
    for who in absentees(published, base, args.absences):
        folder = out / who
        instance, first = absent_week(who, base, folder, args.kind)
        problem = load(instance)
        wednesday = problem.date_of(first).isoformat()
        code, wall = rostering("repair", str(instance), "--published", str(published_dir),
                               "--from", wednesday, "--out", str(folder / "repair"),
                               "--time-limit", limit, "--quiet")  # fmt: skip
        runs.append(compared("repair", folder / "repair", code, wall, problem, published, who,
                             first))  # fmt: skip
        summary = json.loads((folder / "repair" / "summary.json").read_text(encoding="utf-8"))
        rules = (summary.get("infeasibility") or {}).get("rules", [])
        relax = ",".join(r for r in rules if r not in ("change", args.kind))
        if relax:  # the published past and the absence kept: the least-bad roster
            code, wall = rostering("repair", str(instance), "--published", str(published_dir),
                                   "--from", wednesday, "--out", str(folder / "relaxed"),
                                   "--time-limit", limit, "--relax", relax, "--quiet")  # fmt: skip
            runs.append(compared(f"repair --relax {relax}", folder / "relaxed", code, wall,
                                 problem, published, who, first))  # fmt: skip
        code, wall = rostering("solve", str(instance), "--out", str(folder / "solve"),
                               "--time-limit", limit, "--quiet")  # fmt: skip
        runs.append(compared("solve", folder / "solve", code, wall, problem, published, who,
                             first))  # fmt: skip

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True, check=False).stdout.strip()  # fmt: skip
    print(f"# repair vs solve, commit {commit}, {time.strftime('%Y-%m-%d')}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
    price = evaluate(base, published).objective
    print(f"# published: {base.name} solved --deterministic at --time-limit "
          f"{args.publish_limit:g} (objective {price}); each absent engineer (mid) "
          f"{args.kind} Wednesday and Thursday; --time-limit {limit}")  # fmt: skip
    print("| absent | command | status | hard violations | people changed | of them others "
          "| person-days changed | before --from | objective (instance) "
          "| objective (with change) | wall s |")  # fmt: skip
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        broken = "no roster" if r.violations is None else r.violations
        print(f"| {r.absent} | `rostering {r.name}` | {r.status} | {broken} "
              f"| {r.people} | {r.others} | {r.person_days} | {r.before_from} "
              f"| {_or_dash(r.objective)} | {_or_dash(r.with_change)} "
              f"| {r.wall:.1f} |")  # fmt: skip
    with (out / "runs.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["absent", "run", "people", "others", "person_days", "before_from",
                         "objective", "with_change", "violations", "wall_seconds"])  # fmt: skip
        for r in runs:
            writer.writerow([r.absent, r.name, r.people, r.others, r.person_days,
                             r.before_from, r.objective, r.with_change, r.violations,
                             f"{r.wall:.2f}"])  # fmt: skip


if __name__ == "__main__":
    main()
