import pytest

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


@pytest.mark.parametrize("kind", ["unavailable", "leave"])
def test_a_run_cut_by_leave_is_exempt_from_the_minimum(kind: str) -> None:
    """A day of leave (someone off sick after the roster was published) cuts a run short:
    the absence, not the plan, made it short. A short run away from it is not, and an
    unavailable day is planned around like the benchmark literature's days off."""
    from rostering.domain import Request
    from rostering.evaluate import evaluate
    from tests.builders import roster

    away = (Request(employee_id="A", day=3, kind=kind),)
    p = make_problem({"A": {"min_consecutive_days": 3}}, previous={"A": "....."}, requests=away)
    exempt = kind == "leave"
    assert feasible(p, {"A": "..E...."}) == exempt  # ends next to the absence
    assert feasible(p, {"A": "....E.."}) == exempt  # starts next to it
    assert not feasible(p, {"A": "E......"})  # away from it: still too short
    assert not feasible(p, {"A": ".E....."})  # a day off between the run and the absence
    judged = evaluate(p, roster({"A": "..E...."}))
    cut = [v for v in judged.violations if v.rule == "consecutive_days"]
    assert (not cut) == exempt
    judged = evaluate(p, roster({"A": ".E....."}))
    assert [v.rule for v in judged.violations] == ["consecutive_days"]


def test_a_run_from_before_the_start_cut_by_leave_on_day_0_is_exempt() -> None:
    from rostering.domain import Request

    away = (Request(employee_id="A", day=0, kind="leave"),)
    p = make_problem({"A": {"min_consecutive_days": 3}}, previous={"A": "...EE"}, requests=away)
    assert feasible(p, {"A": "......."})  # the previous run of 2 ends at the leave
