"""The service a roster gives: per interval and tier level, what Erlang C (or A) predicts for
the contacts of that level and higher with the people of that level and higher on duty; per
interval, day and horizon, the contact-weighted service level and answer rate.

The contacts of tier t are served by the pool of tier t or higher: SL>=t is the service
level of the pooled contacts of tiers >= t (volume-weighted AHT) with floor(S>=t x (1 -
shrinkage)) agents (exact arithmetic). An interval's service level is sum_t contacts_t x
SL>=t / sum_t contacts_t, contacts_t being tier t's own; a day's and the horizon's likewise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from rostering.demand import pooled, targets_of, tier_queues
from rostering.domain import Problem
from rostering.evaluate import Evaluation
from rostering.staffing import LevelService, ServiceTargets, level_service

TOLERANCE = 1e-12  # a service level this close below its target meets it


@dataclass(frozen=True)
class Figures:
    """Service over some intervals (one, a day, the horizon)."""

    service_level: float | None  # None without contacts
    answer_rate: float | None  # None without contacts or without patience (Erlang C)
    contacts: float
    worst_interval: tuple[datetime, float] | None  # its start and service level
    intervals_below_target: int
    unmet_person_hours: float
    required_person_hours: float
    rostered_person_hours: float

    def as_dict(self) -> dict[str, object]:
        worst = self.worst_interval
        return {
            "service_level": _rounded(self.service_level),
            "answer_rate": _rounded(self.answer_rate),
            "contacts": round(self.contacts, 3),
            "worst_interval": None
            if worst is None
            else {"start": f"{worst[0]:%Y-%m-%dT%H:%M}", "service_level": _rounded(worst[1])},
            "intervals_below_target": self.intervals_below_target,
            "unmet_person_hours": round(self.unmet_person_hours, 3),
            "required_person_hours": round(self.required_person_hours, 3),
            "rostered_person_hours": round(self.rostered_person_hours, 3),
        }


@dataclass(frozen=True)
class IntervalService:
    """One interval with contacts: its service level and answer rate (None under Erlang C),
    and what each tier level's pool gives, lowest tier first."""

    start: datetime
    contacts: float  # the tiers' own, summed
    service_level: float
    answer_rate: float | None
    levels: tuple[tuple[str, LevelService], ...]


@dataclass(frozen=True)
class Service:
    levels: dict[tuple[datetime, str], LevelService]  # (interval start, tier) -> its pool's
    horizon: Figures
    by_day: dict[date, Figures]
    intervals: tuple[IntervalService, ...] = ()  # in time order, those with contacts
    target: float = 0.0  # the model's service_level
    erlang: str = "C"  # "A" with patience_seconds

    @property
    def worst(self) -> IntervalService | None:
        """The interval of the lowest service level (the first of them)."""
        return min(self.intervals, key=lambda i: i.service_level, default=None)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def service_of(problem: Problem, evaluation: Evaluation) -> Service | None:
    """The roster's service, from its coverage as evaluate counted it; None without a
    forecast (headcount demand carries no contacts)."""
    targets = targets_of(problem)
    grid = problem.model.interval_minutes
    if problem.forecast is None or targets is None or grid is None:
        return None
    origin = datetime.combine(problem.start, datetime.min.time())
    coverage: dict[datetime, dict[str, tuple[int, int, int]]] = defaultdict(dict)
    for row in evaluation.coverage:  # interval rows: (D>=t, S>=t, shortfall)
        if row.start is not None and row.tier is not None and row.on_duty is not None:
            coverage[row.start][row.tier] = (row.required, row.on_duty, row.shortfall)
    hours = grid / 60
    patience = targets.patience_seconds is not None
    levels: dict[tuple[datetime, str], LevelService] = {}
    by_start: dict[datetime, list[str]] = defaultdict(list)  # the tier levels with contacts
    intervals: list[_Interval] = []
    for interval, by_tier in sorted(tier_queues(problem).items()):
        start = origin + timedelta(minutes=interval * grid)
        counted = coverage.get(start, {})
        tiers = list(by_tier)
        own = weighted = answered = 0.0
        for n, tier in enumerate(tiers):
            contacts, aht = pooled([by_tier[t] for t in tiers[n:]])
            people = counted.get(tier, (0, 0, 0))[1]
            if contacts > 0:
                level = level_service(contacts, aht, people, grid * 60, targets)
                levels[start, tier] = level
                by_start[start].append(tier)
                mine = by_tier[tier].contacts
                own += mine
                weighted += mine * level.service_level
                answered += mine * (1 - level.abandon_rate)
        # the lowest level's D>=t and S>=t are the largest: all the work, everyone on duty
        required = max((need for need, _, _ in counted.values()), default=0)
        rostered = max((people for _, people, _ in counted.values()), default=0)
        unmet = max((shortfall for _, _, shortfall in counted.values()), default=0)
        intervals.append(
            _Interval(
                start, own, weighted, answered, unmet * hours, required * hours, rostered * hours
            )  # fmt: skip
        )
    by_day: dict[date, list[_Interval]] = defaultdict(list)
    for item in intervals:
        by_day[item.start.date()].append(item)
    goal = targets.service_level
    served = tuple(
        IntervalService(
            i.start,
            i.contacts,
            i.weighted / i.contacts,
            i.answered / i.contacts if patience else None,
            tuple((t, levels[i.start, t]) for t in by_start[i.start]),
        )  # fmt: skip
        for i in intervals
        if i.contacts > 0
    )
    return Service(
        levels,
        _figures(intervals, goal, patience),
        {day: _figures(items, goal, patience) for day, items in sorted(by_day.items())},
        served,
        goal,
        "A" if patience else "C",
    )


@dataclass(frozen=True)
class _Interval:
    start: datetime
    contacts: float  # sum of the tiers' own contacts
    weighted: float  # sum of contacts_t x SL>=t
    answered: float  # sum of contacts_t x (1 - abandon>=t)
    unmet_hours: float
    required_hours: float
    rostered_hours: float


def _figures(intervals: list[_Interval], goal: float, patience: bool) -> Figures:
    contacts = sum(i.contacts for i in intervals)
    served = [(i.start, i.weighted / i.contacts) for i in intervals if i.contacts > 0]
    return Figures(
        service_level=sum(i.weighted for i in intervals) / contacts if contacts else None,
        answer_rate=sum(i.answered for i in intervals) / contacts
        if contacts and patience
        else None,
        contacts=contacts,
        worst_interval=min(served, key=lambda s: s[1]) if served else None,
        intervals_below_target=sum(sl < goal - TOLERANCE for _, sl in served),
        unmet_person_hours=sum(i.unmet_hours for i in intervals),
        required_person_hours=sum(i.required_hours for i in intervals),
        rostered_person_hours=sum(i.rostered_hours for i in intervals),
    )


def service_summary(service: Service | None) -> dict[str, Any]:
    """summary.json's `service` (the horizon) and `service_by_day`; nothing without it."""
    if service is None:
        return {}
    return {
        "service": service.horizon.as_dict(),
        "service_by_day": [
            {"date": day.isoformat(), **figures.as_dict()}
            for day, figures in service.by_day.items()
        ],
    }


def interval_person_hours(problem: Problem, evaluation: Evaluation) -> tuple[float, float]:
    """Interval demand: the person-hours required and unmet — per interval D>=lowest and the
    unmet work (the nested figure, max over tier levels of the shortfall, once per
    interval), times its length in hours."""
    need: dict[datetime, int] = defaultdict(int)
    unmet: dict[datetime, int] = defaultdict(int)
    for row in evaluation.coverage:
        if row.start is not None:
            need[row.start] = max(need[row.start], row.required)
            unmet[row.start] = max(unmet[row.start], row.shortfall)
    hours = (problem.model.interval_minutes or 60) / 60
    return sum(need.values()) * hours, sum(unmet.values()) * hours


def unmet_person_hours(problem: Problem, evaluation: Evaluation) -> float:
    """Interval demand: the person-hours of unmet work (interval_person_hours)."""
    return interval_person_hours(problem, evaluation)[1]


def service_lines(service: Service, targets: ServiceTargets) -> list[str]:
    """The horizon's service in words, for the terminal."""
    h = service.horizon
    if h.service_level is None:
        return ["service: no contacts forecast"]
    within = f"{targets.answer_within_seconds:g} s"
    lines = [f"service level {h.service_level:.1%} (answered within {within}, target "
             f"{targets.service_level:.0%})"]  # fmt: skip
    if h.answer_rate is not None:
        lines[0] += f"; answer rate {h.answer_rate:.1%}"
    if h.worst_interval is not None:
        start, level = h.worst_interval
        lines.append(
            f"worst interval {start:%Y-%m-%d %H:%M} at {level:.1%}; "
            f"{h.intervals_below_target} intervals below target"
        )
    return lines
