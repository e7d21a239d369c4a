"""The bank call data as contact history, and a bank instance around a forecast.

    python -m benchmarks.bank_history history out/bank/history.csv [--until DATE]
    python -m benchmarks.bank_history instance out/bank-2003-10-27 --week 2003-10-27

`history` writes `start,contacts` rows at 30 minutes from `../shared/data/bank_calls/`
(read at run time, never copied into the repository): weekdays 07:00-20:30, the 21:00
bucket (only 21:00-21:05) added to 20:30 as in `benchmarks.scenarios`; the six missing
weekdays have no rows. `--until` keeps the days before that date.

`instance` writes the bank scenario of `benchmarks.scenarios` (site model, 480 engineers,
requests) for the week of a Monday into a folder that already holds the forecast.csv
written by `rostering forecast`, so that `rostering staffing` and `rostering solve` run on
a forecast week.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.scenarios import (
    BANK_DATA,
    BANK_SEED,
    bank_model_toml,
    bank_requests,
    bank_staff,
    csv_text,
    read_bank_halfhours,
    stamp,
    write_files,
)


def history_rows(data_dir: Path = BANK_DATA, until: date | None = None) -> list[tuple[str, int]]:
    """(start, contacts) per half hour with data, in time order."""
    rows = []
    for day, slots in sorted(read_bank_halfhours(data_dir).items()):
        if until is not None and day >= until:
            continue
        rows.extend((stamp(day, minute), slots[minute]) for minute in sorted(slots))
    return rows


def write_history(path: Path, data_dir: Path = BANK_DATA, until: date | None = None) -> int:
    rows = history_rows(data_dir, until)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(csv_text(["start", "contacts"], rows), encoding="utf-8")
    return len(rows)


def write_instance(out_dir: Path, week: date, seed: int = BANK_SEED) -> Path:
    """The bank scenario's files beside out_dir/forecast.csv (which must exist)."""
    if week.weekday() != 0:
        raise ValueError(f"week {week}: expected a Monday")
    if not (out_dir / "forecast.csv").is_file():
        raise FileNotFoundError(
            f"{out_dir / 'forecast.csv'}: missing; write it with rostering forecast first"
        )
    staff = bank_staff()
    instance = (
        f"# Bank contact center, forecast week of {week} (benchmarks/bank_history.py)\n"
        'model = "model.toml"\n'
        f'start = "{week.isoformat()}"\n'
        "days = 7\n"
    )
    return write_files(
        out_dir,
        {
            "model.toml": bank_model_toml(week),
            "instance.toml": instance,
            "staff.csv": csv_text(["employee_id", "tier", "contract"], staff),
            "requests.csv": csv_text(
                ["employee_id", "date", "kind", "shift_id", "weight"],
                bank_requests(staff, week, seed),
            ),
        },
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bank_history", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    hist = sub.add_parser("history", help="the bank data as a history CSV at 30 minutes")
    hist.add_argument("out", type=Path)
    hist.add_argument("--until", type=date.fromisoformat, default=None, help="first day left out")
    inst = sub.add_parser("instance", help="the bank scenario around an existing forecast.csv")
    inst.add_argument("out_dir", type=Path)
    inst.add_argument("--week", type=date.fromisoformat, required=True, help="a Monday")
    args = parser.parse_args(argv)
    try:
        if args.command == "history":
            rows = write_history(args.out, until=args.until)
            print(f"wrote {rows:,} rows to {args.out}")
        else:
            print(f"wrote {write_instance(args.out_dir, args.week)}")
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
