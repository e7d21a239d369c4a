"""Benchmark scenarios: complete instance directories generated at run time.

Two families, both written as an instance directory holding its own site model
(`model.toml`, `instance.toml`, `forecast.csv`, `staff.csv`, `requests.csv`, and for the
synthetic sites `previous.csv`):

* `bank_week(out_dir, week_monday)`: one real week of a large bank's contact volume
  (weekdays 07:00-21:00, half-hourly), read from `../shared/data/bank_calls/` at run time and
  never copied into the repository; 480 engineers on a 30-minute grid.
* `synthetic_site(out_dir, engineers, seed)`: a 24x7 site shaped like the bundled hotline
  (`instances/hotline-2026-w49`), for any number of engineers; seeded, byte-identical
  on reruns.

    python -m benchmarks.scenarios bank out/scenarios [--week 2003-03-03]
    python -m benchmarks.scenarios synthetic out/scenarios --engineers 50,100,200,500,1000
    python -m benchmarks.scenarios report out/scenarios/bank-2003-03-03

`report` prints the calibration figures of any instance with a forecast: person-hours
required per tier level (tier or higher, from the staffing math) against the most on-duty
hours the staff can give under its contracts.

Bank week design
----------------
Horizon: the whole ISO week, Monday to Sunday (7 days), with every shift type restricted to
Monday-Friday (`days = [...]`): the line is closed at weekends, so weekend days have no
demand and no shift variables (the model does not grow), while weekly contract limits apply
to a full ISO week exactly as written. A 5-day horizon would be a partial week, whose weekly
minimums are scaled by 5/7 (a full-timer's 4-shift minimum would drop to 2.86 shifts).

Forecast: the data's half-hour buckets 07:00-20:30 for the five weekdays; the 21:00 bucket
holds only the 21:00-21:05 slot (the last calls before the line closes) and is added to the
20:30 bucket. A weekday missing from the data (a bank holiday) has no demand. Contacts split
junior 60 % / mid 30 % / senior 10 % with AHT 130 / 210 / 320 s; 80 % within 30 s, maximum
occupancy 0.88, shrinkage 0.30 (Erlang C).

Shifts: eight full shifts of 8.5 h on duty (8 h paid) starting 07:00, 07:30, 08:00, 09:00,
10:00, 11:00, 12:00, 12:30 (the last one closes at 21:00) and three short part-time shifts
for the peaks (08:00-12:00, 09:00-13:00, 16:00-21:00). Staff: 480 engineers, seniors 80
full-time + 10 part-time, mids 145 + 25, juniors 150 + 70. Week of 2003-03-03: 13,786
person-hours required (peak 356 heads on Monday 10:00-11:00) against at most 18,259 on-duty
hours (ratio 0.76; mid or higher 0.75, senior 0.73). Monday alone is tight: an aggregate
shift-count model (rules per person ignored) leaves about 42 person-hours uncovered on Monday
09:00-10:00 and 17:00-20:00, about 0.3 % of the week; the other days can be covered.

The CLI writes OUT_DIR/bank-WEEK and OUT_DIR/synthetic-N (default OUT_DIR: out/scenarios).

Synthetic site design
---------------------
The hotline's site model (6 shift types of 9 h on duty / 8 h paid, full-time and part-time
contracts, 11 h rest, mentoring at most 4 juniors per mentor, the same weights), its daily
curve (night trough, late-morning peak, lighter weekends), its escalation desk (senior
queue live Monday-Friday 10:00-19:00 only) and its staff mix (15 % senior, 30 % mid, 40 %
full-time junior, 15 % part-time junior). The peak volume is scaled with the number of
engineers so that the busiest tier level needs about 82 % of the on-duty hours its staff
can give (the hotline: 85 %, covered in full); the Erlang C economies of scale make a plain
proportional scaling understaff small sites and overstaff large ones. `previous.csv` holds
the night crew of the weekend before (15 % of the staff), as in the hotline, so that Monday
00:00-07:00 can be covered. `requests.csv` holds N // 4 rows on distinct engineers.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

REPO = Path(__file__).resolve().parents[1]
BANK_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "bank_calls"
BANK_HALFHOURLY = "bank_calls_halfhourly.csv"
DEFAULT_OUT = REPO / "out" / "scenarios"
DEFAULT_WEEK = date(2003, 3, 3)
TIERS = ("junior", "mid", "senior")
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


# ------------------------------------------------------------------------------ helpers


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_files(out_dir: Path, files: dict[str, str]) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        with open(out_dir / name, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    return out_dir


def stamp(day: date, minute: int) -> str:
    return (datetime.combine(day, datetime.min.time()) + timedelta(minutes=minute)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def split_contacts(total: int, mix: dict[str, float]) -> dict[str, int]:
    """Integer contacts per tier adding up to `total` (the middle tier takes the rounding)."""
    split = {tier: round(total * mix[tier]) for tier in TIERS}
    split["mid"] = total - split["junior"] - split["senior"]
    if split["mid"] < 0:  # only for tiny totals with a zero mid share
        split["junior"] += split["mid"]
        split["mid"] = 0
    return split


@dataclass(frozen=True)
class Shift:
    id: str
    start: int  # minutes after midnight
    minutes: int
    paid: int
    kind: str
    night: bool = False
    days: tuple[str, ...] | None = None  # None: every day
    note: str = ""

    def toml(self) -> str:
        lines = [
            "[[shifts]]",
            f'id = "{self.id}"',
            f'start = "{self.start // 60:02d}:{self.start % 60:02d}"',
            f"minutes = {self.minutes}",
            f"paid_minutes = {self.paid}",
        ]
        if self.night:
            lines.append("night = true")
        lines.append(f'kind = "{self.kind}"')
        if self.days is not None:
            lines.append("days = [" + ", ".join(f'"{d}"' for d in self.days) + "]")
        return "\n".join(lines) + "\n"

    def table_line(self) -> str:
        end = self.start + self.minutes
        later = end > 1440
        end -= 1440 if later else 0
        span = f"{self.start // 60:02d}:{self.start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        if later:
            span += " (+1)"
        return f"# {self.id:4s} {span:18s} {self.paid / 60:g} h paid  {self.kind:6s} {self.note}"


def shifts_toml(shifts: Sequence[Shift]) -> str:
    table = "\n".join(s.table_line().rstrip() for s in shifts)
    return f"{table}\n\n" + "\n".join(s.toml() for s in shifts)


# ------------------------------------------------------------------------------ bank week

BANK_MIX = {"junior": 0.6, "mid": 0.3, "senior": 0.1}
BANK_AHT = {"junior": 130, "mid": 210, "senior": 320}
BANK_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
BANK_OPEN, BANK_CLOSE = 7 * 60, 21 * 60
BANK_SHIFTS = (
    # full shifts: 8.5 h on duty with a 30-minute unpaid break, 8 h paid
    Shift("A1", 7 * 60, 510, 480, "early", days=BANK_WEEKDAYS, note="opening"),
    Shift("A2", 7 * 60 + 30, 510, 480, "early", days=BANK_WEEKDAYS),
    Shift("A3", 8 * 60, 510, 480, "early", days=BANK_WEEKDAYS),
    Shift("B1", 9 * 60, 510, 480, "day", days=BANK_WEEKDAYS, note="morning peak"),
    Shift("B2", 10 * 60, 510, 480, "day", days=BANK_WEEKDAYS),
    Shift("B3", 11 * 60, 510, 480, "day", days=BANK_WEEKDAYS),
    Shift("C1", 12 * 60, 510, 480, "late", days=BANK_WEEKDAYS),
    Shift("C2", 12 * 60 + 30, 510, 480, "late", days=BANK_WEEKDAYS, note="closing"),
    # short shifts (part-timers only): no break, on duty = paid
    Shift("P1", 8 * 60, 240, 240, "early", days=BANK_WEEKDAYS, note="part-time, morning ramp"),
    Shift("P2", 9 * 60, 240, 240, "day", days=BANK_WEEKDAYS, note="part-time, morning peak"),
    Shift("P3", 16 * 60, 300, 300, "late", days=BANK_WEEKDAYS, note="part-time, evening"),
)
# (tier, contract, headcount), in staff.csv order
BANK_STAFF = (
    ("senior", "full_time", 80),
    ("senior", "part_time", 10),
    ("mid", "full_time", 145),
    ("mid", "part_time", 25),
    ("junior", "full_time", 150),
    ("junior", "part_time", 70),
)
BANK_SEED = 2003

BANK_MODEL_HEAD = """\
# Retail bank contact center, weekdays 07:00-21:00 (benchmark scenario, generated by
# benchmarks/scenarios.py; volume: the week of {week} of a large North American bank).
#
# Three tiers answer three queues (a higher tier may take lower-tier work); juniors
# never work without a mid or senior on duty. The line is closed at weekends: every shift
# type exists Monday-Friday only. Full shifts are 8.5 h on duty with a 30-minute unpaid
# break (8 h paid); part-timers also cover the peaks with short 4-5 h shifts.

name = "Retail bank contact center, week of {week}"
interval_minutes = 30

[tiers]
order = ["junior", "mid", "senior"]
aht_seconds = {{ junior = {aht_junior}, mid = {aht_mid}, senior = {aht_senior} }}
mix = {{ junior = {mix_junior}, mid = {mix_mid}, senior = {mix_senior} }}   # forecast.csv is split

[service]
answer_within_seconds = 30
service_level = 0.80
max_occupancy = 0.88
shrinkage = 0.30

# ---------------------------------------------------------------- shifts
"""

BANK_MODEL_TAIL = """
# ------------------------------------------------------------- contracts

[contracts.full_time]
min_minutes_per_week = 1920        # 4 paid shifts
max_minutes_per_week = 2400        # 5 paid shifts
max_days_per_week = 5
max_consecutive_days = 6
min_consecutive_days = 2
min_consecutive_days_off = 2
max_weekends = 1
absence_credit_minutes = 480       # an unavailable day counts as a paid shift for the minimum
max_shifts = { P1 = 0, P2 = 0, P3 = 0 }   # short shifts are for part-timers

[contracts.part_time]
min_minutes_per_week = 960         # 4 short shifts or 2 full ones
max_minutes_per_week = 1500        # 5 short shifts or 3 full ones
max_days_per_week = 5
max_consecutive_days = 5
min_consecutive_days = 1
min_consecutive_days_off = 1
max_weekends = 1
absence_credit_minutes = 240

# ----------------------------------------------------------------- rules

[rules]
min_rest_minutes = 660             # 11 h between the end of one shift and the next
# A closing shift is never followed by an opening one (implied by the rest rule, kept
# explicit so that it still holds when the rest rule is relaxed).
forbidden_successions = [["C1", "A1"], ["C2", "A1"], ["C2", "A2"], ["P3", "A1"], ["P3", "A2"]]

[rules.mentoring]
mentee_tiers = ["junior"]
mentor_tiers = ["mid", "senior"]
max_juniors_per_mentor = 4

# --------------------------------------------------------------- weights

[weights]
under_cover = 100
over_cover = 1
requests = 5
cost = 0
fairness_nights = 0
fairness_weekends = 0
fairness_minutes = 0
"""


def bank_model_toml(week: date) -> str:
    head = BANK_MODEL_HEAD.format(
        week=week.isoformat(),
        **{f"aht_{t}": BANK_AHT[t] for t in TIERS},
        **{f"mix_{t}": BANK_MIX[t] for t in TIERS},
    )
    return head + shifts_toml(BANK_SHIFTS) + BANK_MODEL_TAIL


def read_bank_halfhours(data_dir: Path = BANK_DATA) -> dict[date, dict[int, int]]:
    """date -> minute of day -> calls, from bank_calls_halfhourly.csv (read, never copied)."""
    path = data_dir / BANK_HALFHOURLY
    if not path.is_file():
        raise FileNotFoundError(f"{path}: the bank call data is missing (see its README)")
    days: dict[date, dict[int, int]] = defaultdict(dict)
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            # "2003-03-03 07:00:00+00:00": local clock time despite the UTC suffix
            moment = datetime.strptime(row["hh"][:16], "%Y-%m-%d %H:%M")
            minute = moment.hour * 60 + moment.minute
            calls = int(row["Calls"])
            # the 21:00 bucket holds only 21:00-21:05: answered by the 20:30 crew
            minute = min(minute, BANK_CLOSE - 30)
            if minute < BANK_OPEN:
                raise ValueError(f"{path}: {row['hh']}: before the 07:00 opening")
            slots = days[moment.date()]
            slots[minute] = slots.get(minute, 0) + calls
    return dict(days)


def bank_weeks(data_dir: Path = BANK_DATA) -> list[date]:
    """The Mondays of every week with data."""
    return sorted({d - timedelta(days=d.weekday()) for d in read_bank_halfhours(data_dir)})


def bank_forecast_rows(
    week: date, data_dir: Path = BANK_DATA
) -> tuple[list[tuple[str, str, int]], list[date]]:
    """forecast.csv rows of one week, and the weekdays missing from the data."""
    data = read_bank_halfhours(data_dir)
    rows, missing = [], []
    for offset in range(5):
        day = week + timedelta(days=offset)
        slots = data.get(day)
        if slots is None:
            missing.append(day)
            continue
        for minute in sorted(slots):
            split = split_contacts(slots[minute], BANK_MIX)
            rows.extend((stamp(day, minute), tier, split[tier]) for tier in TIERS)
    return rows, missing


def bank_staff() -> list[tuple[str, str, str]]:
    staff, n = [], 0
    for tier, contract, count in BANK_STAFF:
        for _ in range(count):
            n += 1
            staff.append((f"B{n:04d}", tier, contract))
    return staff


def bank_requests(
    staff: Sequence[tuple[str, str, str]], week: date, seed: int
) -> list[tuple[str, str, str, str, str]]:
    """A few people's requests: week-long absences, single days off, preferences, two
    fixed shifts. Each person has requests of one kind only, so none contradict."""
    rng = random.Random(seed)
    n = len(staff)
    full_shifts = [s.id for s in BANK_SHIFTS if s.minutes == 510]
    short_shifts = [s.id for s in BANK_SHIFTS if s.minutes != 510]
    kinds = (
        ["absence"] * max(1, n // 50)  # 2 %: away the whole week (leave, sickness)
        + ["unavailable"] * max(1, n // 50)  # 2 %: one day (appointment, training)
        + ["off"] * max(1, n // 25)  # 4 %: would rather have a day or a shift off
        + ["on"] * max(1, n // 50)  # 2 %: would like a given shift
    )
    seniors = [i for i, (_, t, c) in enumerate(staff) if t == "senior" and c == "full_time"]
    fixed_people = rng.sample(seniors, k=min(2, len(seniors)))  # run a training on Wednesday
    rest = [i for i in range(n) if i not in fixed_people]
    others = rng.sample(rest, k=min(len(kinds), len(rest)))
    rows: list[tuple[str, int, str, str, str]] = []
    for i in fixed_people:
        rows.append((staff[i][0], 2, "fixed", "B1", ""))
    for i, kind in zip(others, kinds[: len(others)], strict=True):
        eid, contract = staff[i][0], staff[i][2]
        allowed = full_shifts + (short_shifts if contract == "part_time" else [])
        if kind == "absence":
            rows.extend((eid, d, "unavailable", "", "") for d in range(5))
        elif kind == "unavailable":
            rows.append((eid, rng.randrange(5), "unavailable", "", ""))
        elif kind == "off":
            shift = rng.choice(["", "", rng.choice(allowed)])
            rows.append((eid, rng.randrange(5), "off", shift, str(rng.randint(1, 3))))
        else:
            rows.append((eid, rng.randrange(5), "on", rng.choice(allowed), str(rng.randint(1, 3))))
    rows.sort(key=lambda r: (r[1], r[0], r[2], r[3]))
    return [(eid, (week + timedelta(days=d)).isoformat(), k, s, w) for eid, d, k, s, w in rows]


def bank_week(
    out_dir: Path | str,
    week_monday: date | str = DEFAULT_WEEK,
    data_dir: Path = BANK_DATA,
    seed: int = BANK_SEED,
) -> Path:
    """Write the bank scenario of one week (a Monday) into out_dir; returns out_dir."""
    week = date.fromisoformat(week_monday) if isinstance(week_monday, str) else week_monday
    if week.weekday() != 0:
        raise ValueError(f"week {week}: expected a Monday (ISO week start)")
    rows, missing = bank_forecast_rows(week, data_dir)
    if not rows:
        weeks = bank_weeks(data_dir)
        raise ValueError(f"week {week}: no bank data (weeks {weeks[0]} to {weeks[-1]})")
    for day in missing:
        print(f"note: {day} is missing from the bank data: no demand that day", file=sys.stderr)
    staff = bank_staff()
    instance = (
        f"# Bank contact center, week of {week} (generated by benchmarks/scenarios.py)\n"
        'model = "model.toml"\n'
        f'start = "{week.isoformat()}"\n'
        "days = 7\n"
    )
    return write_files(
        Path(out_dir),
        {
            "model.toml": bank_model_toml(week),
            "instance.toml": instance,
            "forecast.csv": csv_text(["start", "tier", "contacts"], rows),
            "staff.csv": csv_text(["employee_id", "tier", "contract"], staff),
            "requests.csv": csv_text(
                ["employee_id", "date", "kind", "shift_id", "weight"],
                bank_requests(staff, week, seed),
            ),
        },
    )


# ------------------------------------------------------------------------------ synthetic site

SYNTH_START = date(2026, 11, 30)  # a Monday, the hotline's week
SYNTH_SHIFTS = (
    Shift("E1", 6 * 60, 540, 480, "early"),
    Shift("E2", 8 * 60, 540, 480, "early"),
    Shift("D1", 10 * 60, 540, 480, "day"),
    Shift("L1", 13 * 60, 540, 480, "late"),
    Shift("L2", 15 * 60, 540, 480, "late"),
    Shift("N1", 22 * 60, 540, 480, "night", night=True),
)
# The hotline's curves (instances/hotline-2026-w49/generate.py), peak = 1.
WEEKDAY_CURVE = (
    0.20, 0.15, 0.12, 0.10, 0.10, 0.13,  # 00-05 night trough
    0.22, 0.40, 0.66, 0.88, 0.97, 1.00,  # 06-11 ramp to the late-morning peak
    0.86, 0.78, 0.84, 0.85, 0.78, 0.64,  # 12-17 lunch dip, afternoon shoulder
    0.52, 0.43, 0.36, 0.31, 0.27, 0.23,  # 18-23 evening decline
)  # fmt: skip
WEEKEND_CURVE = (
    0.22, 0.17, 0.13, 0.11, 0.10, 0.11,  # 00-05
    0.15, 0.24, 0.42, 0.66, 0.86, 0.95,  # 06-11 later, softer ramp
    0.92, 0.82, 0.78, 0.74, 0.66, 0.56,  # 12-17 flatter afternoon
    0.47, 0.40, 0.35, 0.31, 0.27, 0.24,  # 18-23
)  # fmt: skip
DAY_FACTOR = (1.10, 1.02, 0.98, 0.99, 0.91, 0.66, 0.62)  # Monday first
NOISE = 0.08  # +/- 4 % uniform noise per hour
MIX_DESK_OPEN = {"junior": 0.6, "mid": 0.3, "senior": 0.1}
MIX_DESK_CLOSED = {"junior": 0.6, "mid": 0.3, "senior": 0.0}  # seniors' share: callbacks
DESK_HOURS = range(10, 19)  # Monday-Friday
SYNTH_AHT = {"junior": 300, "mid": 480, "senior": 720}
SYNTH_TARGETS = {"answer_within": 30, "service_level": 0.80, "occupancy": 0.85, "shrink": 0.30}
# Share of the staff per (tier, contract), the hotline's 6 / 12 / 16 / 6 of 40.
SYNTH_MIX = (
    ("senior", "full_time", 0.15),
    ("mid", "full_time", 0.30),
    ("junior", "full_time", 0.40),
    ("junior", "part_time", 0.15),
)
TARGET_LOAD = 0.82  # required / available on-duty hours of the busiest tier level
CREW_SHARE = 0.15  # the weekend-before night crew (previous.csv), the hotline's 6 of 40

HOTLINE_MODEL = Path(__file__).resolve().parents[1] / "models" / "hotline.toml"
HOTLINE_NAME = 'name = "After-sales hotline, 24x7"'


def synthetic_model(engineers: int, seed: int) -> str:
    """The bundled hotline's site model (the synthetic sites' shifts, contracts, rules and
    weights are exactly its own), renamed for the site, staffed by Erlang C (no patience)
    and priced by headcount (no service weight): the scale benchmark's measure."""
    text = HOTLINE_MODEL.read_text(encoding="utf-8")
    if HOTLINE_NAME not in text:
        raise ValueError(f"{HOTLINE_MODEL}: expected the line {HOTLINE_NAME}")
    text = re.sub(r"(?m)^patience_seconds = .*\n", "", text)
    text = re.sub(r"(?m)^service = \d+", "service = 0", text)
    header = (
        f"# Synthetic 24x7 site of {engineers} engineers (benchmark scenario, generated by\n"
        f"# benchmarks/scenarios.py with seed {seed}): the bundled hotline's site model\n"
        "# (models/hotline.toml) with a forecast scaled to the team.\n\n"
    )
    return header + text.replace(
        HOTLINE_NAME, f'name = "Synthetic 24x7 site, {engineers} engineers"'
    )


def synthetic_staff(engineers: int) -> list[tuple[str, str, str]]:
    counts = [round(engineers * share) for _, _, share in SYNTH_MIX]
    counts[2] += engineers - sum(counts)  # full-time juniors take the rounding
    staff, n = [], 0
    for (tier, contract, _), count in zip(SYNTH_MIX, counts, strict=True):
        for _ in range(count):
            n += 1
            staff.append((f"S{n:04d}", tier, contract))
    return staff


def _curve_shape(rng: random.Random) -> list[tuple[int, int, float, bool]]:
    """(day offset, hour, relative volume, desk open) for every hour of the week."""
    shape = []
    for d in range(7):
        curve = WEEKEND_CURVE if d >= 5 else WEEKDAY_CURVE
        for hour in range(24):
            noise = 1 + NOISE * (rng.random() - 0.5)
            factor = 1 + (DAY_FACTOR[d] - 1) * curve[hour]  # busy hours scale fully
            shape.append((d, hour, factor * curve[hour] * noise, d < 5 and hour in DESK_HOURS))
    return shape


def _synthetic_forecast(
    shape: Sequence[tuple[int, int, float, bool]], peak: float
) -> list[tuple[int, int, dict[str, int]]]:
    rows = []
    for d, hour, relative, desk_open in shape:
        total = round(peak * relative)
        if desk_open:
            split = split_contacts(total, MIX_DESK_OPEN)
        else:
            split = {t: round(total * MIX_DESK_CLOSED[t]) for t in TIERS}
        rows.append((d, hour, split))
    return rows


def _synthetic_available_hours(staff: Sequence[tuple[str, str, str]]) -> dict[str, float]:
    """Most on-duty hours per tier level (tier or higher): 5 or 3 shifts of 9 h."""
    per_tier = defaultdict(float)
    for _, tier, contract in staff:
        per_tier[tier] += (5 if contract == "full_time" else 3) * 9
    return {t: sum(per_tier[u] for u in TIERS[i:]) for i, t in enumerate(TIERS)}


def _synthetic_load(
    forecast: Sequence[tuple[int, int, dict[str, int]]], available: dict[str, float]
) -> float:
    """Required / available hours of the busiest tier level."""
    from rostering.staffing import ServiceTargets, staff_interval

    targets = ServiceTargets(
        answer_within_seconds=SYNTH_TARGETS["answer_within"],
        service_level=SYNTH_TARGETS["service_level"],
        max_occupancy=SYNTH_TARGETS["occupancy"],
        shrinkage=SYNTH_TARGETS["shrink"],
    )
    # D>=t of the pool of tier t and higher, as the site model staffs it ("pooled")
    need = dict.fromkeys(TIERS, 0)
    for _, _, split in forecast:
        above = 0
        for i in reversed(range(len(TIERS))):
            pool = TIERS[i:]
            contacts = sum(split[u] for u in pool)
            if contacts:
                aht = sum(split[u] * SYNTH_AHT[u] for u in pool) / contacts
                above = max(above, staff_interval(contacts, 3600, aht, targets).required)
            need[TIERS[i]] += above
    return max(need[t] / available[t] for t in TIERS)


def synthetic_peak(
    shape: Sequence[tuple[int, int, float, bool]],
    staff: Sequence[tuple[str, str, str]],
    target: float = TARGET_LOAD,
) -> float:
    """The largest weekday peak (contacts per hour, 2 decimals) whose busiest tier level
    needs at most `target` of its available on-duty hours (bisection)."""
    available = _synthetic_available_hours(staff)
    lo, hi = 0, 2000 * len(staff)  # hundredths of a contact
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _synthetic_load(_synthetic_forecast(shape, mid / 100), available) <= target:
            lo = mid
        else:
            hi = mid
    return lo / 100


def _synthetic_previous(
    staff: Sequence[tuple[str, str, str]], rng: random.Random
) -> list[tuple[str, ...]]:
    """The night crew of the weekend before: N1 on Saturday and Sunday (full-timers)."""
    crew_size = max(3, round(CREW_SHARE * len(staff)))
    seniors = max(1, round(crew_size / 6))
    mids = max(1, round(crew_size / 3))
    by_tier = {
        "senior": seniors,
        "mid": mids,
        "junior": crew_size - seniors - mids,
    }
    crew: list[tuple[str, str]] = []
    for tier, count in by_tier.items():
        pool = [(eid, t) for eid, t, c in staff if t == tier and c == "full_time"]
        crew.extend(rng.sample(pool, k=min(count, len(pool))))
    crew.sort()
    night = SYNTH_SHIFTS[-1]
    rows = []
    for offset in (-2, -1):
        day = SYNTH_START + timedelta(days=offset)
        for eid, tier in crew:
            rows.append(
                (
                    eid,
                    day.isoformat(),
                    night.id,
                    stamp(day, night.start),
                    stamp(day, night.start + night.minutes),
                    tier,
                )
            )
    return rows


def _synthetic_requests(
    staff: Sequence[tuple[str, str, str]], crew: set[str], rng: random.Random
) -> list[tuple[str, str, str, str, str]]:
    """N // 4 requests on distinct engineers: days or shifts off, wishes, absences, a few
    fixed shifts (day shifts of full-timers outside the night crew: no clash with rest)."""
    n = len(staff)
    rows: list[tuple[str, int, str, str, str]] = []
    kinds = ("off", "on", "unavailable", "fixed")
    for i in sorted(rng.sample(range(n), k=n // 4)):
        eid, _, contract = staff[i]
        kind = rng.choices(kinds, weights=(45, 30, 20, 5))[0]
        allowed = [s.id for s in SYNTH_SHIFTS if contract == "full_time" or not s.night]
        day = rng.randrange(7)
        if kind == "fixed" and (contract != "full_time" or eid in crew):
            kind = "on"
        if kind == "off":
            shift = rng.choice(["", "", rng.choice(allowed)])
            rows.append((eid, day, "off", shift, str(rng.randint(1, 3))))
        elif kind == "on":
            shift = rng.choice(["", rng.choice(allowed), rng.choice(allowed)])
            rows.append((eid, day, "on", shift, str(rng.randint(1, 3))))
        elif kind == "unavailable":
            rows.append((eid, day, "unavailable", "", ""))
        else:
            rows.append((eid, day, "fixed", rng.choice(("E2", "D1", "L1")), ""))
    rows.sort(key=lambda r: (r[1], r[0]))
    start = SYNTH_START
    return [(eid, (start + timedelta(days=d)).isoformat(), k, s, w) for eid, d, k, s, w in rows]


def synthetic_site(out_dir: Path | str, engineers: int, seed: int = 7) -> Path:
    """Write a seeded 24x7 site of `engineers` people into out_dir; returns out_dir."""
    if engineers < 10:
        raise ValueError(f"engineers: expected at least 10, got {engineers}")
    rng = random.Random(seed)
    staff = synthetic_staff(engineers)
    shape = _curve_shape(rng)
    peak = synthetic_peak(shape, staff)
    forecast = [
        (stamp(SYNTH_START + timedelta(days=d), hour * 60), tier, split[tier])
        for d, hour, split in _synthetic_forecast(shape, peak)
        for tier in TIERS
    ]
    previous = _synthetic_previous(staff, rng)
    requests = _synthetic_requests(staff, {r[0] for r in previous}, rng)
    instance = (
        f"# Synthetic 24x7 site, {engineers} engineers, seed {seed}, weekday peak "
        f"{peak:g} contacts/hour (generated by benchmarks/scenarios.py)\n"
        'model = "model.toml"\n'
        f'start = "{SYNTH_START.isoformat()}"\n'
        "days = 7\n"
    )
    return write_files(
        Path(out_dir),
        {
            "model.toml": synthetic_model(engineers, seed),
            "instance.toml": instance,
            "forecast.csv": csv_text(["start", "tier", "contacts"], forecast),
            "staff.csv": csv_text(["employee_id", "tier", "contract"], staff),
            "requests.csv": csv_text(
                ["employee_id", "date", "kind", "shift_id", "weight"], requests
            ),
            "previous.csv": csv_text(
                ["employee_id", "date", "shift_id", "start", "end", "tier"], previous
            ),
        },
    )


# ------------------------------------------------------------------------------ report


@dataclass(frozen=True)
class LevelFigures:
    level: str  # "junior+" = junior or higher
    required_hours: float  # sum over intervals of D>=t x interval length
    available_hours: float  # most on-duty hours the staff of that level can give
    peak_required: int  # largest D>=t of one interval

    @property
    def ratio(self) -> float:
        return self.required_hours / self.available_hours if self.available_hours else math.inf


def calibration(instance_dir: Path | str) -> list[LevelFigures]:
    """Required person-hours per tier level against the staff's most on-duty hours."""
    from rostering.demand import most_on_duty_minutes, staffing_table
    from rostering.io.instance import load_problem

    problem = load_problem(Path(instance_dir))
    model = problem.model
    grid = model.interval_minutes or 60
    own: dict[int, dict[str, int]] = defaultdict(dict)
    for row in staffing_table(problem):
        own[row.interval][row.tier] = own[row.interval].get(row.tier, 0) + row.required
    duty = {e.id: most_on_duty_minutes(problem, e) for e in problem.employees}
    figures = []
    for i, tier in enumerate(model.tiers):
        higher = model.tiers[i:]
        per_interval = [sum(by.get(t, 0) for t in higher) for by in own.values()]
        available = sum(duty[e.id] for e in problem.employees if e.tier in higher)
        figures.append(
            LevelFigures(
                level=f"{tier}+" if i < len(model.tiers) - 1 else tier,
                required_hours=sum(per_interval) * grid / 60,
                available_hours=available / 60,
                peak_required=max(per_interval, default=0),
            )
        )
    return figures


def daily_peaks(instance_dir: Path | str) -> dict[date, int]:
    """Per day: the largest total headcount (all tiers) required in one interval."""
    from rostering.demand import staffing_table
    from rostering.io.instance import load_problem

    problem = load_problem(Path(instance_dir))
    totals: dict[datetime, int] = defaultdict(int)
    for row in staffing_table(problem):
        totals[row.start] += row.required
    peaks: dict[date, int] = defaultdict(int)
    for start, total in totals.items():
        peaks[start.date()] = max(peaks[start.date()], total)
    return dict(sorted(peaks.items()))


def report(instance_dir: Path | str) -> str:
    from rostering.io.instance import load_problem

    problem = load_problem(Path(instance_dir))
    tiers = defaultdict(int)
    for e in problem.employees:
        tiers[f"{e.tier}/{e.contract}"] += 1
    lines = [
        f"{instance_dir}: {len(problem.employees)} engineers "
        + ", ".join(f"{k} {v}" for k, v in sorted(tiers.items())),
        f"  shift types {len(problem.model.shifts)}, days {problem.days}, "
        f"grid {problem.model.interval_minutes} min, requests {len(problem.requests)}",
        "  level     required h  available h  ratio  peak heads",
    ]
    for f in calibration(instance_dir):
        lines.append(
            f"  {f.level:8s} {f.required_hours:11.1f} {f.available_hours:12.1f}"
            f" {f.ratio:6.2f} {f.peak_required:11d}"
        )
    peaks = daily_peaks(instance_dir)
    lines.append("  peak heads per day: " + ", ".join(f"{d:%a} {n}" for d, n in peaks.items()))
    return "\n".join(lines)


# ------------------------------------------------------------------------------ CLI


def engineer_list(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 50,100,200, got {text!r}") from None
    if not sizes or min(sizes) < 10:
        raise argparse.ArgumentTypeError(f"expected sizes of at least 10, got {text!r}")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.scenarios", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    bank = sub.add_parser("bank", help="one week of the bank data (writes OUT_DIR/bank-WEEK)")
    bank.add_argument("out_dir", type=Path, nargs="?", default=DEFAULT_OUT)
    bank.add_argument("--week", type=date.fromisoformat, default=DEFAULT_WEEK, help="a Monday")
    bank.add_argument("--report", action="store_true", help="print the calibration figures")
    synth = sub.add_parser("synthetic", help="24x7 sites (writes OUT_DIR/synthetic-N)")
    synth.add_argument("out_dir", type=Path, nargs="?", default=DEFAULT_OUT)
    synth.add_argument("--engineers", type=engineer_list, default=[50, 100, 200, 500, 1000])
    synth.add_argument("--seed", type=int, default=7)
    synth.add_argument("--report", action="store_true", help="print the calibration figures")
    rep = sub.add_parser("report", help="calibration figures of instance directories")
    rep.add_argument("instances", type=Path, nargs="+")
    args = parser.parse_args(argv)
    written: list[Path] = []
    try:
        if args.command == "bank":
            written.append(bank_week(args.out_dir / f"bank-{args.week}", args.week))
        elif args.command == "synthetic":
            for n in args.engineers:
                written.append(synthetic_site(args.out_dir / f"synthetic-{n}", n, args.seed))
        else:
            for instance in args.instances:
                print(report(instance))
            return 0
    except (ValueError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(report(path) if args.report else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
