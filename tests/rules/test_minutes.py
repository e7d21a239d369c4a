from rostering.domain import Request
from tests.builders import feasible, make_problem


def test_max_and_min_minutes_over_the_horizon() -> None:
    p = make_problem({"A": {"max_minutes": 3 * 480, "min_minutes": 2 * 480}})
    assert feasible(p, {"A": "EEE...."})
    assert feasible(p, {"A": "E.....E"})
    assert not feasible(p, {"A": "EEEE..."})
    assert not feasible(p, {"A": "......E"})


def test_absence_credit_lowers_the_minimum() -> None:
    away = (Request(employee_id="A", day=3, kind="unavailable"),)
    spec = {"A": {"min_minutes": 2 * 480, "absence_credit_minutes": 480}}
    assert feasible(make_problem(spec, requests=away), {"A": "E......"})
    assert not feasible(make_problem(spec), {"A": "E......"})
