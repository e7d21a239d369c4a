from tests.builders import feasible, make_problem


def test_min_days_off_middle_violated_edges_exempt() -> None:
    p = make_problem({"A": {"min_consecutive_days_off": 2}})
    assert not feasible(p, {"A": "EE.EEEE"})
    assert feasible(p, {"A": "EE..EEE"})
    assert feasible(p, {"A": ".EEEEEE"})  # touches day 0
    assert feasible(p, {"A": "EEEEEE."})  # touches the last day


def test_min_days_off_continues_from_previous() -> None:
    p = make_problem({"A": {"min_consecutive_days_off": 2}}, previous={"A": "EEE."})
    assert not feasible(p, {"A": "EEEEEEE"})  # the day off on day -1 would stay alone
    assert feasible(p, {"A": ".EEEEEE"})
