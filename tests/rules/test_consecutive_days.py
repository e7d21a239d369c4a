from tests.builders import feasible, make_problem


def test_max_consecutive_days_violated_and_satisfied() -> None:
    p = make_problem({"A": {"max_consecutive_days": 3}})
    assert feasible(p, {"A": "EEE.EEE"})
    assert not feasible(p, {"A": "EEEE..."})


def test_max_consecutive_days_at_both_ends() -> None:
    p = make_problem({"A": {"max_consecutive_days": 3}})
    assert not feasible(p, {"A": "EEEE..."})
    assert not feasible(p, {"A": "...EEEE"})
    assert feasible(p, {"A": "EEE.EEE"})


def test_max_consecutive_days_continues_from_previous() -> None:
    p = make_problem({"A": {"max_consecutive_days": 3}}, previous={"A": "EE"})
    assert not feasible(p, {"A": "EE....."})
    assert feasible(p, {"A": "E......"})


def test_min_consecutive_days_middle_and_edges() -> None:
    p = make_problem({"A": {"min_consecutive_days": 3}})
    assert not feasible(p, {"A": "..EE..."})  # a 2-day run in the middle
    assert feasible(p, {"A": "E......"})  # touches day 0: exempt without previous
    assert feasible(p, {"A": "......E"})  # touches the last day: exempt
    assert feasible(p, {"A": "..EEE.."})


def test_min_consecutive_days_with_previous_applies_from_day_0() -> None:
    p = make_problem({"A": {"min_consecutive_days": 3}}, previous={"A": "....."})
    assert not feasible(p, {"A": "E......"})
    p = make_problem({"A": {"min_consecutive_days": 3}}, previous={"A": "...EE"})
    assert feasible(p, {"A": "E......"})  # previous 2 + 1 = 3
    assert not feasible(p, {"A": "......."})  # the previous run would end at 2 days
