"""The predicted service of a roster (rostering.service) against staffing.py's own figures."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from rostering.demand import staffing_table, with_requirements
from rostering.domain import ForecastRow, Problem, Roster, Service
from rostering.evaluate import CoverageRow, Evaluation, evaluate
from rostering.io.roster import read_roster
from rostering.pipeline import load
from rostering.service import service_of
from rostering.staffing import agents_on_phones, erlang_a, service_level_c
from tests.builders import HOTLINE, make_problem


def forecast_problem(tiers: tuple[str, ...], rows: list[ForecastRow], service: Service) -> Problem:
    base = make_problem(2, days=1, tiers=tiers)
    model = base.model.model_copy(
        update={"service": service, "aht_seconds": {t: 300 for t in tiers}}
    )
    problem = base.model_copy(update={"model": model, "forecast": tuple(rows), "slot_demand": None})
    return with_requirements(problem)


def evaluation_with(problem: Problem, on_duty: dict[tuple[int, str], int]) -> Evaluation:
    """An evaluation whose coverage rows say who is on duty (all that service_of reads)."""
    origin = datetime.combine(problem.start, datetime.min.time())
    rows = tuple(
        CoverageRow(start=origin + timedelta(hours=i), tier=t, required=0, on_duty=n,
                    shortfall=0, surplus=0)
        for (i, t), n in sorted(on_duty.items())
    )  # fmt: skip
    return Evaluation(violations=(), penalties={}, objective=0, coverage=rows)


@pytest.mark.parametrize("patience", [None, 90.0])
def test_one_tier_staffed_as_required_gives_staffing_figures_exactly(
    patience: float | None,
) -> None:
    rng = random.Random(7)
    rows = [
        ForecastRow(interval=i, tier="agent", contacts=round(rng.uniform(1, 400), 1),
                    aht_seconds=rng.choice([180, 300, 420]))
        for i in range(24)
    ]  # fmt: skip
    service = Service(answer_within_seconds=20, service_level=0.8, shrinkage=0.3,
                      patience_seconds=patience)  # fmt: skip
    problem = forecast_problem(("agent",), rows, service)
    table = staffing_table(problem)
    ev = evaluation_with(problem, {(r.interval, "agent"): r.staffing.required for r in table})
    predicted = service_of(problem, ev)
    assert predicted is not None and len(predicted.intervals) == 24
    for iv, r in zip(predicted.intervals, table, strict=True):
        ((_, level),) = iv.levels
        assert level.agents == r.staffing.agents  # floor(required x 0.7) undoes the ceiling
        assert level.service_level == r.staffing.service_level  # the same float, bit for bit
        assert iv.service_level == pytest.approx(r.staffing.service_level, rel=1e-15)
        if patience is None:
            assert iv.answer_rate is None
        else:
            assert iv.answer_rate == pytest.approx(1 - r.staffing.abandon_rate, rel=1e-15)
    assert predicted.horizon.intervals_below_target == 0
    weights = [r.contacts for r in table]
    expected = math.fsum(
        w * r.staffing.service_level for w, r in zip(weights, table, strict=True)
    ) / math.fsum(weights)
    assert predicted.horizon.service_level == pytest.approx(expected, rel=1e-12)


def test_one_person_fewer_falls_below_target() -> None:
    rows = [ForecastRow(interval=0, tier="agent", contacts=200, aht_seconds=300)]
    service = Service(answer_within_seconds=20, service_level=0.8)
    problem = forecast_problem(("agent",), rows, service)
    (r,) = staffing_table(problem)
    ev = evaluation_with(problem, {(0, "agent"): r.staffing.required - 1})
    predicted = service_of(problem, ev)
    assert predicted is not None
    assert predicted.intervals[0].service_level < 0.8
    assert predicted.horizon.intervals_below_target == 1
    assert predicted.intervals[0].service_level == service_level_c(
        r.staffing.agents - 1, 200 * 300 / 3600, 300, 20
    )


def test_nested_tiers_pool_contacts_and_people_of_each_level() -> None:
    rows = [
        ForecastRow(interval=0, tier="junior", contacts=120, aht_seconds=300),
        ForecastRow(interval=0, tier="senior", contacts=30, aht_seconds=600),
    ]
    service = Service(answer_within_seconds=30, service_level=0.8, shrinkage=0.25,
                      patience_seconds=120)  # fmt: skip
    problem = forecast_problem(("junior", "senior"), rows, service)
    ev = evaluation_with(problem, {(0, "junior"): 20, (0, "senior"): 6})
    predicted = service_of(problem, ev)
    assert predicted is not None
    (iv,) = predicted.intervals
    (_, low), (_, high) = iv.levels
    # junior level: all 150 contacts, AHT their weighted mean, 20 x 0.75 = 15 agents
    aht = (120 * 300 + 30 * 600) / 150
    pooled = erlang_a(15, 150 / 3600, aht, 120, 30)
    assert (low.agents, low.contacts) == (15, 150)
    assert low.service_level == pooled.service_level
    # senior level: its own 30 contacts, floor(6 x 0.75) = 4 agents
    alone = erlang_a(4, 30 / 3600, 600, 120, 30)
    assert (high.agents, high.contacts) == (4, 30)
    assert high.service_level == alone.service_level
    assert iv.service_level == pytest.approx(
        (120 * pooled.service_level + 30 * alone.service_level) / 150, rel=1e-12
    )
    assert iv.answer_rate == pytest.approx(
        (120 * (1 - pooled.abandon_rate) + 30 * (1 - alone.abandon_rate)) / 150, rel=1e-12
    )


def test_phone_agents_is_exact() -> None:
    assert agents_on_phones(30, 0.3) == 21  # 30 x 0.7 is 20.999999999999996 in floating point
    assert agents_on_phones(10, 0.0) == 10
    assert agents_on_phones(0, 0.5) == 0


def test_no_forecast_no_service() -> None:
    problem = make_problem(1)
    assert service_of(problem, evaluate(problem, Roster(assignments=()))) is None


def test_hotline_roster_service_is_between_0_and_1(hotline_out: Path) -> None:
    problem = load(HOTLINE)
    ev = evaluate(problem, read_roster(hotline_out / "roster.csv", problem))
    predicted = service_of(problem, ev)
    assert predicted is not None
    assert 0 < predicted.horizon.service_level <= 1
    answered = predicted.horizon.answer_rate  # patience_seconds: Erlang A
    assert answered is not None and predicted.horizon.service_level < answered <= 1
    # and the next Monday: its 00:00-07:00, demand after the horizon
    assert list(predicted.by_day) == [problem.date_of(d) for d in range(8)]
    assert math.fsum(t.contacts for t in predicted.by_day.values()) == pytest.approx(
        sum(f.contacts for f in problem.forecast or ())
    )
