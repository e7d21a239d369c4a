"""`service`: the price of expected contacts not answered within target (forecast demand)."""

from __future__ import annotations

import pytest

from rostering.demand import with_requirements
from rostering.domain import ForecastRow, Problem, Service, Weights
from rostering.evaluate import evaluate
from rostering.staffing import ServiceTargets, service_level_c
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


@pytest.mark.parametrize("working", [0, 1, 2])
def test_the_price_is_n_times_the_contacts_not_answered_in_time(working: int) -> None:
    """10 contacts of 360 s at 07:00 (load 1): Erlang C answers none in time with one person
    on duty (agents <= load) and SL(2) of them with two. The price is convex: one person sits
    on the line from nobody (all 10 missed) to two, rounded up, not on Erlang's flat 1000."""
    problem = forecast_problem(2, [(7, 10)])
    patterns = {f"P{i + 1}": ("E." if i < working else "..") for i in range(2)}
    result = run(problem, patterns)
    two = round(100 * 10 * (1 - service_level_c(2, 1.0, 360, 30)))
    want = {0: 1000, 1: -(-(1000 + two) // 2), 2: two}[working]
    assert 1000 > want > two if working == 1 else True
    assert result.penalties["service"] == want
    assert result.roster is not None
    assert evaluate(problem, result.roster).penalties["service"] == want


def test_the_price_is_the_rounded_up_convex_envelope_of_the_contacts_missed() -> None:
    """Flat at the top (Erlang C below the load), then falling ever less: the envelope runs
    straight from nobody to where its line touches the curve (here 4 people: 3 lie above the
    line from 0 to 4, at 32.5)."""
    from rostering.model.price import convex_price

    assert convex_price((100, 100, 100, 40, 10, 0)) == (100, 78, 55, 33, 10, 0)
    assert convex_price((9, 4, 1, 0)) == (9, 4, 1, 0)  # convex already
    assert convex_price((10, 10, 0)) == (10, 5, 0)
    assert convex_price((7, 7, 5)) == (7, 6, 5)
    assert convex_price((3,)) == (3,)


def test_the_solver_puts_people_where_contacts_would_wait_at_both_ends_of_the_horizon() -> None:
    """Contacts at 00:00 on day 0 (a night from the day before can take them) and at 23:00 on
    the last day: the cheapest roster covers both; its price is evaluate's."""
    problem = forecast_problem(3, [(0, 4), (47, 4)], previous={"P1": "N"})
    result = run(problem)
    assert result.roster is not None
    judged = evaluate(problem, result.roster)
    assert judged.penalties["service"] == result.penalties["service"] == result.objective
    assert result.objective < 2 * 100 * 4  # both ends served, not both left unanswered


@pytest.mark.parametrize("patience", [None, 120])
def test_evaluate_prices_every_head_count_as_the_model_does(patience: int | None) -> None:
    """Two independent computations of the convex price (model.price and evaluate) agree at
    every number of people on duty, low to high volume, Erlang C and A."""
    from rostering.evaluate import _convex_miss
    from rostering.model.price import service_tables

    problem = forecast_problem(
        12,
        [
            (h, c)
            for h, c in zip(
                range(6, 20), [1, 3, 7, 12, 20, 35, 60, 80, 41, 9, 5, 2, 30, 15], strict=True
            )
        ],
    )
    service = problem.model.service.model_copy(update={"patience_seconds": patience})
    problem = problem.model_copy(
        update={"model": problem.model.model_copy(update={"service": service})}
    )
    targets = ServiceTargets(**service.model_dump(exclude={"staffing"}))
    tables = service_tables(problem)
    assert len(tables) == 14
    for i, levels in tables.items():
        ((rank, prices),) = levels
        contacts = next(f.contacts for f in problem.forecast if f.interval == i)
        assert _convex_miss(100 * contacts, contacts, 360, 3600, targets, 12) == prices
