"""Tests of evaluate, the judge: one tiny hand-built problem per rule of docs/RULES.md."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from rostering.domain import (
    Assignment,
    Contract,
    Employee,
    HistoryRow,
    IntervalRequirement,
    Limits,
    Mentoring,
    Problem,
    Request,
    Roster,
    Rules,
    ShiftType,
    SiteModel,
    SlotRequirement,
    Weights,
)
from rostering.evaluate import FAMILIES, CoverageRow, Evaluation, Violation, evaluate

MONDAY = date(2026, 11, 30)
E = ShiftType(id="E", start_minute=6 * 60, minutes=480, paid_minutes=450)
L = ShiftType(id="L", start_minute=14 * 60, minutes=480, paid_minutes=450)
N = ShiftType(id="N", start_minute=22 * 60, minutes=480, paid_minutes=450, night=True)
W = ShiftType(
    id="W", start_minute=9 * 60, minutes=480, paid_minutes=480, weekdays=frozenset(range(5))
)
# one hour, 10:00-11:00: exactly one interval of the demand grid
H = ShiftType(id="H", start_minute=10 * 60, minutes=60, paid_minutes=60)
TIERS = ("junior", "mid", "senior")


def model(
    rules: Rules | None = None,
    weights: Weights | None = None,
    shifts: tuple[ShiftType, ...] = (E, L, N, W, H),
) -> SiteModel:
    return SiteModel(
        name="test",
        interval_minutes=60,
        tiers=TIERS,
        shifts=shifts,
        contracts={"ft": Contract(name="ft", limits=Limits())},
        rules=rules or Rules(),
        weights=weights or Weights(),
    )


def staff(n: int = 3, tier: str = "mid", limits: Limits | None = None, **kw: Any) -> list[Employee]:
    return [
        Employee(id=f"E{i + 1}", tier=tier, contract="ft", limits=limits or Limits(), **kw)
        for i in range(n)
    ]


def problem(
    *,
    limits: Limits | None = None,
    employees: list[Employee] | None = None,
    days: int = 7,
    start: date = MONDAY,
    rules: Rules | None = None,
    weights: Weights | None = None,
    requests: tuple[Request, ...] = (),
    previous: tuple[tuple[str, int, str], ...] = (),
    previous_given: bool = False,
    **kw: Any,
) -> Problem:
    return Problem(
        name="t",
        model=model(rules, weights),
        start=start,
        days=days,
        employees=tuple(employees if employees is not None else staff(3, limits=limits)),
        requests=requests,
        previous=tuple(Assignment(employee_id=e, day=d, shift_id=s) for e, d, s in previous),
        previous_given=bool(previous) or previous_given,
        **kw,
    )


def roster(*rows: tuple[str, int, str]) -> Roster:
    return Roster(
        assignments=tuple(Assignment(employee_id=e, day=d, shift_id=s) for e, d, s in rows)
    )


def works(employee: str, days: range | list[int], shift: str = "E") -> list[tuple[str, int, str]]:
    return [(employee, d, shift) for d in days]


def day(i: int, start: date = MONDAY) -> date:
    return start + timedelta(days=i)


def days(first: int, last: int, start: date = MONDAY) -> tuple[date, ...]:
    return tuple(day(i, start) for i in range(first, last + 1))


def violations(p: Problem, *rows: tuple[str, int, str]) -> list[Violation]:
    return list(evaluate(p, roster(*rows)).violations)


def only(p: Problem, *rows: tuple[str, int, str]) -> Violation:
    found = violations(p, *rows)
    assert len(found) == 1, [v.message for v in found]
    return found[0]


def check(
    v: Violation, rule: str, employee: str | None, dates: tuple[date, ...], value: int, limit: int
) -> None:
    assert (v.rule, v.employee_id, v.dates, v.value, v.limit) == (
        rule,
        employee,
        dates,
        value,
        limit,
    ), v
    assert v.message and "\n" not in v.message


# --------------------------------------------------------------------------- API


def test_empty_roster_is_feasible_and_lists_every_family() -> None:
    ev = evaluate(problem(), roster())
    assert isinstance(ev, Evaluation)
    assert ev.is_feasible() and ev.violations == ()
    assert tuple(ev.penalties) == FAMILIES
    assert ev.objective == 0 and ev.coverage == ()


def test_violation_as_dict() -> None:
    p = problem()
    v = only(p, ("E1", 0, "E"), ("E1", 0, "L"))
    assert v.as_dict() == {
        "rule": "one_shift_per_day",
        "employee_id": "E1",
        "dates": ["2026-11-30"],
        "value": 2,
        "limit": 1,
        "message": "E1 has 2 shifts on 2026-11-30 (E, L); limit 1",
    }


def test_violations_sorted_by_family_employee_date() -> None:
    p = problem(limits=Limits(max_shifts={"N": 0}))
    rows = [("E2", 3, "N"), ("E2", 3, "E"), ("E1", 5, "N"), ("E1", 1, "E"), ("E1", 1, "L")]
    found = violations(p, *rows)
    keys = [(v.rule, v.employee_id, v.dates[0]) for v in found]
    assert keys == [
        ("one_shift_per_day", "E1", day(1)),
        ("one_shift_per_day", "E2", day(3)),
        ("shift_types", "E1", day(5)),
        ("shift_types", "E2", day(3)),
    ]


# --------------------------------------------------------------------------- hard rules


def test_one_shift_per_day() -> None:
    p = problem()
    check(only(p, ("E1", 2, "E"), ("E1", 2, "N")), "one_shift_per_day", "E1", (day(2),), 2, 1)
    assert violations(p, ("E1", 2, "E"), ("E2", 2, "E"), ("E1", 3, "E")) == []


def test_shift_on_a_weekday_where_it_does_not_exist() -> None:
    p = problem()
    v = only(p, ("E1", 5, "W"))  # Saturday
    check(v, "shift_types", "E1", (day(5),), 1, 0)
    assert "Saturday" in v.message
    assert violations(p, *works("E1", range(5), "W")) == []


def test_max_shifts_per_type() -> None:
    p = problem(limits=Limits(max_shifts={"N": 2, "L": 0}))
    v = only(p, *works("E1", [0, 2, 4], "N"))
    check(v, "shift_types", "E1", (day(0), day(2), day(4)), 3, 2)
    check(only(p, ("E2", 1, "L")), "shift_types", "E2", (day(1),), 1, 0)
    assert violations(p, *works("E1", [0, 2], "N"), ("E2", 1, "E")) == []


def test_unavailable_whole_day_and_one_shift() -> None:
    reqs = (
        Request(employee_id="E1", day=1, kind="unavailable"),
        Request(employee_id="E2", day=1, kind="unavailable", shift_id="N"),
    )
    p = problem(requests=reqs)
    check(only(p, ("E1", 1, "L")), "unavailable", "E1", (day(1),), 1, 0)
    check(only(p, ("E2", 1, "N")), "unavailable", "E2", (day(1),), 1, 0)
    assert violations(p, ("E1", 0, "L"), ("E1", 2, "L"), ("E2", 1, "E")) == []


def test_fixed_shift_and_fixed_any_shift() -> None:
    reqs = (
        Request(employee_id="E1", day=3, kind="fixed", shift_id="E"),
        Request(employee_id="E2", day=4, kind="fixed"),
    )
    p = problem(requests=reqs)
    ok = [("E1", 3, "E"), ("E2", 4, "N")]
    assert violations(p, *ok) == []
    v = only(p, ("E1", 3, "L"), ("E2", 4, "N"))
    check(v, "fixed", "E1", (day(3),), 0, 1)
    assert "works L" in v.message
    check(only(p, ("E1", 3, "E")), "fixed", "E2", (day(4),), 0, 1)


def test_min_rest_between_days() -> None:
    p = problem(rules=Rules(min_rest_minutes=660))
    v = only(p, ("E1", 1, "L"), ("E1", 2, "E"))  # 22:00 -> 06:00
    check(v, "min_rest", "E1", (day(1), day(2)), 480, 660)
    assert v.message == "E1 rests 8h00 between L on 2026-12-01 and E on 2026-12-02; minimum 11h00"
    assert violations(p, ("E1", 1, "E"), ("E1", 2, "E"), ("E1", 3, "L"), ("E1", 4, "L")) == []
    # same-day pairs are one_shift_per_day's business, not min_rest's
    assert [v.rule for v in violations(p, ("E1", 1, "E"), ("E1", 1, "L"))] == ["one_shift_per_day"]


def test_min_rest_zero_still_forbids_overlap() -> None:
    # 20:00 -> 08:00, then E at 06:00: two hours of overlap
    long_night = ShiftType(id="X", start_minute=20 * 60, minutes=720, paid_minutes=720)
    p = Problem(
        name="t",
        model=model(shifts=(E, long_night)),
        start=MONDAY,
        days=7,
        employees=tuple(staff(1)),
    )
    v = only(p, ("E1", 0, "X"), ("E1", 1, "E"))
    check(v, "min_rest", "E1", (day(0), day(1)), -120, 0)
    assert "overlaps" in v.message


def test_min_rest_from_previous_night_into_day_zero() -> None:
    p = problem(rules=Rules(min_rest_minutes=660), previous=(("E1", -1, "N"),))
    v = only(p, ("E1", 0, "E"))  # N ends 06:00 on day 0
    check(v, "min_rest", "E1", (day(-1), day(0)), 0, 660)
    assert violations(p, ("E1", 1, "E")) == []


def test_forbidden_successions_including_previous() -> None:
    p = problem(rules=Rules(forbidden_successions=frozenset({("N", "E")})))
    check(
        only(p, ("E1", 2, "N"), ("E1", 3, "E")),
        "forbidden_successions",
        "E1",
        (day(2), day(3)),
        1,
        0,
    )
    assert violations(p, ("E1", 2, "E"), ("E1", 3, "N"), ("E2", 2, "N"), ("E1", 4, "L")) == []
    p = problem(
        rules=Rules(forbidden_successions=frozenset({("N", "E")})), previous=(("E1", -1, "N"),)
    )
    check(only(p, ("E1", 0, "E")), "forbidden_successions", "E1", (day(-1), day(0)), 1, 0)


def test_max_consecutive_days() -> None:
    p = problem(limits=Limits(max_consecutive_days=3), days=14)
    v = only(p, *works("E1", range(2, 6)))
    check(v, "consecutive_days", "E1", days(2, 5), 4, 3)
    assert v.message == "E1 works 4 days in a row, 2026-12-02 to 2026-12-05; limit 3"
    assert violations(p, *works("E1", [0, 1, 2, 4, 5, 6, 8, 9, 10])) == []


def test_max_consecutive_days_straddling_the_start() -> None:
    prev = (("E1", -2, "E"), ("E1", -1, "E"), ("E2", -3, "E"), ("E2", -2, "E"))
    p = problem(limits=Limits(max_consecutive_days=3), previous=prev)
    check(only(p, *works("E1", [0, 1])), "consecutive_days", "E1", days(-2, 1), 4, 3)
    # E2's run -3..-2 is broken by day -1 off; a run wholly inside previous.csv is not judged
    assert violations(p, *works("E1", [0]), *works("E2", [0, 1, 2])) == []
    # without previous.csv only horizon days count
    p = problem(limits=Limits(max_consecutive_days=3))
    assert violations(p, *works("E1", [0, 1, 2])) == []


def test_min_consecutive_days_and_horizon_edges() -> None:
    p = problem(limits=Limits(min_consecutive_days=2))
    v = only(p, ("E1", 3, "E"))
    check(v, "consecutive_days", "E1", (day(3),), 1, 2)
    assert "only 1 day in a row" in v.message
    # runs touching day 0 (no previous.csv) and day H-1 are exempt
    assert violations(p, ("E1", 0, "E"), ("E2", 6, "E"), *works("E3", [2, 3])) == []


def test_min_consecutive_days_with_previous() -> None:
    limits = Limits(min_consecutive_days=2)
    # a run continuing from previous.csv counts its previous days
    p = problem(limits=limits, previous=(("E1", -1, "E"),))
    assert violations(p, ("E1", 0, "E")) == []
    # a run ending on day -1 with day 0 off is checked
    check(only(p), "consecutive_days", "E1", (day(-1),), 1, 2)
    # day 0 is no longer exempt: E2 worked nothing before
    check(only(p, ("E1", 0, "E"), ("E2", 0, "E")), "consecutive_days", "E2", (day(0),), 1, 2)
    # a run ending before day -1 is not the roster's doing
    p = problem(limits=limits, previous=(("E1", -3, "E"),))
    assert violations(p) == []


def test_previous_csv_given_but_empty() -> None:
    # the file exists and lists nobody: day 0 is no longer an edge for minimum runs
    p = problem(limits=Limits(min_consecutive_days=2), previous_given=True)
    check(only(p, ("E1", 0, "E")), "consecutive_days", "E1", (day(0),), 1, 2)
    # ... while an off run reaching back before day 0 is as long as can be
    p = problem(limits=Limits(min_consecutive_days_off=2), previous_given=True)
    assert violations(p, *works("E1", range(1, 6))) == []


def test_min_consecutive_days_off() -> None:
    p = problem(limits=Limits(min_consecutive_days_off=2))
    v = only(p, *works("E1", [0, 1, 2, 4, 5, 6]))
    check(v, "consecutive_days_off", "E1", (day(3),), 1, 2)
    assert "1 day off in a row" in v.message
    # off runs touching day 0 and day H-1 are exempt without previous.csv
    assert violations(p, *works("E1", range(1, 6))) == []
    # with previous.csv an off run touching day 0 is measured from its previous days
    p = problem(limits=Limits(min_consecutive_days_off=2), previous=(("E1", -1, "E"),))
    check(only(p, *works("E1", range(1, 6))), "consecutive_days_off", "E1", (day(0),), 1, 2)
    # E2 has no previous row: an off stretch reaching back before previous.csv is long
    assert violations(p, *works("E2", range(1, 6)), *works("E1", range(2, 6))) == []


def test_max_consecutive_nights() -> None:
    p = problem(limits=Limits(max_consecutive_nights=2))
    check(only(p, *works("E1", [1, 2, 3], "N")), "consecutive_nights", "E1", days(1, 3), 3, 2)
    assert violations(p, *works("E1", [1, 2], "N"), ("E1", 3, "E"), *works("E1", [4, 5], "N")) == []
    p = problem(limits=Limits(max_consecutive_nights=2), previous=(("E1", -1, "N"),))
    check(only(p, *works("E1", [0, 1], "N")), "consecutive_nights", "E1", days(-1, 1), 3, 2)


def test_max_days_per_week() -> None:
    p = problem(limits=Limits(max_days_per_week=5), days=14)
    v = only(p, *works("E1", range(0, 6)), *works("E1", range(7, 12)))
    check(v, "days_per_week", "E1", days(0, 6), 6, 5)
    assert violations(p, *works("E1", range(0, 5)), *works("E1", range(9, 14))) == []


def test_max_days_per_week_counts_previous_days_of_the_week() -> None:
    wednesday = date(2026, 12, 2)
    prev = (("E1", -2, "E"), ("E1", -1, "E"), ("E1", -3, "E"))  # Sun before, Mon, Tue
    p = problem(limits=Limits(max_days_per_week=4), start=wednesday, previous=prev)
    v = only(p, *works("E1", [0, 1, 2]))  # Wed-Fri
    check(v, "days_per_week", "E1", days(-2, 4, wednesday), 5, 4)
    assert violations(p, *works("E1", [0, 1])) == []


def test_minutes_over_the_horizon() -> None:
    p = problem(limits=Limits(max_minutes=900))
    check(only(p, *works("E1", [0, 2, 4])), "minutes", "E1", days(0, 6), 1350, 900)
    assert violations(p, *works("E1", [0, 2])) == []


def test_min_minutes_with_absence_credit() -> None:
    limits = Limits(min_minutes=1800, absence_credit_minutes=450)
    reqs = (Request(employee_id="E1", day=0, kind="unavailable"),)
    p = problem(limits=limits, requests=reqs, employees=staff(1, limits=limits))
    check(only(p, *works("E1", [1, 2])), "minutes", "E1", days(0, 6), 900, 1350)
    assert violations(p, *works("E1", [1, 2, 3])) == []
    # a credit that wipes the minimum out leaves no minimum at all
    limits = Limits(min_minutes=400, absence_credit_minutes=450)
    p = problem(limits=limits, requests=reqs, employees=staff(1, limits=limits))
    assert violations(p) == []


def test_max_minutes_per_week_counts_previous() -> None:
    wednesday = date(2026, 12, 2)
    limits = Limits(max_minutes_per_week=1800)
    p = problem(limits=limits, start=wednesday, previous=(("E1", -1, "E"), ("E1", -2, "E")))
    v = only(p, *works("E1", [0, 1, 2]))
    check(v, "minutes_per_week", "E1", days(-2, 4, wednesday), 2250, 1800)
    assert violations(p, *works("E1", [0, 1])) == []


def test_min_minutes_per_week_scaled_and_credited() -> None:
    wednesday = date(2026, 12, 2)  # first week has 5 horizon days
    limits = Limits(min_minutes_per_week=2100, absence_credit_minutes=300)
    reqs = (Request(employee_id="E1", day=1, kind="unavailable"),)
    p = problem(
        limits=limits, start=wednesday, days=12, requests=reqs, employees=staff(1, limits=limits)
    )
    # week 1: 2100 * 5 // 7 = 1500, minus 300 -> 1200; week 2: 2100
    rows = [*works("E1", [0, 2]), *works("E1", range(5, 10))]
    check(only(p, *rows), "minutes_per_week", "E1", days(0, 4, wednesday), 900, 1200)
    assert violations(p, *works("E1", [0, 2, 3]), *works("E1", range(5, 10))) == []


def test_max_weekends() -> None:
    p = problem(limits=Limits(max_weekends=1), days=14)
    v = only(p, ("E1", 5, "E"), ("E1", 13, "E"))
    check(v, "weekends", "E1", (day(5), day(13)), 2, 1)
    assert violations(p, ("E1", 5, "E"), ("E1", 6, "E"), ("E2", 13, "E")) == []


def test_weekend_straddling_a_sunday_start() -> None:
    sunday = date(2026, 12, 6)
    p = problem(limits=Limits(max_weekends=1), start=sunday, days=14, previous=(("E1", -1, "E"),))
    # previous Saturday makes the first weekend worked even with Sunday off
    v = only(p, ("E1", 6, "E"))  # Saturday 2026-12-12
    check(v, "weekends", "E1", (day(-1, sunday), day(6, sunday)), 2, 1)
    assert violations(p, ("E1", 0, "E")) == []  # Sat + Sun: one weekend


def test_mentoring_ratio() -> None:
    rules = Rules(
        mentoring=Mentoring(
            mentee_tiers=("junior",), mentor_tiers=("senior",), max_juniors_per_mentor=2
        )
    )
    team = staff(3, tier="junior") + [
        Employee(id="S1", tier="senior", contract="ft", limits=Limits())
    ]
    p = problem(rules=rules, employees=team)
    v = only(p, ("E1", 2, "E"), ("E2", 2, "E"), ("E3", 2, "E"), ("S1", 2, "E"))
    check(v, "mentoring", None, (day(2),), 3, 2)
    assert v.message == (
        "2026-12-02 06:00-14:00: 3 juniors on duty with 1 mentor; at most 2 per mentor"
    )
    assert violations(p, ("E1", 2, "E"), ("E2", 2, "E"), ("S1", 2, "E"), ("E3", 2, "L")) != []
    ok = [("E1", 2, "E"), ("E2", 2, "E"), ("S1", 2, "E"), ("E3", 3, "E"), ("S1", 3, "E")]
    assert violations(p, *ok) == []


def test_mentoring_without_ratio_and_previous_night() -> None:
    rules = Rules(mentoring=Mentoring(mentee_tiers=("junior",), mentor_tiers=("senior",)))
    team = staff(2, tier="junior") + [
        Employee(id="S1", tier="senior", contract="ft", limits=Limits())
    ]
    p = problem(rules=rules, employees=team, previous=(("E1", -1, "N"),))
    # E1's previous night runs until 06:00 on day 0; S1 only arrives at 06:00
    v = only(p, ("S1", 0, "E"))
    check(v, "mentoring", None, (day(0),), 1, 0)
    assert v.message == (
        "2026-11-30 00:00-06:00: 1 junior on duty with 0 mentors; at least one mentor needed"
    )
    # one mentor is enough for any number of juniors
    assert (
        violations(
            problem(rules=rules, employees=team), ("E1", 1, "E"), ("E2", 1, "E"), ("S1", 1, "E")
        )
        == []
    )


def test_mentoring_stretches_split_by_others_are_reported_once() -> None:
    rules = Rules(mentoring=Mentoring(mentee_tiers=("junior",), mentor_tiers=("senior",)))
    people = team(1, 1, 0)
    p = problem(rules=rules, employees=people)
    # M0 (neither mentee nor mentor) adds boundaries at 10:00 and 11:00
    v = only(p, ("J0", 1, "E"), ("M0", 1, "H"))
    check(v, "mentoring", None, (day(1),), 1, 0)
    assert v.message.startswith("2026-12-01 06:00-14:00: ")
    # a night across midnight: the dates of both days; the stretch ends at the horizon's end
    v = only(p, ("J0", 6, "N"))
    check(v, "mentoring", None, (day(6),), 1, 0)
    assert v.message.startswith("2026-12-06 22:00-00:00: ")
    v = only(p, ("J0", 5, "N"))
    check(v, "mentoring", None, (day(5), day(6)), 1, 0)
    assert v.message.startswith("2026-12-05 22:00 to 2026-12-06 06:00: ")


# --------------------------------------------------------------------------- coverage


def interval(day_index: int, hour: int) -> int:
    return day_index * 24 + hour


def demand(hour_index: int, **per_tier: int | tuple[int, int]) -> list[IntervalRequirement]:
    rows = []
    for tier, value in per_tier.items():
        required, floor = value if isinstance(value, tuple) else (value, 0)
        rows.append(
            IntervalRequirement(
                interval=hour_index, tier=tier, required=required, min_required=floor
            )
        )
    return rows


def team(juniors: int, mids: int, seniors: int) -> list[Employee]:
    people = []
    for tier, n in (("junior", juniors), ("mid", mids), ("senior", seniors)):
        people += [
            Employee(id=f"{tier[0].upper()}{i}", tier=tier, contract="ft", limits=Limits())
            for i in range(n)
        ]
    return people


def test_nested_tier_example_of_formats() -> None:
    people = team(6, 3, 2)
    p = problem(employees=people, interval_demand=tuple(demand(10, junior=5, mid=3, senior=2)))
    on = [(e.id, 0, "H") for e in people if e.tier != "senior" and e.id != "J5"]  # 5 + 3 + 0
    ev = evaluate(p, roster(*on))
    assert ev.is_feasible()
    assert ev.penalties["coverage"] == 100 * 2  # unmet 2, surplus 8 - (10 - 2) = 0
    start = datetime(2026, 11, 30, 10, 0)
    assert ev.coverage == (
        CoverageRow(start=start, tier="junior", required=10, on_duty=8, shortfall=2, surplus=0),
        CoverageRow(start=start, tier="mid", required=5, on_duty=3, shortfall=2, surplus=0),
        CoverageRow(start=start, tier="senior", required=2, on_duty=0, shortfall=2, surplus=0),
    )
    assert ev.coverage[0].as_dict() == {
        "start": "2026-11-30T10:00",
        "tier": "junior",
        "required": 10,
        "on_duty": 8,
        "shortfall": 2,
        "surplus": 0,
    }


def test_nested_tier_surplus_and_intervals_without_demand() -> None:
    people = team(6, 3, 2)
    p = problem(employees=people, interval_demand=tuple(demand(10, junior=5, mid=3, senior=2)))
    ev = evaluate(p, roster(*[(e.id, 0, "H") for e in people]))  # 6 + 3 + 2 on duty
    assert ev.penalties["coverage"] == 1  # one surplus junior
    assert [(r.tier, r.on_duty, r.surplus) for r in ev.coverage] == [
        ("junior", 11, 1),
        ("mid", 5, 0),
        ("senior", 2, 0),
    ]
    # 3 juniors + 3 mids + 2 seniors: S>= 8/5/2 against D>= 10/5/2
    ev = evaluate(
        p,
        roster(
            *[(e.id, 0, "H") for e in people if e.tier != "junior"],
            ("J0", 0, "H"),
            ("J1", 0, "H"),
            ("J2", 0, "H"),
        ),
    )
    assert ev.penalties["coverage"] == 100 * 2  # S>=junior 8 vs 10
    # an eight-hour shift: one hour on the demand, seven hours of pure surplus
    ev = evaluate(p, roster(("S0", 0, "E")))
    assert ev.penalties["coverage"] == 100 * 9 + 1 * 7
    assert len(ev.coverage) == 3  # rows only for intervals with demand


def test_previous_night_counts_on_duty_in_day_zero() -> None:
    people = team(0, 2, 0)
    p = problem(
        employees=people,
        interval_demand=tuple(demand(interval(0, 3), mid=2)),
        previous=(("M0", -1, "N"),),
    )
    ev = evaluate(p, roster())
    assert [(r.tier, r.required, r.on_duty) for r in ev.coverage] == [
        ("junior", 2, 1),
        ("mid", 2, 1),
        ("senior", 0, 0),
    ]
    assert ev.penalties["coverage"] == 100 * 1 + 5  # 00:00-06:00: 5 other intervals surplus


def test_interval_floor() -> None:
    people = team(2, 1, 0)
    p = problem(employees=people, interval_demand=tuple(demand(10, junior=(2, 1), mid=(1, 1))))
    ev = evaluate(p, roster(("J0", 0, "H"), ("J1", 0, "H")))
    assert len(ev.violations) == 1 and not ev.is_feasible()
    check(ev.violations[0], "coverage", None, (day(0),), 0, 1)
    assert ev.violations[0].message.startswith("2026-11-30 10:00-11:00: 0 on duty of tier mid")
    assert ev.penalties["coverage"] == 100 * 1
    assert evaluate(p, roster(("J0", 0, "H"), ("M0", 0, "H"))).violations == ()


def test_slot_demand_with_row_weights_and_tiers() -> None:
    people = team(2, 1, 1)
    slots = (
        SlotRequirement(day=0, shift_id="E", required=2),  # model weights 100 / 1
        SlotRequirement(day=0, shift_id="E", required=1, tier="senior", under_weight=7),
        SlotRequirement(day=1, shift_id="L", required=1, over_weight=3, min_required=1),
    )
    p = problem(employees=people, slot_demand=slots)
    rows = [("J0", 0, "E"), ("J1", 0, "E"), ("M0", 0, "E"), ("J0", 1, "L"), ("S0", 1, "L")]
    ev = evaluate(p, roster(*rows))
    # row 1: 3 assigned -> surplus 1 x 1; row 2: no senior -> 1 x 7; row 3: 2 -> surplus 1 x 3
    assert ev.penalties["coverage"] == 1 + 7 + 3
    assert [
        (r.date, r.shift_id, r.tier, r.required, r.assigned, r.shortfall, r.surplus)
        for r in ev.coverage
    ] == [
        (day(0), "E", None, 2, 3, 0, 1),
        (day(0), "E", "senior", 1, 0, 1, 0),
        (day(1), "L", None, 1, 2, 0, 1),
    ]
    assert ev.is_feasible()
    ev = evaluate(p, roster(*rows[:3]))
    check(only(p, *rows[:3]), "coverage", None, (day(1),), 0, 1)
    assert ev.penalties["coverage"] == 1 + 7 + 100
    assert ev.coverage[0].as_dict()["date"] == "2026-11-30"


def test_no_demand_at_all() -> None:
    ev = evaluate(problem(), roster(("E1", 0, "E")))
    assert ev.penalties["coverage"] == 0 and ev.coverage == ()


# --------------------------------------------------------------------------- soft rules


def test_requests_on_and_off() -> None:
    reqs = (
        Request(employee_id="E1", day=0, kind="on", weight=2),  # any shift
        Request(employee_id="E1", day=1, kind="on", shift_id="L", weight=3),
        Request(employee_id="E2", day=0, kind="off", weight=5),  # whole day
        Request(employee_id="E2", day=1, kind="off", shift_id="N", weight=7),
    )
    p = problem(requests=reqs, weights=Weights(requests=10))
    granted = [("E1", 0, "N"), ("E1", 1, "L"), ("E2", 1, "E")]
    assert evaluate(p, roster(*granted)).penalties["requests"] == 0
    refused = [("E1", 1, "E"), ("E2", 0, "E"), ("E2", 1, "N")]
    ev = evaluate(p, roster(*refused))
    assert ev.penalties["requests"] == 10 * (2 + 3 + 5 + 7)
    assert ev.objective == ev.penalties["requests"] and ev.is_feasible()


def test_cost_rounds_each_shift_half_to_even() -> None:
    people = [
        Employee(id="A", tier="mid", contract="ft", hourly_cost=0.6, limits=Limits()),  # 4.5 -> 4
        Employee(id="B", tier="mid", contract="ft", hourly_cost=0.2, limits=Limits()),  # 1.5 -> 2
        Employee(id="C", tier="mid", contract="ft", hourly_cost=25.13, limits=Limits()),
    ]
    p = problem(employees=people, weights=Weights(cost=3), previous=(("C", -1, "E"),))
    ev = evaluate(p, roster(("A", 0, "E"), ("B", 0, "E"), ("C", 0, "E"), ("C", 1, "H")))
    # C: 25.13 x 7.5 = 188.475 -> 188; 25.13 x 1 = 25.13 -> 25; previous.csv is not costed
    assert ev.penalties["cost"] == 3 * (4 + 2 + 188 + 25)
    # exact decimals: in floats 2.2 x 7.5 = 16.500000000000004 and 8.2 x 7.5 = 61.49999999999999
    people = [
        Employee(id="A", tier="mid", contract="ft", hourly_cost=2.2, limits=Limits()),
        Employee(id="B", tier="mid", contract="ft", hourly_cost=8.2, limits=Limits()),
    ]
    p = problem(employees=people, weights=Weights(cost=1))
    assert evaluate(p, roster(("A", 0, "E"), ("B", 0, "E"))).penalties["cost"] == 16 + 62


def test_fairness_spreads_with_history() -> None:
    people = staff(3) + [Employee(id="P1", tier="mid", contract="pt", limits=Limits())]
    history = (
        HistoryRow(
            employee_id="E1", period_start=date(2026, 11, 2), nights=1, weekends=2, minutes=600
        ),
        HistoryRow(employee_id="E1", period_start=date(2026, 10, 5), nights=1),
        HistoryRow(employee_id="E3", period_start=date(2026, 11, 2), minutes=90),
    )
    weights = Weights(fairness_nights=10, fairness_weekends=100, fairness_minutes=1000)
    p = problem(employees=people, history=history, weights=weights)
    rows = [("E1", 0, "N"), ("E2", 5, "E"), ("E2", 6, "E"), ("P1", 0, "N"), ("P1", 5, "N")]
    ev = evaluate(p, roster(*rows))
    # nights 3/0/0, weekends 2/1/0, minutes 1050/900/90 -> spreads 3, 2, 960 min = 16 h
    assert [(f.employee_id, f.nights, f.weekends, f.minutes) for f in ev.fairness] == [
        ("E1", 3, 2, 1050),
        ("E2", 0, 1, 900),
        ("E3", 0, 0, 90),
        ("P1", 2, 1, 900),
    ]
    assert ev.penalties["fairness"] == 10 * 3 + 100 * 2 + 1000 * 16
    # 59 minutes of spread costs nothing
    p = problem(
        employees=staff(2),
        weights=weights,
        history=(HistoryRow(employee_id="E1", period_start=MONDAY, minutes=59),),
    )
    assert evaluate(p, roster()).penalties["fairness"] == 0


# --------------------------------------------------------------------------- robustness


def test_broken_roster_still_gets_coverage_and_soft_figures() -> None:
    people = team(1, 1, 0)
    p = problem(
        employees=people,
        interval_demand=tuple(demand(10, junior=2)),
        weights=Weights(requests=1),
        requests=(Request(employee_id="J0", day=0, kind="off"),),
    )
    ev = evaluate(p, roster(("J0", 0, "H"), ("J0", 0, "E"), ("M0", 5, "W")))
    assert [v.rule for v in ev.violations] == ["one_shift_per_day", "shift_types"]
    assert not ev.is_feasible()
    # J0 is one person on duty at 10:00 though two rows cover it
    assert ev.coverage[0].on_duty == 1
    assert ev.penalties["coverage"] == 100 * 1 + 7 + 8  # 06:00-14:00 less 10:00; M0's W
    assert ev.penalties["requests"] == 1
    assert ev.objective == sum(ev.penalties.values())


@pytest.mark.parametrize("family", FAMILIES)
def test_every_family_is_a_key(family: str) -> None:
    assert family in evaluate(problem(), roster()).penalties
