"""evaluate(problem, solve(problem)) equals the solver's own objective on random tiny problems."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rostering.domain import (
    HistoryRow,
    IntervalRequirement,
    Mentoring,
    Request,
    Rules,
    SlotRequirement,
    Weights,
)
from rostering.evaluate import evaluate
from rostering.search import columns
from tests.builders import make_problem, run

LIMITS = st.fixed_dictionaries(
    {},
    optional={
        "max_consecutive_days": st.integers(1, 5),
        "min_consecutive_days": st.integers(1, 3),
        "min_consecutive_days_off": st.integers(1, 3),
        "max_consecutive_nights": st.integers(0, 3),
        "max_days_per_week": st.integers(2, 6),
        "max_weekends": st.integers(0, 2),
        "max_minutes": st.sampled_from([1440, 2400, 3360]),
        "min_minutes": st.sampled_from([0, 480, 960]),
        "max_minutes_per_week": st.sampled_from([1920, 2400]),
        "min_minutes_per_week": st.sampled_from([0, 480, 960]),
        "absence_credit_minutes": st.sampled_from([0, 480]),
        "max_shifts": st.sampled_from([{}, {"N": 0}, {"N": 2}, {"E": 3}]),
        "hourly_cost": st.sampled_from([0.0, 12.5, 20.0]),
    },
)


@st.composite
def problems(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    days = draw(st.integers(3, 10))
    start = date(2026, 11, 30) + timedelta(days=draw(st.integers(0, 6)))
    tiers = ("junior", "mid", "senior")
    n = draw(st.integers(1, 4))
    staff = {}
    for i in range(n):
        spec = dict(draw(LIMITS))
        spec["tier"] = draw(st.sampled_from(tiers))
        spec["contract"] = draw(st.sampled_from(["a", "b"]))
        staff[f"P{i}"] = spec
    ids = list(staff)
    requests = tuple(
        Request(
            employee_id=draw(st.sampled_from(ids)),
            day=draw(st.integers(0, days - 1)),
            kind=draw(st.sampled_from(["on", "off", "unavailable", "off", "on"])),
            shift_id=draw(st.sampled_from([None, "E", "L", "N"])),
            weight=draw(st.integers(1, 4)),
        )
        for _ in range(draw(st.integers(0, 5)))
    )
    weights = Weights(
        under_cover=draw(st.sampled_from([10, 100])),
        over_cover=draw(st.integers(0, 2)),
        requests=draw(st.integers(0, 3)),
        cost=draw(st.integers(0, 1)),
        fairness_nights=draw(st.integers(0, 2)),
        fairness_weekends=draw(st.integers(0, 2)),
        fairness_minutes=draw(st.integers(0, 1)),
    )
    rules = Rules(
        min_rest_minutes=draw(st.sampled_from([0, 600, 660])),
        forbidden_successions=draw(st.sampled_from([frozenset(), frozenset({("N", "E")})])),
    )
    mentoring = draw(
        st.sampled_from(
            [
                None,
                Mentoring(
                    mentee_tiers=("junior",),
                    mentor_tiers=("mid", "senior"),
                    max_juniors_per_mentor=2,
                ),
            ]  # fmt: skip
        )
    )
    previous = None
    if draw(st.booleans()):
        previous = {i: draw(st.text(alphabet=".ELN", min_size=1, max_size=4)) for i in ids}
    if draw(st.booleans()):
        cells = [(d, h) for d in range(days) for h in range(24)]
        chosen = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=12, unique=True))
        demand: dict = {
            "interval_demand": tuple(
                IntervalRequirement(
                    interval=d * 24 + h,
                    tier=draw(st.sampled_from(tiers)),
                    required=draw(st.integers(1, 3)),
                )  # fmt: skip
                for d, h in chosen
            )
        }
    else:
        slots = [(d, s) for d in range(days) for s in "ELN"]
        chosen = draw(st.lists(st.sampled_from(slots), min_size=1, max_size=10, unique=True))
        demand = {
            "slot_demand": tuple(
                SlotRequirement(
                    day=d,
                    shift_id=s,
                    required=draw(st.integers(0, 3)),
                    tier=draw(st.sampled_from([None, *tiers])),
                )  # fmt: skip
                for d, s in chosen
            )
        }
    history = tuple(
        HistoryRow(
            employee_id=i,
            period_start=start - timedelta(days=7),
            nights=draw(st.integers(0, 3)),
            weekends=draw(st.integers(0, 1)),
            minutes=draw(st.sampled_from([0, 480, 2400])),
        )  # fmt: skip
        for i in ids
        if draw(st.booleans())
    )
    return make_problem(
        staff, days, start, requests=requests, weights=weights, rules=rules,
        mentoring=mentoring, previous=previous, history=history, **demand,
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_evaluate_equals_solver_objective(problem) -> None:  # type: ignore[no-untyped-def]
    result = run(problem, seconds=5)
    if result.roster is None:
        assert result.status in ("INFEASIBLE", "UNKNOWN")
        return
    verdict = evaluate(problem, result.roster)
    assert verdict.violations == (), [v.message for v in verdict.violations]
    assert verdict.penalties == result.penalties
    assert verdict.objective == result.objective


def test_first_roster_found_is_priced_exactly_as_evaluate_prices_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Penalty variables are exact, not just bounded: a search stopped at its first roster
    (far from optimal) still reports evaluate's objective, family by family."""
    from pathlib import Path

    from rostering.pipeline import load
    from rostering.solve import SolveParams, Stopper, solve

    problem = load(Path(__file__).parents[1] / "instances" / "hotline-2026-w49")
    # the main search's first roster: column generation would find one first (and prove it)
    monkeypatch.setattr(columns, "applies", lambda _: False)
    stopper = Stopper()
    result = solve(
        problem, SolveParams(time_limit=30, workers=2), lambda _: stopper.stop(), stopper
    )
    assert result.roster is not None and result.stop_reason == "signal"
    verdict = evaluate(problem, result.roster)
    assert verdict.penalties == result.penalties
