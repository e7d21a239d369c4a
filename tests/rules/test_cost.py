from rostering.domain import Weights
from rostering.model.rules.cost import shift_cost
from tests.builders import make_problem, run


def test_shift_cost_rounds_half_to_even_exactly() -> None:
    assert shift_cost(15, 450) == 112  # 112.5 -> 112
    assert shift_cost(16.5, 60) == 16  # 16.5 -> 16 (exact decimal, not binary float)
    assert shift_cost(17.5, 60) == 18


def test_cost_weight_times_paid_hours() -> None:
    staff = {"A": {"hourly_cost": 20.0}, "B": {"hourly_cost": 30.0}}
    p = make_problem(staff, weights=Weights(cost=2, over_cover=0))
    result = run(p, {"A": "EE.....", "B": "E......"})
    assert result.objective == 2 * (2 * 160 + 240)
