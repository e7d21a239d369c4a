"""The roster's own service (rostering.service) and pooled staffing (rostering.demand)."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any

import pytest

from rostering.demand import staffing_table, with_requirements
from rostering.domain import Roster
from rostering.evaluate import CoverageRow, evaluate
from rostering.io.instance import load_problem
from rostering.service import service_of, unmet_person_hours
from rostering.staffing import (
    ServiceTargets,
    agents_on_phones,
    level_service,
    service_level_c,
    staff_interval,
)
from tests.builders import HOTLINE


def hotline(staffing: str = "pooled") -> Any:
    problem = load_problem(HOTLINE)
    assert problem.model.service is not None
    service = problem.model.service.model_copy(update={"staffing": staffing})
    return problem.model_copy(
        update={"model": problem.model.model_copy(update={"service": service})}
    )


class Counted:
    """An evaluation whose coverage says who is on duty: what service_of reads."""

    def __init__(self, rows: list[CoverageRow]) -> None:
        self.coverage = rows


def test_agents_on_the_phones_are_the_exact_inverse_of_required_headcount() -> None:
    assert agents_on_phones(30, 0.3) == 21  # 30 x 0.7 = 21 exactly, not 20.999...
    assert agents_on_phones(3, 0.3) == 2 and agents_on_phones(0, 0.3) == 0
    assert agents_on_phones(7, 0.0) == 7


def test_erlang_c_gives_no_service_where_agents_do_not_exceed_the_load() -> None:
    targets = ServiceTargets(answer_within_seconds=30, service_level=0.8)
    assert level_service(60, 240, 4, 3600, targets).service_level == 0.0  # load 4, 4 agents
    five = level_service(60, 240, 5, 3600, targets)
    assert five.service_level == pytest.approx(service_level_c(5, 4.0, 240, 30))
    assert five.occupancy == pytest.approx(0.8)


def test_pooled_staffing_needs_fewer_person_hours_than_separate_queues() -> None:
    """And meets the target in every pool: each level's predicted service level."""
    together, apart = staffing_table(hotline("pooled")), staffing_table(hotline("separate"))
    assert sum(r.required for r in together) < sum(r.required for r in apart)
    targets = hotline().model.service
    assert all(r.staffing.service_level >= targets.service_level - 1e-9 for r in together)
    by_interval: dict[int, list[Any]] = defaultdict(list)
    for r in together:
        by_interval[r.interval].append(r)
    for rows in by_interval.values():  # tier rows lowest first: D>=t is the largest from t up
        for n in range(len(rows)):
            assert sum(r.required for r in rows[n:]) == max(r.pooled_required for r in rows[n:])


def test_a_roster_staffed_exactly_as_required_gives_the_staffing_s_service() -> None:
    """People on duty = D>=t at every level: each level's service level is the one the
    staffing table predicted for its pool, and no interval is below target."""
    problem = with_requirements(hotline())
    rows, cumulative = [], {}
    for r in staffing_table(problem):
        cumulative[r.start, r.tier] = r
    for (start, tier), r in cumulative.items():
        need = r.pooled_required
        rows.append(CoverageRow(tier=tier, required=need, shortfall=0, surplus=0, start=start,
                                on_duty=need))  # fmt: skip
    service = service_of(problem, Counted(rows))  # type: ignore[arg-type]
    assert service is not None
    for key, r in cumulative.items():
        if r.contacts > 0:
            assert service.levels[key].service_level == pytest.approx(r.staffing.service_level)
    target = problem.model.service.service_level
    assert service.horizon.service_level is not None and service.horizon.service_level >= target
    assert service.horizon.intervals_below_target == 0
    assert service.horizon.unmet_person_hours == 0


def test_an_empty_roster_serves_nobody_and_leaves_all_the_work_unmet() -> None:
    """(Without the night crew of the week before, who are on duty early on Monday.)"""
    problem = with_requirements(hotline()).model_copy(update={"previous": ()})
    evaluation = evaluate(problem, Roster(assignments=()))
    service = service_of(problem, evaluation)
    assert service is not None
    h = service.horizon
    assert h.service_level == 0.0 and h.worst_interval is not None and h.worst_interval[1] == 0
    assert (
        h.unmet_person_hours == h.required_person_hours == unmet_person_hours(problem, evaluation)
    )
    assert h.rostered_person_hours == 0
    assert h.intervals_below_target == sum(1 for d in service.by_day.values()
                                           for _ in range(d.intervals_below_target))  # fmt: skip
    assert sum(d.contacts for d in service.by_day.values()) == pytest.approx(h.contacts)
    assert h.contacts == pytest.approx(sum(f.contacts for f in problem.forecast or ()))


def test_unmet_person_hours_count_an_interval_once_not_once_per_tier() -> None:
    """Demand junior 5, mid 3, senior 2 and nobody on duty: 10 person-hours unmet in the
    hour, where the old figure summed 10 + 5 + 2 over the tier levels."""
    problem = with_requirements(hotline())
    start = staffing_table(problem)[0].start
    rows = [CoverageRow(tier=t, required=n, shortfall=n, surplus=0, start=start, on_duty=0)
            for t, n in (("junior", 10), ("mid", 5), ("senior", 2))]  # fmt: skip
    assert unmet_person_hours(problem, Counted(rows)) == 10  # type: ignore[arg-type]


def test_staffing_the_pool_uses_the_volume_weighted_handling_time() -> None:
    problem = hotline()
    first = [r for r in staffing_table(problem) if r.interval == 9]
    own = {f.tier: f for f in problem.forecast or () if f.interval == 9}
    junior = first[0]
    contacts = sum(f.contacts for f in own.values())
    aht = sum(f.contacts * f.aht_seconds for f in own.values()) / contacts
    assert junior.contacts == pytest.approx(contacts) and junior.aht_seconds == pytest.approx(aht)
    targets = ServiceTargets(**problem.model.service.model_dump(exclude={"staffing"}))
    assert junior.staffing == staff_interval(contacts, 3600, aht, targets)


def test_check_prints_the_roster_s_service_in_every_format() -> None:
    from rostering.check import as_csv, as_json, as_table, check_roster

    problem = with_requirements(hotline())
    report = check_roster(problem, Roster(assignments=()))
    assert report.service is not None
    table = as_table(report)
    assert "Service (predicted by Erlang" in table and "worst interval" in table
    data = json.loads(as_json(report))
    assert data["service"]["contacts"] == pytest.approx(report.service.horizon.contacts)
    days = problem.days + 1  # the next Monday's 00:00-07:00: demand after the horizon
    assert len(data["service_by_day"]) == days
    rows = [r for r in csv.DictReader(io.StringIO(as_csv(report))) if r["section"] == "service"]
    assert len(rows) == 1 + days and rows[0]["date"] == ""
    assert float(rows[0]["unmet_person_hours"]) == report.service.horizon.unmet_person_hours


def test_a_team_that_cannot_give_the_hours_needed_is_warned_before_any_solve() -> None:
    problem = hotline()
    few = problem.model_copy(update={"employees": problem.employees[:8]})
    warned = with_requirements(few).warnings
    assert any("person-hours on duty, the team's contracts allow at most" in w for w in warned)
    assert not [w for w in with_requirements(problem).warnings if "person-hours" in w]


@pytest.mark.parametrize("patience", [None, 120.0])
def test_the_service_curve_gives_level_service_s_floats_for_every_headcount(
    patience: float | None,
) -> None:
    from rostering.staffing import service_curve

    targets = ServiceTargets(answer_within_seconds=30, service_level=0.8, shrinkage=0.3,
                             patience_seconds=patience)  # fmt: skip
    curve = service_curve(140, 315.5, 1800, targets)
    for people in [*range(60), 5, 0, 33]:  # in any order: the table grows as asked
        assert curve(people) == level_service(140, 315.5, people, 1800, targets).service_level
