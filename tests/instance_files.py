"""A small, valid instance directory written into a temporary folder, for CLI tests."""

from __future__ import annotations

from pathlib import Path

MODEL = """\
name = "Test line"
interval_minutes = 60

[tiers]
order = ["junior", "mid", "senior"]
aht_seconds = { junior = 300, mid = 480, senior = 720 }
mix = { junior = 0.6, mid = 0.3, senior = 0.1 }

[service]
answer_within_seconds = 30
service_level = 0.80
max_occupancy = 0.85
shrinkage = 0.30

[[shifts]]
id = "E"
start = "06:00"
minutes = 480

[[shifts]]
id = "L"
start = "14:00"
minutes = 480
kind = "late"

[[shifts]]
id = "N"
start = "22:00"
minutes = 480
night = true

[contracts.full_time]
max_days_per_week = 5
max_consecutive_days = 5
min_consecutive_days_off = 1

[rules]
min_rest_minutes = 660

[rules.mentoring]
mentee_tiers = ["junior"]
mentor_tiers = ["mid", "senior"]

[weights]
under_cover = 100
over_cover = 1
requests = 2
"""

STAFF = """\
employee_id,tier,contract,name
J1,junior,full_time,Zoë Müller
J2,junior,full_time,José Núñez
M1,mid,full_time,王芳
M2,mid,full_time,Ana Šimić
S1,senior,full_time,Sam Berg
"""

REQUESTS = """\
employee_id,date,kind,shift_id,weight
J1,2026-12-02,off,,3
M1,2026-12-01,unavailable,,
"""


def forecast(days: int = 3) -> str:
    lines = ["start,contacts"]
    for d in range(days):
        for h in range(24):
            contacts = 2 if h < 6 else (12 if 9 <= h < 17 else 6)
            lines.append(f"2026-11-{30 + d:02d}T{h:02d}:00,{contacts}" if d == 0 else
                         f"2026-12-{d:02d}T{h:02d}:00,{contacts}")  # fmt: skip
    return "\n".join(lines) + "\n"


def write_instance(folder: Path, days: int = 3) -> Path:
    """Write a 3-day instance starting Monday 2026-11-30 with an hourly forecast."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.toml").write_text(MODEL, encoding="utf-8")
    (folder / "instance.toml").write_text(
        f'model = "model.toml"\nstart = "2026-11-30"\ndays = {days}\n', encoding="utf-8"
    )
    (folder / "staff.csv").write_text(STAFF, encoding="utf-8")
    (folder / "requests.csv").write_text(REQUESTS, encoding="utf-8")
    (folder / "forecast.csv").write_text(forecast(days), encoding="utf-8")
    return folder
