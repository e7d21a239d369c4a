"""The service a roster gives: what Erlang C (or A) predicts per interval for the people on duty.

For forecast demand only (headcount given directly carries no contacts). For each interval
and tier level t, the contacts of tiers >= t are pooled and served by the people of tier >= t
on duty (S>=t, evaluate's `on_duty`): their agents on the phones are floor(S>=t x (1 -
shrinkage)) in exact arithmetic, the pooled handling time is the contact-weighted mean of the
tiers' AHTs, and staffing.py's Erlang C service level (Erlang A's with `patience_seconds`)
gives SL>=t. The interval's service level is sum_t contacts_t x SL>=t / sum_t contacts_t
(contacts_t: tier t's own), as FORMATS.md's "The roster's own service" defines it; the answer
rate (1 - abandon rate) likewise, with Erlang A only: under Erlang C every contact waits until
answered, so no answer rate is predicted. A day and the horizon weigh intervals by contacts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction

from rostering.domain import Problem
from rostering.evaluate import Evaluation
from rostering.staffing import TARGET_TOLERANCE, erlang_a, service_level_c


@dataclass(frozen=True)
class LevelService:
    """One tier level t of one interval: the pooled queue of tiers >= t."""

    tier: str
    contacts: float  # pooled: tiers >= t
    own_contacts: float  # tier t's own, the weight of SL>=t
    aht_seconds: float
    on_duty: int
    agents: int
    service_level: float
    abandon_rate: float | None  # Erlang A only


@dataclass(frozen=True)
class IntervalService:
    start: datetime
    contacts: float
    service_level: float
    answer_rate: float | None
    levels: tuple[LevelService, ...]  # levels with pooled contacts, lowest tier first


@dataclass(frozen=True)
class ServiceTotals:
    """Contact-weighted figures over a day or the horizon."""

    contacts: float
    service_level: float
    answer_rate: float | None
    intervals_below_target: int


@dataclass(frozen=True)
class RosterService:
    target: float  # the model's service_level
    erlang: str  # "C" or "A"
    intervals: tuple[IntervalService, ...]  # in time order, intervals with contacts only
    total: ServiceTotals
    by_day: tuple[tuple[date, ServiceTotals], ...]

    @property
    def worst(self) -> IntervalService | None:
        return min(self.intervals, key=lambda i: i.service_level, default=None)


def phone_agents(on_duty: int, shrinkage: float) -> int:
    """floor(on_duty x (1 - shrinkage)), the shrinkage read as the decimal it prints as
    (the inverse of staffing.required_headcount)."""
    q = Fraction(on_duty) * (1 - Fraction(repr(float(shrinkage))))
    return q.numerator // q.denominator


def roster_service(problem: Problem, evaluation: Evaluation) -> RosterService | None:
    """Predicted service of a roster, or None where it cannot be computed (no forecast, no
    [service] targets, or no contacts within the horizon)."""
    model = problem.model
    service, grid = model.service, model.interval_minutes
    if problem.forecast is None or service is None or grid is None:
        return None
    tiers = model.tiers
    seconds = grid * 60
    origin = datetime.combine(problem.start, datetime.min.time())
    # contacts and contact-seconds per interval and tier (a forecast may hold several rows)
    volume: dict[int, dict[str, list[float]]] = defaultdict(dict)
    ahts: dict[tuple[int, str], set[int]] = defaultdict(set)
    for f in problem.forecast:
        if f.contacts <= 0:
            continue
        figures = volume[f.interval].setdefault(f.tier, [0.0, 0.0])
        figures[0] += f.contacts
        figures[1] += f.contacts * f.aht_seconds
        ahts[f.interval, f.tier].add(f.aht_seconds)
    on_duty = {
        (r.start, r.tier): r.on_duty
        for r in evaluation.coverage
        if r.start is not None and r.on_duty is not None
    }
    intervals = []
    for i in sorted(volume):
        start = origin + timedelta(minutes=i * grid)
        if not 0 <= i * grid < problem.horizon_minutes:
            continue  # after the horizon: evaluate counts nobody there
        levels = []
        for k, tier in enumerate(tiers):
            pooled = [volume[i][t] for t in tiers[k:] if t in volume[i]]
            contacts = sum(p[0] for p in pooled)
            if contacts <= 0:
                continue
            distinct = set().union(*(ahts[i, t] for t in tiers[k:]))
            # one AHT is used as it is, so that a one-tier pool matches staffing.py exactly
            aht = float(next(iter(distinct))) if len(distinct) == 1 else (
                sum(p[1] for p in pooled) / contacts
            )  # fmt: skip
            people = on_duty.get((start, tier), 0)
            agents = phone_agents(people, service.shrinkage)
            if service.patience_seconds is None:
                load = contacts * aht / seconds
                sl = service_level_c(agents, load, aht, service.answer_within_seconds)
                abandon = None
            else:
                res = erlang_a(agents, contacts / seconds, aht, service.patience_seconds,
                               service.answer_within_seconds)  # fmt: skip
                sl, abandon = res.service_level, res.abandon_rate
            own = volume[i].get(tier, [0.0])[0]
            levels.append(LevelService(tier, contacts, own, aht, people, agents, sl, abandon))
        total = math.fsum(lv.own_contacts for lv in levels)
        weighted = [lv for lv in levels if lv.own_contacts > 0]
        answers = [1 - (lv.abandon_rate or 0.0) for lv in weighted]
        answer: float | None
        if len(weighted) == 1:  # c x SL / c may differ from SL in the last bit: not divided
            sl, answer = weighted[0].service_level, answers[0]
        else:
            sl = math.fsum(lv.own_contacts * lv.service_level for lv in weighted) / total
            answer = math.fsum(lv.own_contacts * a for lv, a in zip(weighted, answers, strict=True))
            answer /= total
        if service.patience_seconds is None:
            answer = None
        intervals.append(IntervalService(start, total, sl, answer, tuple(levels)))
    if not intervals:
        return None
    days: dict[date, list[IntervalService]] = defaultdict(list)
    for iv in intervals:
        days[iv.start.date()].append(iv)
    target = service.service_level
    return RosterService(
        target=target,
        erlang="C" if service.patience_seconds is None else "A",
        intervals=tuple(intervals),
        total=_totals(intervals, target),
        by_day=tuple((d, _totals(ivs, target)) for d, ivs in sorted(days.items())),
    )


def _totals(intervals: list[IntervalService], target: float) -> ServiceTotals:
    contacts = math.fsum(iv.contacts for iv in intervals)
    sl = math.fsum(iv.contacts * iv.service_level for iv in intervals) / contacts
    answer = None
    if all(iv.answer_rate is not None for iv in intervals):
        answer = math.fsum(iv.contacts * (iv.answer_rate or 0.0) for iv in intervals) / contacts
    # staffing.py accepts a level within TARGET_TOLERANCE of the target; so does this count
    below = sum(1 for iv in intervals if iv.service_level < target - TARGET_TOLERANCE)
    return ServiceTotals(contacts, sl, answer, below)
