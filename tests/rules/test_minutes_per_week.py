from datetime import date

from tests.builders import feasible, make_problem


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
