from datetime import date

from tests.builders import feasible, make_problem


def test_max_days_per_week() -> None:
    p = make_problem({"A": {"max_days_per_week": 5}}, days=14)
    assert feasible(p, {"A": "EEEEE..EEEEE.."})
    assert not feasible(p, {"A": "EEEEE.E......."})
    assert not feasible(p, {"A": ".......EEEEEE."})


def test_partial_week_counts_previous_days() -> None:
    wednesday = date(2026, 12, 2)
    p = make_problem({"A": {"max_days_per_week": 5}}, days=5, start=wednesday, previous={"A": "EE"})
    assert feasible(p, {"A": "EEE.."})
    assert not feasible(p, {"A": "EEEE."})
