from tests.builders import feasible, make_problem


def test_max_shifts_per_type() -> None:
    p = make_problem({"A": {"max_shifts": {"N": 2}}})
    assert feasible(p, {"A": "N.N...."})
    assert not feasible(p, {"A": "N.N.N.."})


def test_zero_forbids_the_type_and_shift_days_are_respected() -> None:
    p = make_problem({"A": {"max_shifts": {"N": 0}}})
    assert not feasible(p, {"A": "N......"})
    from tests.builders import SHIFTS

    weekday_only = SHIFTS[0].model_copy(update={"weekdays": frozenset(range(5))})
    p = make_problem(1, shifts=(weekday_only, *SHIFTS[1:]))
    assert feasible(p, {"P1": "EEEEE.."})
    assert not feasible(p, {"P1": ".....E."})
