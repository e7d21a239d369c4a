from rostering.domain import Request
from tests.builders import make_problem, run


def test_two_fixed_shifts_on_one_day_are_impossible() -> None:
    both = tuple(Request(employee_id="P1", day=2, kind="fixed", shift_id=s) for s in ("E", "L"))
    assert run(make_problem(1, requests=both)).status == "INFEASIBLE"
    assert run(make_problem(1, requests=both[:1])).status == "OPTIMAL"
