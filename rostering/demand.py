"""Forecast -> headcount: run the staffing math on every interval and tier queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rostering.domain import IntervalRequirement, Problem
from rostering.staffing import ServiceTargets, staff_interval

STAFFING_COLUMNS = (
    "start", "tier", "contacts", "aht_seconds", "agents", "required", "service_level",
    "asa_seconds", "occupancy", "abandon_rate",
)  # fmt: skip


@dataclass(frozen=True)
class StaffingRow:
    interval: int
    start: datetime
    tier: str
    contacts: float
    aht_seconds: int
    agents: int
    required: int
    service_level: float
    asa_seconds: float
    occupancy: float
    abandon_rate: float


def staffing_table(problem: Problem) -> list[StaffingRow]:
    """One row per forecast interval and tier queue, in time then tier order."""
    model = problem.model
    if problem.forecast is None or model.service is None or model.interval_minutes is None:
        return []
    s = model.service
    targets = ServiceTargets(
        answer_within_seconds=s.answer_within_seconds,
        service_level=s.service_level,
        max_occupancy=s.max_occupancy,
        shrinkage=s.shrinkage,
        patience_seconds=s.patience_seconds,
        max_abandon_rate=s.max_abandon_rate,
    )
    grid = model.interval_minutes
    origin = datetime.combine(problem.start, datetime.min.time())
    rows = []
    for f in problem.forecast:
        result = staff_interval(f.contacts, grid * 60, f.aht_seconds, targets)
        rows.append(
            StaffingRow(
                interval=f.interval,
                start=origin + timedelta(minutes=f.interval * grid),
                tier=f.tier,
                contacts=f.contacts,
                aht_seconds=f.aht_seconds,
                agents=result.agents,
                required=result.required,
                service_level=result.service_level,
                asa_seconds=result.asa_seconds,
                occupancy=result.occupancy,
                abandon_rate=result.abandon_rate,
            )
        )
    return rows


def with_requirements(problem: Problem) -> Problem:
    """The problem with interval demand computed from its forecast (unchanged otherwise)."""
    if problem.forecast is None or problem.interval_demand is not None:
        return problem
    demand = tuple(
        IntervalRequirement(interval=r.interval, tier=r.tier, required=r.required)
        for r in staffing_table(problem)
    )
    return problem.model_copy(update={"interval_demand": demand})
