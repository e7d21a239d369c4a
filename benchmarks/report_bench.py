"""Report benchmark: size and render time of report.html, and the exports' sizes.

    python -m benchmarks.report_bench [--time-limit 60] [--repeats 3] [--out-dir out/report-bench]

Solves the bundled week (instances/hotline-2026-w49) and the bank-scale week built by
`benchmarks.scenarios.bank_week` (480 people, half-hour intervals), then for each: writes
report.html with `rostering.report.write_report` (the Python time to judge and write it),
opens it `--repeats` times in headless Chromium over the DevTools pipe (tests/browser.py,
network off) and takes the median of the time from navigation start until the page has
drawn its charts (`performance.now()` once `document.body.dataset.ready` is set), and
writes the xlsx workbook and the iCalendar folder to report their sizes. Prints a markdown
table; the machine is described as in benchmarks.scale_bench.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import scenarios
from benchmarks.scale_bench import machine, machine_text
from tests.browser import visit

REPO = Path(__file__).resolve().parents[1]


def solve(instance: Path, out: Path, time_limit: float) -> None:
    command = [sys.executable, "-m", "rostering", "solve", str(instance), "--out", str(out),
               "--time-limit", str(time_limit), "--quiet"]  # fmt: skip
    subprocess.run(command, check=True, cwd=REPO)


def measure(instance: Path, out: Path, repeats: int) -> dict[str, object]:
    from rostering.figures import judge
    from rostering.io.ical import person_calendars
    from rostering.io.run_dir import load_roster
    from rostering.io.xlsx import workbook_bytes
    from rostering.pipeline import load
    from rostering.report import write_report

    page = out / "report.html"
    started = time.perf_counter()
    judged = write_report(instance, out, page)
    write_s = time.perf_counter() - started
    renders = []
    for _ in range(repeats):
        seen = visit(page, ["document.querySelectorAll('#charts .uplot').length"])
        if seen.errors or seen.requests or seen.ready_ms is None:
            raise RuntimeError(f"{page}: errors {seen.errors}, requests {seen.requests}")
        renders.append(seen.ready_ms)
    problem = load(instance)
    roster, _ = load_roster(out, problem)
    workbook = workbook_bytes(judge(problem, roster))
    calendars = person_calendars(problem, roster)
    return {
        "instance": problem.name,
        "people": len(problem.employees),
        "shifts": len(judged.roster.assignments),
        "report_kib": page.stat().st_size / 1024,
        "write_s": write_s,
        "render_ms": statistics.median(renders),
        "render_ms_all": renders,
        "xlsx_kib": len(workbook) / 1024,
        "ical_kib": sum(len(c) for c in calendars.values()) / 1024,
        "calendars": len(calendars),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out-dir", type=Path, default=REPO / "out" / "report-bench")
    args = parser.parse_args(argv)
    print(machine_text(machine()))
    bank = scenarios.bank_week(args.out_dir / "bank-week")
    rows = []
    for instance in (REPO / "instances" / "hotline-2026-w49", bank):
        out = args.out_dir / f"run-{instance.name}"
        solve(instance, out, args.time_limit)
        rows.append(measure(instance, out, args.repeats))
    print()
    print("| instance | people | shifts | report.html | write (Python) | render (Chromium, "
          "median) | renders | xlsx | .ics total (files) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in rows:
        renders = ", ".join(f"{ms:.0f}" for ms in r["render_ms_all"])  # type: ignore[attr-defined]
        print(
            f"| {r['instance']} | {r['people']} | {r['shifts']} | {r['report_kib']:.0f} KiB | "
            f"{r['write_s']:.2f} s | {r['render_ms']:.0f} ms | {renders} ms | "
            f"{r['xlsx_kib']:.0f} KiB | {r['ical_kib']:.0f} KiB ({r['calendars']}) |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
