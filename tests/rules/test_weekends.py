from datetime import date

from tests.builders import feasible, make_problem


def test_max_weekends() -> None:
    p = make_problem({"A": {"max_weekends": 1}}, days=14)
    assert feasible(p, {"A": ".....EE......."})
    assert not feasible(p, {"A": ".....E......E."})
    assert not feasible(p, {"A": "......E.....E."})


def test_weekend_straddling_the_start_counts_previous_saturday() -> None:
    sunday = date(2026, 12, 6)
    p = make_problem({"A": {"max_weekends": 1}}, days=8, start=sunday, previous={"A": "E"})
    assert not feasible(p, {"A": "......E."})  # the first weekend is already worked
    assert feasible(p, {"A": "E......."})
