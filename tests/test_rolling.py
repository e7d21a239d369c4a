"""Four weeks in a row, each planned from the last one's roster (previous.csv) and the
fairness history so far (history.csv): the boundary between weeks leaves no hole."""

from __future__ import annotations

import pytest

from benchmarks.rolling import FIRST_HOURS, next_week, roll, spreads
from benchmarks.week_boundary import horizon_only
from rostering.explain import explain
from rostering.solve import SolveParams
from tests.builders import hotline_headcount


@pytest.fixture(scope="module")
def four_weeks():  # type: ignore[no-untyped-def]
    # deterministic: the same rosters on any machine load (a 10-s race could leave an hour short)
    return roll(
        hotline_headcount(), 4, SolveParams(time_limit=10, seed=0, workers=2, deterministic=True)
    )


def test_every_rolled_week_is_legal_and_starts_covered(four_weeks) -> None:  # type: ignore[no-untyped-def]
    starts = [w.problem.start for w in four_weeks]
    assert [(b - a).days for a, b in zip(starts, starts[1:], strict=False)] == [7, 7, 7]
    assert len(four_weeks) == 4
    for week in four_weeks:
        assert week.evaluation is not None and week.evaluation.is_feasible(), week.problem.start
        assert week.first_unmet == 0, f"{week.problem.start}: first {FIRST_HOURS} h short"
    # each week after the first starts from the one before: its Sunday night is on duty
    for before, after in zip(four_weeks, four_weeks[1:], strict=False):
        sunday = {a.employee_id for a in before.result.roster.assignments if a.day == 6}
        assert {a.employee_id for a in after.problem.previous if a.day == -1} == sunday
        assert len(after.problem.history) == len(before.problem.history) + len(
            before.problem.employees
        )


def test_rolled_weeks_give_the_same_service_within_a_few_points(four_weeks) -> None:  # type: ignore[no-untyped-def]
    levels = [w.service.horizon.service_level for w in four_weeks if w.service is not None]
    assert len(levels) == 4
    assert max(levels) - min(levels) <= 0.03, levels


def test_fairness_carried_over_weeks_stays_within_the_policy_per_week_summed(four_weeks) -> None:  # type: ignore[no-untyped-def]
    """The policy bounds each week's spreads; over four weeks the nights spread within a group
    stays within four times the weekly limit."""
    limit = four_weeks[0].problem.model.fairness.max_nights_spread
    assert limit is not None
    for group, spread in spreads(four_weeks).items():
        assert spread["nights"] <= 4 * limit, group


def test_without_the_demand_after_the_horizon_the_next_week_breaks() -> None:
    """The same roll planned on the horizon alone: Sunday's night is not planned for the
    next morning, so the next week starts short, or cannot be planned at all (juniors of
    Sunday's night on duty into Monday without a mentor): the hole the demand after the
    horizon closes."""
    first = hotline_headcount()
    weeks = roll(first, 2, SolveParams(time_limit=10, seed=0), horizon_only)
    assert next_week(first, weeks[0]).start == weeks[1].problem.start
    assert weeks[1].result.status == "INFEASIBLE" or (weeks[1].first_unmet or 0) > 0
    if weeks[1].result.status == "INFEASIBLE":  # and the explanation names the boundary
        why = explain(horizon_only(weeks[1].problem))
        assert why is not None
        assert any(s.startswith("boundary: previous.csv's shifts of") for s in why.sentences)
