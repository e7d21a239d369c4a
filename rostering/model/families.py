"""The rule families: one registry that build, explain, check and the site model's contract
schema read. A family's model rule is the module `rostering.model.rules.<name>`; evaluate
keeps its own list, which tests hold against this one.

Adding a personal rule = its module in rules/, its counterpart in evaluate, its test file in
tests/rules/, a line here (and its contract keys in LIMIT_KINDS and domain.Limits), docs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

LimitKind = Literal["days", "positive_days", "minutes", "shift_counts"]

# every contract key (also a staff.csv override column), and what its values count
LIMIT_KINDS: dict[str, LimitKind] = {
    "min_minutes_per_week": "minutes",
    "max_minutes_per_week": "minutes",
    "max_days_per_week": "days",
    "max_consecutive_days": "positive_days",
    "min_consecutive_days": "days",
    "min_consecutive_days_off": "days",
    "max_consecutive_nights": "days",
    "max_weekends": "days",
    "min_minutes": "minutes",
    "max_minutes": "minutes",
    "max_shifts": "shift_counts",
    "absence_credit_minutes": "minutes",
}


@dataclass(frozen=True)
class Family:
    name: str
    hard: bool = True  # has hard constraints (--relax may make them soft)
    priced: bool = False  # may carry a penalty
    limits: tuple[str, ...] = ()  # the contract keys it enforces (explain names them)
    day_rule: str | None = None  # how explain names the family's group of one day


FAMILIES: tuple[Family, ...] = (
    Family("coverage", priced=True, day_rule="the min_required floor"),
    Family("service", hard=False, priced=True),
    Family("one_shift_per_day"),
    Family("shift_types", limits=("max_shifts",)),
    Family("unavailable"),
    Family("leave"),
    Family("fixed"),
    Family("min_rest"),
    Family("forbidden_successions"),
    Family("consecutive_days", limits=("max_consecutive_days", "min_consecutive_days")),
    Family("consecutive_days_off", limits=("min_consecutive_days_off",)),
    Family("consecutive_nights", limits=("max_consecutive_nights",)),
    Family("days_per_week", limits=("max_days_per_week",)),
    Family("minutes", limits=("min_minutes", "max_minutes", "absence_credit_minutes")),
    Family(
        "minutes_per_week",
        limits=("min_minutes_per_week", "max_minutes_per_week", "absence_credit_minutes"),
    ),
    Family("weekends", limits=("max_weekends",)),
    Family(
        "mentoring",
        day_rule="a mentor on duty whenever juniors are (max_juniors_per_mentor)",
    ),
    Family("breaks"),
    Family("requests", hard=False, priced=True),
    Family("cost", hard=False, priced=True),
    # hard: [fairness]'s limits on spreads within a group; priced: the fairness_* weights
    Family("fairness", priced=True),
    # hard: `repair` keeps the days before --from as published; priced: [weights] change
    Family("change", priced=True),
)

BY_NAME: dict[str, Family] = {f.name: f for f in FAMILIES}
FAMILY_NAMES: tuple[str, ...] = tuple(f.name for f in FAMILIES)
HARD_FAMILIES: tuple[str, ...] = tuple(f.name for f in FAMILIES if f.hard)
PRICED_FAMILIES: tuple[str, ...] = tuple(f.name for f in FAMILIES if f.priced)
