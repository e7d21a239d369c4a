from rostering.domain import Rules
from tests.builders import feasible, make_problem

RULES = Rules(forbidden_successions=frozenset({("L", "E")}))


def test_forbidden_succession_inside_and_at_the_end() -> None:
    p = make_problem(1, rules=RULES)
    assert not feasible(p, {"P1": "LE....."})
    assert not feasible(p, {"P1": ".....LE"})
    assert feasible(p, {"P1": "EL....."})
    assert feasible(p, {"P1": "L.E...."})


def test_forbidden_succession_from_previous() -> None:
    p = make_problem(1, rules=RULES, previous={"P1": "L"})
    assert not feasible(p, {"P1": "E......"})
    assert feasible(p, {"P1": "L......"})
