from rostering.domain import Request
from tests.builders import make_problem, run


def test_unavailable_whole_day_and_single_shift() -> None:
    day = Request(employee_id="P1", day=0, kind="unavailable")
    want = Request(employee_id="P1", day=0, kind="fixed", shift_id="L")
    assert run(make_problem(1, requests=(day, want))).status == "INFEASIBLE"
    only_e = Request(employee_id="P1", day=0, kind="unavailable", shift_id="E")
    assert run(make_problem(1, requests=(only_e, want))).status == "OPTIMAL"
    last = Request(employee_id="P1", day=6, kind="unavailable")
    want_last = Request(employee_id="P1", day=6, kind="fixed")
    assert run(make_problem(1, requests=(last, want_last))).status == "INFEASIBLE"
