from datetime import date

from rostering.domain import Request
from rostering.evaluate import evaluate
from tests.builders import feasible, make_problem, roster


def test_weekly_maximum_and_minimum() -> None:
    spec = {"A": {"max_minutes_per_week": 4 * 480, "min_minutes_per_week": 2 * 480}}
    p = make_problem(spec, days=14)
    assert feasible(p, {"A": "EEEE...EE....."})
    assert not feasible(p, {"A": "EEEEE..EE....."})
    assert not feasible(p, {"A": "E......EE....."})


def test_partial_week_minimum_is_scaled_and_maximum_counts_previous() -> None:
    friday = date(2026, 12, 4)  # 3 horizon days in the first week
    spec = {"A": {"min_minutes_per_week": 7 * 480, "max_minutes_per_week": 5 * 480}}
    p = make_problem(spec, days=3, start=friday)
    assert feasible(p, {"A": "EEE"})  # minimum 7*480*3//7 = 3 shifts
    assert not feasible(p, {"A": "EE."})
    p = make_problem(spec, days=3, start=friday, previous={"A": "EEE"})
    assert not feasible(p, {"A": "EEE"})  # 3 previous + 3 > 5


def test_a_mid_week_start_holds_the_whole_week_with_previous_days() -> None:
    # Monday and Tuesday in previous.csv, the period from Wednesday: both limits count them
    # and the minimum is not scaled (previous.csv covers the week's first two days)
    wednesday = date(2026, 12, 2)
    spec = {"A": {"min_minutes_per_week": 2400, "max_minutes_per_week": 2400}}
    p = make_problem(spec, days=5, start=wednesday, previous={"A": "EE"})
    assert feasible(p, {"A": "EEE.."})
    assert not feasible(p, {"A": "EE..."})
    assert not feasible(p, {"A": "EEEE."})
    ev = evaluate(p, roster({"A": "EEE.."}))
    assert ev.violations == ()
    # without previous.csv the two days are not covered: the minimum is scaled by 5/7
    alone = make_problem(spec, days=5, start=wednesday)
    assert feasible(alone, {"A": "EEEE."})  # 32 h >= 40 h x 5 // 7 = 28h34
    assert not feasible(alone, {"A": "EEE.."})


def test_unavailable_previous_days_lower_the_weekly_minimum() -> None:
    wednesday = date(2026, 12, 2)
    spec = {"A": {"min_minutes_per_week": 2400, "absence_credit_minutes": 480}}
    away = (Request(employee_id="A", day=-2, kind="unavailable"),)
    p = make_problem(spec, days=5, start=wednesday, previous={"A": ".E"})
    p = p.model_copy(update={"previous_absences": away})
    assert feasible(p, {"A": "EEE.."})  # 8 h before + 24 h >= 40 h - 8 h
    assert not feasible(p, {"A": "EE..."})
    (violation,) = evaluate(p, roster({"A": "EE..."})).violations
    assert violation.message == (
        "A is paid 24h00 in the week 2026-11-30 to 2026-12-06; minimum 32h00"
    )
