from rostering.domain import Request
from tests.builders import make_problem, patterns_of, run


def test_fixed_shift_is_worked_at_both_ends() -> None:
    reqs = (
        Request(employee_id="P1", day=0, kind="fixed", shift_id="L"),
        Request(employee_id="P1", day=6, kind="fixed"),
    )
    p = make_problem(1, requests=reqs)
    result = run(p)
    got = patterns_of(p, result)["P1"]
    assert got[0] == "L" and got[6] != "."
    assert got[1:6] == "....."  # nothing else: no demand, over-cover costs
