"""Write instances/helpdesk-breaks/forecast.csv: contacts per half hour, 07:00-21:00, three
weekdays, a morning peak, a busy lunchtime and a smaller afternoon peak."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

# contacts per half hour from 07:00 to 20:30 (28 intervals)
CURVE = (4, 6, 9, 12, 14, 15, 15, 14, 14, 15, 15, 14, 13, 13,
         13, 14, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3)  # fmt: skip
DAY_SCALE = (1.0, 0.95, 0.9)


def main() -> None:
    out = Path(__file__).parent / "helpdesk-breaks" / "forecast.csv"
    lines = ["start,contacts"]
    for d, scale in enumerate(DAY_SCALE):
        day = datetime.combine(date(2026, 11, 30) + timedelta(days=d), datetime.min.time())
        for i, contacts in enumerate(CURVE):
            at = day + timedelta(minutes=7 * 60 + 30 * i)
            lines.append(f"{at:%Y-%m-%dT%H:%M},{round(contacts * scale)}")
    out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
