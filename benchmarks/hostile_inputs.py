"""Hostile inputs and the memory guard: wall time and peak memory of `rostering solve` on
inputs that used to exhaust the host, and the peak memory that calibrates the guard.

    python -m benchmarks.hostile_inputs [--out out/hostile] [--time-limit 10]
    python -m benchmarks.hostile_inputs --calibrate 250,1000,3000 [--workers 1,8]

Each case runs `python -m rostering solve` in a fresh process under /usr/bin/time -v and
prints a markdown table: exit code, wall seconds, peak resident memory (its "Maximum resident
set size") and the first line of stderr. Cases (written into --out, never committed):

* `dev-zero`: the bundled hotline week with `model = "/dev/zero"` (once as is, once with
  `--allow-path /dev` so that the device check itself answers);
* `fifo-forecast`: the hotline week whose forecast.csv is a FIFO nobody writes to;
* `hotline-N`: the hotline week with its 40 people copied to N (ids E01_1, ...), the forecast
  scaled by N / 40, requests and previous.csv kept; `--people 20000:2G,100000` solves the
  20,000 with `--max-memory 2G` and the 100,000 with the default budget (memory available).

`--calibrate` solves synthetic 24x7 sites (benchmarks.scenarios) of the given sizes with
`--max-memory 0` (no guard) and the given worker counts, and prints each peak next to
`rostering.memory.estimate_bytes` for the same size.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import scenarios
from benchmarks.scale_bench import machine, machine_text

REPO = Path(__file__).resolve().parents[1]
HOTLINE = REPO / "instances" / "hotline-2026-w49"
PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
WALL = re.compile(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)")


def run(args: Sequence[str]) -> dict[str, object]:
    """`python -m rostering ARGS` under /usr/bin/time -v: exit code, wall s, peak MB, stderr."""
    done = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, "-m", "rostering", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    peak = PEAK.search(done.stderr)
    wall = WALL.search(done.stderr)
    ours = done.stderr[: done.stderr.find("\tCommand being timed")].strip().splitlines()
    seconds = None
    if wall:
        hours, minutes, secs = wall.groups()
        seconds = int(hours or 0) * 3600 + int(minutes) * 60 + float(secs)
    return {
        "exit": done.returncode,
        "wall_s": seconds,
        "peak_mb": round(int(peak.group(1)) / 1024, 1) if peak else None,
        "stderr": ours[0] if ours else "",
    }


def hotline_copy(folder: Path) -> Path:
    """The hotline week with its site model inside the folder (an instance of its own)."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(HOTLINE, folder, ignore=shutil.ignore_patterns("generate.py"))
    shutil.copy(REPO / "models" / "hotline.toml", folder / "model.toml")
    text = (folder / "instance.toml").read_text(encoding="utf-8")
    (folder / "instance.toml").write_text(
        text.replace("../../models/hotline.toml", "model.toml"), encoding="utf-8"
    )
    return folder


def set_model(folder: Path, model: str) -> None:
    text = (folder / "instance.toml").read_text(encoding="utf-8")
    (folder / "instance.toml").write_text(
        re.sub(r'model = ".*"', f'model = "{model}"', text), encoding="utf-8"
    )


def scaled_hotline(folder: Path, people: int) -> Path:
    """The hotline week with `people` engineers: each of the 40 copied, demand scaled."""
    hotline_copy(folder)
    rows = list(csv.reader(io.StringIO((folder / "staff.csv").read_text(encoding="utf-8"))))
    header, staff = rows[0], rows[1:]
    copies = [
        [f"{row[0]}_{k}" if k else row[0], *row[1:]]
        for k in range(-(-people // len(staff)))
        for row in staff
    ][:people]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *copies])
    (folder / "staff.csv").write_text(out.getvalue(), encoding="utf-8")
    forecast = list(csv.reader(io.StringIO((folder / "forecast.csv").read_text("utf-8"))))
    column = forecast[0].index("contacts")
    factor = people / len(staff)
    for row in forecast[1:]:
        row[column] = str(round(float(row[column]) * factor))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(forecast)
    (folder / "forecast.csv").write_text(out.getvalue(), encoding="utf-8")
    return folder


def hostile(out: Path, time_limit: float, sizes: Sequence[str]) -> list[dict[str, object]]:
    solve = ["solve", "--time-limit", str(time_limit), "-q"]
    rows: list[dict[str, object]] = []

    def case(name: str, folder: Path, *extra: str) -> None:
        args = [*solve[:1], str(folder), "--out", str(out / "results" / name), *solve[1:]]
        row = {"case": name, "options": " ".join(extra), **run([*args, *extra])}
        print(row, file=sys.stderr, flush=True)
        rows.append(row)

    zero = hotline_copy(out / "dev-zero")
    set_model(zero, "/dev/zero")
    case("dev-zero", zero)
    case("dev-zero", zero, "--allow-path", "/dev")
    fifo = hotline_copy(out / "fifo-forecast")
    (fifo / "forecast.csv").unlink()
    os.mkfifo(fifo / "forecast.csv")
    case("fifo-forecast", fifo)
    for size in sizes:
        people, _, budget = size.partition(":")
        big = scaled_hotline(out / f"hotline-{people}", int(people))
        case(f"hotline-{people}", big, *(["--max-memory", budget] if budget else []))
    return rows


def calibrate(
    out: Path, sizes: Sequence[int], workers: Sequence[int], time_limit: float
) -> list[dict[str, object]]:
    from rostering.memory import estimate_bytes, model_size
    from rostering.pipeline import load

    rows: list[dict[str, object]] = []
    for size in sizes:
        folder = scenarios.synthetic_site(out / f"synthetic-{size}", size)
        variables, terms = model_size(load(folder))
        for w in workers:
            args = ["solve", str(folder), "--out", str(out / "results" / f"synthetic-{size}"),
                    "--time-limit", str(time_limit), "--workers", str(w), "--max-memory", "0",
                    "-q"]  # fmt: skip
            row: dict[str, object] = {"engineers": size, "workers": w, "x_vars": variables,
                                      "cover_terms": terms, **run(args)}  # fmt: skip
            row["estimate_mb"] = round(estimate_bytes(variables, terms, w) / 2**20, 1)
            print(row, file=sys.stderr, flush=True)
            rows.append(row)
    return rows


def markdown(rows: Sequence[dict[str, object]]) -> str:
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(str(row[c]).replace("|", "\\|") for c in columns) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "out" / "hostile")
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument(
        "--people",
        default="20000:2G,100000",
        help="hotline sizes to try, each with an optional --max-memory (default: available)",
    )
    parser.add_argument("--calibrate", default=None, help="synthetic site sizes, e.g. 250,1000")
    parser.add_argument("--workers", default="1,8", help="worker counts for --calibrate")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    print(machine_text(machine()))
    if args.calibrate:
        sizes = [int(s) for s in args.calibrate.split(",")]
        workers = [int(w) for w in args.workers.split(",")]
        rows = calibrate(args.out, sizes, workers, args.time_limit)
    else:
        rows = hostile(args.out, args.time_limit, [p for p in args.people.split(",") if p])
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
