#!/usr/bin/env python3
"""Generate the bundled example instance hotline-2026-w49 (site model: models/hotline.toml).

Writes instance.toml, forecast.csv, staff.csv, requests.csv and previous.csv
beside this script. The output is deterministic (seeded): running it twice gives identical
bytes. Python 3.10+ standard library only.

    python instances/hotline-2026-w49/generate.py            # write the files
    python instances/hotline-2026-w49/generate.py --report   # also print the staffing check

The demand is synthetic: a daily curve shaped like a real after-sales line
(night trough around 03:00, ramp from 07:00, late-morning peak at 11:00, a
smaller afternoon shoulder 14:00-16:00, evening decline), Monday the busiest
weekday, Friday lighter, weekends about 60 % of a weekday.

forecast.csv carries a `tier` column (the site model's `mix` is not used by
this instance). While the escalation desk is open (Monday-Friday
10:00-19:00) live contacts split junior 0.6, mid 0.3, senior 0.1, the model's
mix. Outside those hours the senior share is not answered live: it becomes
callback tickets for the desk, so the forecast holds junior 0.6 and mid 0.3 of
the volume and senior 0. Why: every open tier queue needs at least two heads
(one agent after 30 % shrinkage), so a senior queue open 24x7 would need at
least 2 x 168 = 336 senior hours a week, more than six seniors can be on duty
(6 x 5 shifts x 9 h = 270 h).

Calibration: the week needs 1275 person-hours (weekdays 196-203, weekends
142-144) against at most 188 shifts x 9 h = 1692 on duty; the binding tier is
mid-or-higher (686 of the 18 mids and seniors' 810 hours). A CP-SAT model of
the rules covers it in full; with PEAK_CONTACTS = 30 (+7 %) it cannot.

previous.csv holds the night crew of the weekend before (Saturday and Sunday
N1). Sunday's night shift runs until Monday 07:00, so it covers the first
hours of the horizon; without it, Monday 00:00-06:00 could not be covered by
any shift of this week.

The forecast reaches into the next Monday morning (00:00-06:00, before the
07:00 end of Sunday's night shift: demand after the horizon), so this week
rosters Sunday's night for the first hours of the week after.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import random
from datetime import date, datetime, timedelta
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2026
START = date(2026, 11, 30)  # a Monday (ISO week 49)
DAYS = 7

TIERS = ("junior", "mid", "senior")
MIX_DESK_OPEN = {"junior": Fraction(6, 10), "mid": Fraction(3, 10), "senior": Fraction(1, 10)}
MIX_DESK_CLOSED = {"junior": Fraction(6, 10), "mid": Fraction(3, 10), "senior": Fraction(0)}
DESK_WEEKDAYS = range(0, 5)  # Monday-Friday
DESK_HOURS = range(10, 19)  # 10:00-19:00

# Contacts per hour at the weekday peak (11:00) of an average weekday.
PEAK_CONTACTS = 28.0
# Relative volume per hour of day (start of the hour), peak = 1.
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
# Hours of the next Monday forecast after the horizon: until Sunday's N1 ends (07:00).
AFTER_HOURS = 7
# Day factors against an average weekday, Monday first.
DAY_FACTOR = (1.10, 1.02, 0.98, 0.99, 0.91, 0.66, 0.62)
NOISE = 0.08  # +/- 4 % uniform noise per hour, so the curve is not perfectly smooth

# employee_id, tier, contract, name
STAFF = (
    ("E01", "senior", "full_time", "Zoë Müller"),
    ("E02", "senior", "full_time", "Rajesh Iyer"),
    ("E03", "senior", "full_time", "Ana Šimić"),
    ("E04", "senior", "full_time", "Hiroshi Tanaka"),
    ("E05", "senior", "full_time", "Margaret O'Neill"),
    ("E06", "senior", "full_time", "Björn Åström"),
    ("E07", "mid", "full_time", "José Núñez"),
    ("E08", "mid", "full_time", "王芳"),
    ("E09", "mid", "full_time", "Fatima Zahra Benali"),
    ("E10", "mid", "full_time", "Łukasz Wójcik"),
    ("E11", "mid", "full_time", "Chiara Bianchi"),
    ("E12", "mid", "full_time", "Ngozi Okafor"),
    ("E13", "mid", "full_time", "François Lefèvre"),
    ("E14", "mid", "full_time", "Ayşe Yılmaz"),
    ("E15", "mid", "full_time", "Daniel Cohen"),
    ("E16", "mid", "full_time", "Ingrid Johansson"),
    ("E17", "mid", "full_time", "Nguyễn Thị Lan"),
    ("E18", "mid", "full_time", "Pedro Almeida"),
    ("E19", "junior", "full_time", "Emma Schmidt"),
    ("E20", "junior", "full_time", "Mohammed Al-Farsi"),
    ("E21", "junior", "full_time", "Siobhán Kelly"),
    ("E22", "junior", "full_time", "Kenji Watanabe"),
    ("E23", "junior", "full_time", "Olga Ivanova"),
    ("E24", "junior", "full_time", "Lucas Martin"),
    ("E25", "junior", "full_time", "Priya Sharma"),
    ("E26", "junior", "full_time", "Tomás Ó Briain"),
    ("E27", "junior", "full_time", "Sofía Ramírez"),
    ("E28", "junior", "full_time", "김민준"),
    ("E29", "junior", "full_time", "Noah Williams"),
    ("E30", "junior", "full_time", "Eleni Papadopoulou"),
    ("E31", "junior", "full_time", "Mateusz Kowalczyk"),
    ("E32", "junior", "full_time", "Amara Diallo"),
    ("E33", "junior", "full_time", "Jonas Berg"),
    ("E34", "junior", "full_time", "Léa Dubois"),
    ("E35", "junior", "part_time", "Dmitri Sokolov"),
    ("E36", "junior", "part_time", "Aiko Suzuki"),
    ("E37", "junior", "part_time", "Carlos Mendoza"),
    ("E38", "junior", "part_time", "Hannah Becker"),
    ("E39", "junior", "part_time", "Yusuf Demir"),
    ("E40", "junior", "part_time", "Mia Jensen"),
)

# employee_id, day offset, kind, shift_id, weight (None = empty cell: hard requests)
REQUESTS = (
    ("E23", 1, "unavailable", "", None),  # Tue: medical appointment
    ("E12", 3, "unavailable", "", None),  # Thu: training course
    ("E12", 4, "unavailable", "", None),  # Fri: training course
    ("E02", 0, "fixed", "D1", None),  # Mon: leads the weekly escalation review
    ("E20", 2, "off", "", 3),  # Wed: child's school event
    ("E31", 4, "off", "", 2),  # Fri
    ("E09", 5, "off", "", 2),  # Sat
    ("E27", 6, "off", "", 3),  # Sun: family visit
    ("E14", 4, "off", "N1", 2),  # Fri: not the Friday night
    ("E25", 2, "on", "E1", 2),  # Wed: prefers the early shift
    ("E15", 5, "on", "L2", 1),  # Sat: happy to take the late shift
    ("E38", 6, "on", "", 2),  # Sun: part-timer wants a Sunday shift
)

# The night crew of the weekend before the horizon: N1 on Saturday and Sunday.
PREVIOUS_NIGHT_CREW = ("E05", "E13", "E16", "E21", "E29", "E33")
PREVIOUS_NIGHTS = (-2, -1)  # day offsets from START
NIGHT_START, NIGHT_MINUTES = 22 * 60, 540


def forecast_rows() -> list[tuple[str, str, int]]:
    """(start, tier, contacts) for every hour and tier of the horizon, and the next
    Monday's first AFTER_HOURS hours (drawn last, so the horizon's rows stay as they were)."""
    rng = random.Random(SEED)
    rows = []
    for d in range(DAYS + 1):
        day = START + timedelta(days=d)
        weekday = day.weekday()
        curve = WEEKEND_CURVE if weekday >= 5 else WEEKDAY_CURVE
        for hour in range(24 if d < DAYS else AFTER_HOURS):
            noise = 1 + NOISE * (rng.random() - 0.5)
            # The day factor scales the busy hours fully and the night hardly.
            factor = 1 + (DAY_FACTOR[weekday] - 1) * curve[hour]
            total = round(PEAK_CONTACTS * factor * curve[hour] * noise)
            desk_open = weekday in DESK_WEEKDAYS and hour in DESK_HOURS
            mix = MIX_DESK_OPEN if desk_open else MIX_DESK_CLOSED
            split = {tier: round(total * mix[tier]) for tier in TIERS}
            if desk_open:  # live contacts add up to the total
                split["mid"] = total - split["junior"] - split["senior"]
            stamp = datetime(day.year, day.month, day.day, hour).strftime("%Y-%m-%dT%H:%M")
            rows.extend((stamp, tier, split[tier]) for tier in TIERS)
    return rows


def previous_rows() -> list[tuple[str, str, str, str, str, str]]:
    """The roster rows of previous.csv, sorted by date, start, employee_id."""
    tier_of = {eid: tier for eid, tier, _, _ in STAFF}
    rows = []
    for offset in PREVIOUS_NIGHTS:
        day = START + timedelta(days=offset)
        begin = datetime(day.year, day.month, day.day) + timedelta(minutes=NIGHT_START)
        end = begin + timedelta(minutes=NIGHT_MINUTES)
        for eid in sorted(PREVIOUS_NIGHT_CREW):
            rows.append(
                (
                    eid,
                    day.isoformat(),
                    "N1",
                    begin.strftime("%Y-%m-%dT%H:%M"),
                    end.strftime("%Y-%m-%dT%H:%M"),
                    tier_of[eid],
                )
            )
    return rows


def csv_text(header: list[str], rows) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write(name: str, text: str) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def generate() -> None:
    write(
        "instance.toml",
        "# After-sales hotline, ISO week 49 of 2026 (generated by generate.py)\n"
        'model = "../../models/hotline.toml"\n'
        f'start = "{START.isoformat()}"\n'
        f"days = {DAYS}\n",
    )
    write("forecast.csv", csv_text(["start", "tier", "contacts"], forecast_rows()))
    write("staff.csv", csv_text(["employee_id", "tier", "contract", "name"], STAFF))
    requests = [
        (eid, (START + timedelta(days=off)).isoformat(), kind, shift, "" if w is None else w)
        for eid, off, kind, shift, w in REQUESTS
    ]
    write("requests.csv", csv_text(["employee_id", "date", "kind", "shift_id", "weight"], requests))
    roster_header = ["employee_id", "date", "shift_id", "start", "end", "tier"]
    write("previous.csv", csv_text(roster_header, previous_rows()))


# ----------------------------------------------------------------- staffing check
# A minimal Erlang C, only to print the calibration figures (--report).

AHT = {"junior": 300, "mid": 480, "senior": 720}
ANSWER_WITHIN, SERVICE_LEVEL, MAX_OCCUPANCY = 30, 0.80, 0.85
SHRINKAGE = Fraction(3, 10)


def erlang_c(n: int, load: float) -> float:
    term, below = 1.0, 0.0
    for k in range(n):
        below += term
        term *= load / (k + 1)
    top = term * n / (n - load)
    return top / (below + top)


def agents(contacts: int, aht: int) -> int:
    load = contacts * aht / 3600
    if load == 0:
        return 0
    n = max(1, math.floor(load))
    while True:
        if n > load and load / n <= MAX_OCCUPANCY:
            wait = erlang_c(n, load) * math.exp(-(n - load) * ANSWER_WITHIN / aht)
            if 1 - wait >= SERVICE_LEVEL:
                return n
        n += 1


def headcount(n: int) -> int:
    return math.ceil(Fraction(n) / (1 - SHRINKAGE))


def report() -> None:
    rows = forecast_rows()
    need: dict[tuple[str, int], dict[str, int]] = {}
    contacts: dict[str, int] = {}
    for stamp, tier, c in rows:
        day, hour = stamp[:10], int(stamp[11:13])
        need.setdefault((day, hour), {})[tier] = headcount(agents(c, AHT[tier]))
        contacts[day] = contacts.get(day, 0) + c
    print("day         weekday contacts  req.person-h  junior  mid  senior  peak(h: j/m/s)")
    for d in range(DAYS):
        day = (START + timedelta(days=d)).isoformat()
        hours = [need[(day, h)] for h in range(24)]
        per_tier = {t: sum(h[t] for h in hours) for t in TIERS}
        peak_hour = max(range(24), key=lambda h: sum(hours[h].values()))
        p = hours[peak_hour]
        print(
            f"{day}  {date.fromisoformat(day):%a}     {contacts[day]:5d}"
            f"  {sum(per_tier.values()):12d}"
            f"  {per_tier['junior']:6d} {per_tier['mid']:4d} {per_tier['senior']:7d}"
            f"  {peak_hour:02d}: {p['junior']}/{p['mid']}/{p['senior']}"
        )
    last = (START + timedelta(days=DAYS - 1)).isoformat()
    horizon = [n for (day, _), n in need.items() if day <= last]  # not the next Monday's
    week = {t: sum(n[t] for n in horizon) for t in TIERS}
    print("week, tier or higher (required / most on-duty hours of the staff):")
    for i, tier in enumerate(TIERS):
        demand = sum(week[t] for t in TIERS[i:])
        shifts = sum(
            5 if contract == "full_time" else 3
            for _, t, contract, _ in STAFF
            if TIERS.index(t) >= i
        )
        print(f"  {tier + '+':8s} {demand:5d} / {shifts * 9:5d}  ({shifts} shifts of 9 h)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true", help="print the staffing check")
    args = parser.parse_args()
    generate()
    if args.report:
        report()


if __name__ == "__main__":
    main()
