"""`leave`: a paid whole-day absence — hard (no shift that day) and credited
absence_credit_minutes toward every minute limit, minimum and maximum, weekly and horizon."""

from datetime import date

from rostering.domain import Request
from rostering.evaluate import evaluate
from tests.builders import feasible, make_problem, roster, run

CREDIT = 480


def leave(eid: str, *days: int) -> tuple[Request, ...]:
    return tuple(Request(employee_id=eid, day=d, kind="leave") for d in days)


def test_no_shift_on_a_leave_day_first_and_last() -> None:
    for day in (0, 6):
        fixed = Request(employee_id="P1", day=day, kind="fixed")
        p = make_problem(1, requests=(*leave("P1", day), fixed))
        assert run(p).status == "INFEASIBLE"
    p = make_problem(1, requests=leave("P1", 3))
    assert feasible(p, {"P1": "EEE.LLL"})
    assert not feasible(p, {"P1": "...E..."})


def test_evaluate_names_work_on_a_leave_day() -> None:
    p = make_problem(1, requests=leave("P1", 6))
    ev = evaluate(p, roster({"P1": "......N"}))
    assert [(v.rule, v.message) for v in ev.violations] == [
        ("leave", "P1 works N on 2026-12-06 while on leave")
    ]


def test_three_days_of_leave_and_32_hours_break_a_40_hour_week() -> None:
    # the issue: a person with three days of leave was rostered 32 h on top of them
    spec = {"A": {"max_minutes_per_week": 2400, "absence_credit_minutes": CREDIT}}
    p = make_problem(spec, requests=leave("A", 0, 1, 2))
    assert not feasible(p, {"A": "...EEEE"})
    assert not feasible(p, {"A": "...EEE."})
    assert feasible(p, {"A": "...EE.."})  # 24 h of leave + 16 h
    ev = evaluate(p, roster({"A": "...EEEE"}))
    assert [v.message for v in ev.violations] == [
        "A is paid 56h00 (24h00 of it leave) in the week 2026-11-30 to 2026-12-06; maximum 40h00"
    ]
    assert ev.violations[0].value == 56 * 60


def test_leave_counts_toward_minimums_and_unavailable_only_lowers_them() -> None:
    spec = {
        "A": {"min_minutes_per_week": 2400, "absence_credit_minutes": CREDIT},
        "B": {"min_minutes_per_week": 2400, "max_minutes_per_week": 2400,
              "absence_credit_minutes": CREDIT},
    }  # fmt: skip
    away = tuple(Request(employee_id="B", day=d, kind="unavailable") for d in (0, 1, 2))
    p = make_problem(spec, requests=leave("A", 0, 1, 2) + away)
    assert feasible(p, {"A": "...EE..", "B": "...EE.."})
    assert not feasible(p, {"A": "...E...", "B": "...EE.."})
    # unavailable is not paid: B may still work 40 h beside it
    assert feasible(p, {"A": "...EE..", "B": "...EEEE"})


def test_leave_counts_toward_horizon_totals() -> None:
    spec = {"A": {"max_minutes": 3 * 480, "min_minutes": 3 * 480, "absence_credit_minutes": CREDIT}}
    p = make_problem(spec, requests=leave("A", 0, 1))
    assert feasible(p, {"A": "..E...."})
    assert not feasible(p, {"A": "..EE..."})
    assert not feasible(p, {"A": "......."})
    ev = evaluate(p, roster({"A": "..EE..."}))
    assert [v.message for v in ev.violations] == [
        "A is paid 32h00 (16h00 of it leave) over 2026-11-30 to 2026-12-06; maximum 24h00"
    ]


def test_leave_on_previous_days_counts_toward_that_week() -> None:
    wednesday = date(2026, 12, 2)
    spec = {"A": {"max_minutes_per_week": 2400, "min_minutes_per_week": 2400,
                  "absence_credit_minutes": CREDIT}}  # fmt: skip
    p = make_problem(spec, days=5, start=wednesday, previous={"A": ".."})
    before = (Request(employee_id="A", day=-2, kind="leave"),
              Request(employee_id="A", day=-1, kind="leave"))  # fmt: skip
    p = p.model_copy(update={"previous_absences": before})
    assert feasible(p, {"A": "EEE.."})  # 16 h of leave + 24 h
    assert not feasible(p, {"A": "EEEE."})
    assert not feasible(p, {"A": "EE..."})
