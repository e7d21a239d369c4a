from rostering.domain import Request, Weights
from tests.builders import make_problem, patterns_of, run


def test_on_and_off_requests_are_priced_by_their_weights() -> None:
    reqs = (
        Request(employee_id="P1", day=0, kind="on", shift_id="L", weight=5),
        Request(employee_id="P1", day=6, kind="on", weight=3),
        Request(employee_id="P1", day=3, kind="off", weight=2),
    )
    p = make_problem(1, requests=reqs, weights=Weights(requests=10, over_cover=0))
    result = run(p)
    got = patterns_of(p, result)["P1"]
    assert got[0] == "L" and got[6] != "." and got[3] == "."
    assert result.objective == 0
    refused = run(p, {"P1": "E..L..."})
    assert refused.penalties["requests"] == 10 * (5 + 3 + 2)


def test_off_request_for_one_shift_allows_another() -> None:
    reqs = (Request(employee_id="P1", day=2, kind="off", shift_id="N", weight=4),)
    p = make_problem(1, requests=reqs, weights=Weights(over_cover=0))
    assert run(p, {"P1": "..E...."}).objective == 0
    assert run(p, {"P1": "..N...."}).objective == 4
