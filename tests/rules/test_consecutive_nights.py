from tests.builders import feasible, make_problem


def test_max_consecutive_nights() -> None:
    p = make_problem({"A": {"max_consecutive_nights": 2}})
    assert not feasible(p, {"A": "NNN...."})
    assert not feasible(p, {"A": "....NNN"})
    assert feasible(p, {"A": "NN...NN"})
    assert feasible(p, {"A": "NNLNN.."})  # a late shift breaks the run of nights


def test_max_consecutive_nights_across_previous() -> None:
    p = make_problem({"A": {"max_consecutive_nights": 2}}, previous={"A": "NN"})
    assert not feasible(p, {"A": "N......"})
    assert feasible(p, {"A": ".N....."})
