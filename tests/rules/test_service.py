"""`service`: the price of expected contacts not answered within target (forecast demand)."""

from __future__ import annotations

import pytest

from rostering.demand import with_requirements
from rostering.domain import ForecastRow, Problem, Service, Weights
from rostering.evaluate import evaluate
from rostering.staffing import service_level_c
from tests.builders import make_problem, run

ONLY_SERVICE = Weights(under_cover=0, over_cover=0, service=100)


def forecast_problem(
    staff: int, rows: list[tuple[int, int]], previous: dict | None = None
) -> Problem:
    """Mid-tier people; `rows` of (hour, contacts) of mid contacts of 360 s; 80 % in 30 s."""
    p = make_problem(staff, days=2, weights=ONLY_SERVICE, previous=previous)
    service = Service(answer_within_seconds=30, service_level=0.8)
    model = p.model.model_copy(update={"service": service, "aht_seconds": {"mid": 360}})
    forecast = tuple(
        ForecastRow(interval=h, tier="mid", contacts=c, aht_seconds=360) for h, c in rows
    )
    return with_requirements(
        p.model_copy(update={"model": model, "forecast": forecast, "slot_demand": None})
    )


@pytest.mark.parametrize(("working", "expected"), [(1, 1000), (2, None), (0, 1000)])
def test_the_price_is_n_times_the_contacts_not_answered_in_time(
    working: int, expected: int | None
) -> None:
    """10 contacts of 360 s at 07:00 (load 1): one person on duty answers none in time under
    Erlang C (agents <= load), two answer SL(2) of them."""
    problem = forecast_problem(2, [(7, 10)])
    patterns = {f"P{i + 1}": ("E." if i < working else "..") for i in range(2)}
    result = run(problem, patterns)
    want = (
        expected
        if expected is not None
        else round(100 * 10 * (1 - service_level_c(2, 1.0, 360, 30)))
    )
    assert result.penalties["service"] == want
    assert result.roster is not None
    assert evaluate(problem, result.roster).penalties["service"] == want


def test_the_solver_puts_people_where_contacts_would_wait_at_both_ends_of_the_horizon() -> None:
    """Contacts at 00:00 on day 0 (a night from the day before can take them) and at 23:00 on
    the last day: the cheapest roster covers both; its price is evaluate's."""
    problem = forecast_problem(3, [(0, 4), (47, 4)], previous={"P1": "N"})
    result = run(problem)
    assert result.roster is not None
    judged = evaluate(problem, result.roster)
    assert judged.penalties["service"] == result.penalties["service"] == result.objective
    assert result.objective < 2 * 100 * 4  # both ends served, not both left unanswered
