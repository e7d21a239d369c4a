from rostering.domain import Rules
from tests.builders import SHIFTS, feasible, make_problem

REST = Rules(min_rest_minutes=660)


def test_rest_between_days() -> None:
    p = make_problem(1, rules=REST)
    assert not feasible(p, {"P1": "LE....."})  # 22:00 -> 06:00: 8 h
    assert feasible(p, {"P1": "EL....."})  # 14:00 -> 14:00: 24 h
    assert not feasible(p, {"P1": ".....NE"})  # night ends 06:00 on the last day, E starts then


def test_rest_over_midnight_from_previous() -> None:
    p = make_problem(1, rules=REST, previous={"P1": "N"})
    assert not feasible(p, {"P1": "E......"})  # N ends 06:00 on day 0
    assert feasible(p, {"P1": "N......"})  # 22:00 -> 22:00


def test_zero_rest_still_forbids_overlap() -> None:
    long_night = SHIFTS[2].model_copy(update={"minutes": 720, "paid_minutes": 720})
    p = make_problem(1, shifts=(SHIFTS[0], SHIFTS[1], long_night))
    assert feasible(make_problem(1), {"P1": "NE....."})  # 22:00-06:00 then 06:00: no gap needed
    assert not feasible(p, {"P1": "NE....."})  # 22:00-10:00 overlaps 06:00-14:00
