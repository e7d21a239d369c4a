from rostering.domain import Mentoring
from tests.builders import feasible, make_problem

STAFF = {
    "J1": {"tier": "junior"},
    "J2": {"tier": "junior"},
    "J3": {"tier": "junior"},
    "M1": {"tier": "mid"},
}
RULE = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid", "senior"), max_juniors_per_mentor=2)


def test_junior_needs_a_mentor_on_duty() -> None:
    p = make_problem(STAFF, mentoring=RULE)
    assert not feasible(p, {"J1": "E......", "M1": "L......"})
    assert feasible(p, {"J1": "E......", "M1": "E......"})
    assert not feasible(p, {"J1": "......N", "M1": "......L"})  # last day, into the next


def test_ratio_per_mentor() -> None:
    p = make_problem(STAFF, mentoring=RULE)
    three = {"J1": "E......", "J2": "E......", "J3": "E......", "M1": "E......"}
    assert not feasible(p, three)
    assert feasible(p, {**three, "J3": "......."})


def test_previous_night_into_day_0_needs_a_mentor() -> None:
    p = make_problem(STAFF, mentoring=RULE, previous={"J1": "N", "M1": "."})
    assert not feasible(p, {"M1": "......."})
    assert not feasible(p, {"M1": "E......"})  # E starts at 06:00, when the night ends
