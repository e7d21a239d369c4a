"""A calendar per person (iCalendar, RFC 5545, with the `icalendar` package).

One VEVENT per worked shift, in local floating time (no time zone: a plan is the site's
wall clock, and a calendar shows it as such wherever it is opened); a shift crossing
midnight ends on the next day. The UID is stable (person, date, shift), so a calendar
re-imported after a change updates its events instead of duplicating them. A shift's breaks,
when the roster gives them, are in its description.
"""

from __future__ import annotations

from datetime import datetime, timezone

from icalendar import Calendar, Event

from rostering.domain import Problem, Roster
from rostering.io.roster import break_text, shift_times

PRODID = "-//rostering//roster export//EN"


def person_calendars(
    problem: Problem, roster: Roster, stamp: datetime | None = None
) -> dict[str, bytes]:
    """employee_id -> .ics bytes, for every person with at least one shift, in staff order."""
    stamp = stamp or datetime.now(timezone.utc).replace(microsecond=0)
    names = {e.id: e for e in problem.employees}
    shifts = {s.id: s for s in problem.model.shifts}
    mine: dict[str, list[tuple[datetime, datetime, str, int, str]]] = {}
    for a in roster.assignments:
        start, end = shift_times(problem, a)
        rests = f"; breaks {break_text(problem, a).replace('|', ', ')}" if a.breaks else ""
        mine.setdefault(a.employee_id, []).append((start, end, a.shift_id, a.day, rests))
    result = {}
    for e in problem.employees:
        if e.id not in mine:
            continue
        cal = Calendar()
        cal.add("prodid", PRODID)
        cal.add("version", "2.0")
        cal.add("x-wr-calname", f"Shifts of {names[e.id].name or e.id}")
        for start, end, sid, day, rests in sorted(mine[e.id]):
            shift = shifts[sid]
            event = Event()
            event.add("uid", f"{e.id}-{problem.date_of(day).isoformat()}-{sid}@rostering")
            event.add("dtstamp", stamp)
            event.add("dtstart", start)
            event.add("dtend", end)
            kind = f" ({shift.kind})" if shift.kind else ""
            event.add("summary", f"Shift {sid}{kind}")
            event.add(
                "description",
                f"{problem.name}: {sid}, {shift.minutes // 60}h{shift.minutes % 60:02d} on duty, "
                f"{shift.paid_minutes // 60}h{shift.paid_minutes % 60:02d} paid; "
                f"tier {e.tier}, contract {e.contract}{rests}",
            )
            cal.add_component(event)
        result[e.id] = cal.to_ical()
    return result
