"""The problem as plain, frozen data: site model, team, requests, demand, rosters.

Everything is resolved at load time so that downstream code (staffing, the CP-SAT
model, evaluate) never parses anything: dates are day indexes from the horizon
start, clock times are minutes, per-person contract overrides are merged.
No ortools and no pandas here.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 1440
RequestKind = Literal["on", "off", "unavailable", "leave", "fixed"]
GroupKey = Literal["contract", "tier"]
ShiftKind = Literal["early", "day", "late", "night"]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Break(Frozen):
    """One break of a shift type: `minutes` long, starting between `earliest` and `latest`
    minutes after the shift's start, on the demand grid."""

    minutes: int
    earliest: int
    latest: int

    def offsets(self, grid: int) -> range:
        """Every start it may take, in minutes after the shift's start."""
        return range(self.earliest, self.latest + 1, grid)


class ShiftType(Frozen):
    id: str
    start_minute: int  # minutes after midnight of the day the shift belongs to
    minutes: int  # length on duty
    paid_minutes: int  # what contract limits count
    night: bool = False
    kind: ShiftKind | None = None
    weekdays: frozenset[int] = frozenset(range(7))  # 0 = Monday
    breaks: tuple[Break, ...] = ()  # in time order, windows apart (the site model checks)

    @property
    def end_minute(self) -> int:
        """End relative to midnight of its own day (may exceed 1440)."""
        return self.start_minute + self.minutes


class Limits(Frozen):
    """Contract limits of one person (the contract merged with staff.csv overrides)."""

    min_minutes_per_week: int | None = None
    max_minutes_per_week: int | None = None
    max_days_per_week: int | None = None
    max_consecutive_days: int | None = None
    min_consecutive_days: int | None = None
    min_consecutive_days_off: int | None = None
    max_consecutive_nights: int | None = None
    max_weekends: int | None = None
    min_minutes: int | None = None
    max_minutes: int | None = None
    max_shifts: dict[str, int] = {}
    absence_credit_minutes: int = 0


LIMIT_KEYS: tuple[str, ...] = tuple(Limits.model_fields)


class Contract(Frozen):
    name: str
    limits: Limits


class Employee(Frozen):
    id: str
    tier: str
    contract: str
    name: str = ""
    hourly_cost: float = 0.0
    limits: Limits


class Request(Frozen):
    employee_id: str
    day: int  # index into the horizon (negative: a previous.csv day, see Problem)
    kind: RequestKind
    shift_id: str | None = None  # None = the whole day / any shift
    weight: int = 1


class Mentoring(Frozen):
    mentee_tiers: tuple[str, ...]
    mentor_tiers: tuple[str, ...]
    max_juniors_per_mentor: int | None = None


class Rules(Frozen):
    min_rest_minutes: int = 0
    forbidden_successions: frozenset[tuple[str, str]] = frozenset()
    mentoring: Mentoring | None = None


class Weights(Frozen):
    under_cover: int = 100
    over_cover: int = 1
    requests: int = 1
    cost: int = 0
    fairness_nights: int = 0
    fairness_weekends: int = 0
    fairness_minutes: int = 0
    service: int = 0  # per expected contact not answered within target (forecast demand)
    change: int = 1000  # per person-day changed from the published roster (`repair`)


# the hard fairness limits, in the order check lists them: key -> the figure it bounds
FAIRNESS_LIMITS: dict[str, str] = {
    "max_nights_spread": "nights",
    "max_weekends_spread": "weekends",
    "max_hours_spread": "hours",
    "max_refused_requests_spread": "refused_requests",
}


class FairnessPolicy(Frozen):
    """HR's `[fairness]`: who is compared with whom, and the largest spread (max - min within
    a group of two or more) of each figure in the period; None = no limit."""

    groups: tuple[GroupKey, ...] = ("contract", "tier")
    max_nights_spread: int | None = None
    max_weekends_spread: int | None = None
    max_hours_spread: int | None = None
    max_refused_requests_spread: int | None = None

    @property
    def has_limits(self) -> bool:
        return any(getattr(self, k) is not None for k in FAIRNESS_LIMITS)

    def group_of(self, employee: Employee) -> str:
        """The group's name, e.g. "full_time/junior" ("all" when groups is empty)."""
        return "/".join(getattr(employee, k) for k in self.groups) or "all"


class Service(Frozen):
    answer_within_seconds: float
    service_level: float
    max_occupancy: float | None = None
    shrinkage: float = 0.0
    patience_seconds: float | None = None
    max_abandon_rate: float | None = None
    staffing: Literal["pooled", "separate"] = "pooled"  # nested tiers as one pool per level


class SiteModel(Frozen):
    name: str
    interval_minutes: int | None = None
    tiers: tuple[str, ...]  # lowest to highest
    aht_seconds: dict[str, int] = {}
    mix: dict[str, float] = {}
    service: Service | None = None
    shifts: tuple[ShiftType, ...]
    contracts: dict[str, Contract]
    rules: Rules = Rules()
    weights: Weights = Weights()
    fairness: FairnessPolicy = FairnessPolicy()

    def tier_rank(self, tier: str) -> int:
        return self.tiers.index(tier)

    @property
    def has_breaks(self) -> bool:
        return any(s.breaks for s in self.shifts)

    @property
    def break_grid(self) -> int:
        """The grid breaks sit on: the demand grid, or 15 minutes with shift-slot demand."""
        return self.interval_minutes or 15

    def shift(self, shift_id: str) -> ShiftType:
        for s in self.shifts:
            if s.id == shift_id:
                return s
        raise KeyError(shift_id)


class IntervalRequirement(Frozen):
    """Headcount of one tier queue in one interval of the demand grid."""

    interval: int  # index: the interval starts at interval * interval_minutes from day 0 00:00
    tier: str
    required: int
    min_required: int = 0


class SlotRequirement(Frozen):
    """Headcount for one (day, shift) slot, the benchmark literature's form."""

    day: int
    shift_id: str
    required: int
    tier: str | None = None  # that tier or higher; None = anyone
    min_required: int = 0
    under_weight: int | None = None  # None = the model's under_cover
    over_weight: int | None = None


class Assignment(Frozen):
    employee_id: str
    day: int  # may be negative for previous.csv
    shift_id: str
    # (start, end) of each break taken, minutes after the shift's start; None = not given
    # (a roster without the `breaks` column: on duty the whole shift)
    breaks: tuple[tuple[int, int], ...] | None = None


class Published(Frozen):
    """The roster a repair starts from: days before `from_day` stay exactly as published; on
    and after it, each person-day that differs from it costs `[weights] change`."""

    assignments: tuple[Assignment, ...]
    from_day: int  # index into the horizon


class ForecastRow(Frozen):
    """Contacts of one tier queue in one interval (already split by the mix)."""

    interval: int
    tier: str
    contacts: float
    aht_seconds: int


class HistoryRow(Frozen):
    employee_id: str
    period_start: date
    nights: int = 0
    weekends: int = 0
    minutes: int = 0


class Problem(Frozen):
    """One planning period of one team, fully resolved."""

    name: str
    model: SiteModel
    start: date
    days: int
    employees: tuple[Employee, ...]
    requests: tuple[Request, ...] = ()
    forecast: tuple[ForecastRow, ...] | None = None
    interval_demand: tuple[IntervalRequirement, ...] | None = None
    slot_demand: tuple[SlotRequirement, ...] | None = None
    previous: tuple[Assignment, ...] = ()
    previous_given: bool = False  # previous.csv exists (even if nobody worked)
    # whole-day unavailable / leave rows dated on the days previous.csv covers (day < 0):
    # they count toward that week's minute limits only
    previous_absences: tuple[Request, ...] = ()
    history: tuple[HistoryRow, ...] = ()
    warnings: tuple[str, ...] = ()
    published: Published | None = None  # `repair`: the published roster and its first free day

    def date_of(self, day: int) -> date:
        return self.start + timedelta(days=day)

    def day_of(self, d: date) -> int:
        return (d - self.start).days

    def weekends(self) -> list[tuple[int, int]]:
        """(Saturday, Sunday) day indexes of each weekend with a day in the horizon (a
        Saturday before day 0 is a previous.csv day)."""
        result = []
        for d in range(self.days):
            weekday = self.date_of(d).weekday()
            if weekday == 5:
                result.append((d, d + 1))
            elif weekday == 6 and d == 0:
                result.append((-1, 0))
        return result

    def employee(self, employee_id: str) -> Employee:
        for e in self.employees:
            if e.id == employee_id:
                return e
        raise KeyError(employee_id)

    @property
    def horizon_minutes(self) -> int:
        return self.days * DAY_MINUTES

    @property
    def priced_minutes(self) -> int:
        """The end of the demand grid that coverage prices, in minutes from day 0: the
        horizon's end, or the end of the last interval demand after it (demand after the
        horizon: the morning a last-day night shift runs into)."""
        grid = self.model.interval_minutes
        last = max(
            [r.interval for r in self.interval_demand or ()]
            + [f.interval for f in self.forecast or ()],
            default=-1,
        )
        if grid is None:
            return self.horizon_minutes
        return max(self.horizon_minutes, (last + 1) * grid)


class Roster(Frozen):
    """Worked shifts of the horizon (days off are simply absent)."""

    assignments: tuple[Assignment, ...]
