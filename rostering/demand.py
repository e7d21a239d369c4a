"""Forecast -> headcount: run the staffing math on every interval and tier queue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from rostering.domain import IntervalRequirement, Problem
from rostering.staffing import IntervalStaffing, ServiceTargets, staff_interval

STAFFING_COLUMNS = (
    "start", "tier", "contacts", "aht_seconds", "agents", "required", "service_level",
    "asa_seconds", "occupancy", "abandon_rate",
)  # fmt: skip


@dataclass(frozen=True)
class StaffingRow:
    """One tier queue in one interval: its volume and what the staffing math made of it."""

    interval: int
    start: datetime
    tier: str
    contacts: float
    aht_seconds: int
    staffing: IntervalStaffing  # agents, required headcount and predicted figures


def staffing_table(problem: Problem) -> list[StaffingRow]:
    """One row per forecast interval and tier queue, in time then tier order."""
    model = problem.model
    if problem.forecast is None or model.service is None or model.interval_minutes is None:
        return []
    targets = ServiceTargets(**model.service.model_dump())
    grid = model.interval_minutes
    origin = datetime.combine(problem.start, datetime.min.time())
    return [
        StaffingRow(
            interval=f.interval,
            start=origin + timedelta(minutes=f.interval * grid),
            tier=f.tier,
            contacts=f.contacts,
            aht_seconds=f.aht_seconds,
            staffing=staff_interval(f.contacts, grid * 60, f.aht_seconds, targets),
        )
        for f in problem.forecast
    ]


def with_requirements(problem: Problem) -> Problem:
    """The problem with interval demand computed from its forecast (unchanged otherwise)."""
    if problem.forecast is None or problem.interval_demand is not None:
        return problem
    demand = tuple(
        IntervalRequirement(interval=r.interval, tier=r.tier, required=r.staffing.required)
        for r in staffing_table(problem)
    )
    return problem.model_copy(update={"interval_demand": demand})
