"""Read and validate a site model (`models/<site>.toml`) into a `SiteModel`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    create_model,
)

from rostering.domain import (
    LIMIT_KEYS,
    WEEKDAYS,
    Break,
    Contract,
    FairnessPolicy,
    Limits,
    Mentoring,
    Rules,
    Service,
    ShiftType,
    SiteModel,
    Weights,
)
from rostering.io.csvfile import IDENT
from rostering.io.errors import InputError
from rostering.io.tomlfile import load_toml
from rostering.model.families import LIMIT_KINDS, LimitKind

# Sane maxima: the solver's work grows with these (a rest of 10**18 minutes exhausts memory),
# and nothing beyond them means anything.
MAX_AHT_SECONDS = 86_400  # one day: keeps the staffing math fast
MAX_DAYS = 3660  # the longest horizon (instance.toml days); bounds every day-count limit
MAX_MINUTES = MAX_DAYS * 1440  # the longest horizon in minutes; bounds every minute limit
MAX_REST_MINUTES = 10_080  # one week
# prices and headcounts stay far from the solver's 64-bit objective: weights x people x
# intervals of the longest horizon must fit
MAX_WEIGHT = 1_000_000  # every weight and price: [weights], requests.csv, cover.csv
MAX_PEOPLE = 100_000  # agents or headcount per interval, tier or shift slot
MAX_SHRINKAGE = 0.9  # headcount = agents / (1 - shrinkage): at most 10 x agents
# Erlang A sums a queue whose length grows with patience and target time: an hour each keeps
# an interval's staffing within seconds; a target below a millisecond underflows
MAX_SERVICE_SECONDS = 3600  # answer_within_seconds and patience_seconds
MIN_TARGET_SECONDS = 0.001  # answer_within_seconds: 0 or at least this

Ident = Annotated[str, Field(pattern=IDENT.pattern[:-2] + "$")]
NonNeg = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(gt=0)]
DayCount = Annotated[StrictInt, Field(ge=0, le=MAX_DAYS)]
MinuteCount = Annotated[StrictInt, Field(ge=0, le=MAX_MINUTES)]
Weight = Annotated[StrictInt, Field(ge=0, le=MAX_WEIGHT)]
Fraction01 = Annotated[float, Field(ge=0, le=1)]
CLOCK = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])\Z")


class Raw(BaseModel):
    # inf and nan are valid TOML floats but no valid target, share or time
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class RawTiers(Raw):
    order: list[Ident] = Field(min_length=1)
    aht_seconds: dict[Ident, Annotated[StrictInt, Field(gt=0, le=MAX_AHT_SECONDS)]] = {}
    mix: dict[Ident, Fraction01] = {}


class RawService(Raw):
    answer_within_seconds: Annotated[float, Field(ge=0, le=MAX_SERVICE_SECONDS)]
    service_level: Annotated[float, Field(gt=0, lt=1)]
    max_occupancy: Annotated[float, Field(gt=0, le=1)] | None = None
    shrinkage: Annotated[float, Field(ge=0, le=MAX_SHRINKAGE)] = 0.0
    patience_seconds: Annotated[float, Field(gt=0, le=MAX_SERVICE_SECONDS)] | None = None
    max_abandon_rate: Annotated[float, Field(gt=0, lt=1)] | None = None
    staffing: Literal["pooled", "separate"] = "pooled"


class RawBreak(Raw):
    minutes: Annotated[StrictInt, Field(gt=0, le=1440)]
    earliest: NonNeg
    latest: NonNeg


class RawShift(Raw):
    id: Ident
    start: str
    minutes: Annotated[StrictInt, Field(gt=0, le=1440)]
    paid_minutes: NonNeg | None = None
    night: StrictBool = False
    kind: Literal["early", "day", "late", "night"] | None = None
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] | None = None
    breaks: list[RawBreak] = []


LIMIT_TYPES: dict[LimitKind, Any] = {
    "days": DayCount,
    "positive_days": Annotated[StrictInt, Field(gt=0, le=MAX_DAYS)],
    "minutes": MinuteCount,
    "shift_counts": dict[Ident, DayCount],
}
# a contract's keys and their types, from the rule families' registry; the defaults are
# domain.Limits' (None: no limit)
RawContract = create_model(  # type: ignore[call-overload]
    "RawContract",
    __base__=Raw,
    **{
        key: (
            LIMIT_TYPES[kind] | None if Limits.model_fields[key].default is None
            else LIMIT_TYPES[kind],
            Limits.model_fields[key].default,
        )
        for key, kind in LIMIT_KINDS.items()
    },
)  # fmt: skip
# the largest value of each contract limit (also for staff.csv override columns)
LIMIT_MAXIMA = {
    k: MAX_MINUTES if kind == "minutes" else MAX_DAYS for k, kind in LIMIT_KINDS.items()
}


class RawMentoring(Raw):
    mentee_tiers: list[Ident] | None = None
    mentor_tiers: list[Ident] | None = None
    max_juniors_per_mentor: Positive | None = None


class RawRules(Raw):
    min_rest_minutes: Annotated[StrictInt, Field(ge=0, le=MAX_REST_MINUTES)] = 0
    forbidden_successions: list[Annotated[list[Ident], Field(min_length=2, max_length=2)]] = []
    mentoring: RawMentoring | None = None


class RawWeights(Raw):
    under_cover: Weight = 100
    over_cover: Weight = 1
    requests: Weight = 1
    cost: Weight = 0
    fairness_nights: Weight = 0
    fairness_weekends: Weight = 0
    fairness_minutes: Weight = 0
    service: Weight = 0
    change: Weight = 1000


class RawFairness(Raw):
    groups: list[Literal["contract", "tier"]] = ["contract", "tier"]
    max_nights_spread: DayCount | None = None
    max_weekends_spread: DayCount | None = None
    max_hours_spread: Annotated[StrictInt, Field(ge=0, le=MAX_MINUTES // 60)] | None = None
    max_refused_requests_spread: Annotated[StrictInt, Field(ge=0, le=MAX_WEIGHT)] | None = None


class RawModel(Raw):
    name: str
    interval_minutes: Literal[15, 30, 60] | None = None
    tiers: RawTiers
    service: RawService | None = None
    shifts: list[RawShift] = Field(min_length=1)
    contracts: dict[Ident, RawContract] = Field(min_length=1)  # type: ignore[valid-type]
    rules: RawRules = RawRules()
    weights: RawWeights = RawWeights()
    fairness: RawFairness = RawFairness()


REQUIRED_KEYS = tuple(k for k, f in RawModel.model_fields.items() if f.is_required())


def _loc(loc: tuple[Any, ...], raw: dict[str, Any]) -> str:
    """A pydantic error location as a TOML key path, e.g. shifts[2].start (id "M1")."""
    parts: list[str] = []
    node: Any = raw
    for item in loc:
        if isinstance(item, int):
            parts[-1] += f"[{item + 1}]" if parts else f"[{item + 1}]"
            label = (
                node[item].get("id")
                if isinstance(node, list) and item < len(node) and isinstance(node[item], dict)
                else None
            )
            if label:
                parts[-1] += f" (id {label!r})"
        else:
            parts.append(str(item))
        try:
            node = node[item]
        except (KeyError, IndexError, TypeError):
            node = None
    return ".".join(parts)


def _explain(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "string_pattern_mismatch":
        return f"{error['input']!r} is not an identifier (letters, digits, _ . -)"
    if kind == "literal_error":
        return f"{error['input']!r} is not accepted; expected {error['ctx']['expected']}"
    return f"{error['msg']} (got {error['input']!r})"


def _inner_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class inside an annotation, and whether it sits in a list or dict."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    container = get_origin(annotation) in (list, dict)
    for arg in get_args(annotation):
        model, inner_container = _inner_model(arg)
        if model is not None:
            return model, container or inner_container
    return None, False


def _accepted_keys(loc: tuple[Any, ...]) -> str:
    """The key names accepted beside the unknown key at `loc`."""
    model: type[BaseModel] | None = RawModel
    skip = False
    for item in loc[:-1]:
        if skip:  # a list index or a dict key (a contract name)
            skip = False
            continue
        field = model.model_fields.get(str(item)) if model else None
        if field is None:
            return ""
        model, skip = _inner_model(field.annotation)
    return "; accepted: " + ", ".join(model.model_fields) if model else ""


def _clock(text: str, path: Path, key: str) -> int:
    match = CLOCK.match(text)
    if not match:
        raise InputError(f"{path}: {key}: {text!r} is not a clock time HH:MM (00:00 to 23:59)")
    return int(match.group(1)) * 60 + int(match.group(2))


def _breaks(shift: RawShift, grid: int, path: Path, key: str) -> tuple[Break, ...]:
    """A shift type's breaks, checked: inside the shift, on the grid, in time order and never
    overlapping whatever starts they take (so a roster's breaks match them in order)."""
    result: list[Break] = []
    for n, b in enumerate(shift.breaks, start=1):
        where = f"{path}: {key}.breaks[{n}]"
        if b.minutes >= shift.minutes:
            raise InputError(
                f"{where}: a break of {b.minutes} minutes is not shorter than the shift "
                f"({shift.minutes} minutes)"
            )
        if b.earliest > b.latest:
            raise InputError(f"{where}: earliest {b.earliest} is after latest {b.latest}")
        if b.earliest < 1 or b.latest + b.minutes >= shift.minutes:
            raise InputError(
                f"{where}: the window {b.earliest}..{b.latest} (minutes after the start) "
                f"with {b.minutes} minutes of break is outside the shift; accepted: earliest "
                f">= 1 and latest + minutes < {shift.minutes}"
            )
        if b.minutes % grid or b.earliest % grid or b.latest % grid:
            raise InputError(
                f"{where}: minutes {b.minutes}, earliest {b.earliest} and latest {b.latest} "
                f"must sit on the {grid}-minute grid"
            )
        if result and b.earliest < result[-1].latest + result[-1].minutes:
            raise InputError(
                f"{where}: earliest {b.earliest} is before the end of break {n - 1} at its "
                f"latest ({result[-1].latest + result[-1].minutes}); breaks are listed in "
                "time order and may not overlap"
            )
        result.append(Break(minutes=b.minutes, earliest=b.earliest, latest=b.latest))
    return tuple(result)


def read_site_model(path: Path) -> SiteModel:
    """Parse and validate a site model; every mistake is an InputError naming the key."""
    raw = load_toml(path)
    if sum(key in raw for key in REQUIRED_KEYS) < 2:
        # not a site model (some other TOML file): name none of its keys or values
        raise InputError(
            f"{path}: not a site model: expected the keys {', '.join(REQUIRED_KEYS)} "
            "(its content is not shown)"
        )
    try:
        parsed = RawModel.model_validate(raw)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            extra = _accepted_keys(loc) if error["type"] == "extra_forbidden" else ""
            lines.append(f"{path}: {_loc(loc, raw)}: {_explain(dict(error))}{extra}")
        raise InputError(*lines) from None
    return _resolve(parsed, path)


def _check_tiers(names: list[str] | dict[str, Any], order: list[str], path: Path, key: str) -> None:
    for name in names:
        if name not in order:
            raise InputError(f"{path}: {key}: unknown tier {name!r}; tiers: {', '.join(order)}")


def _resolve(raw: RawModel, path: Path) -> SiteModel:
    order = raw.tiers.order
    if len(set(order)) != len(order):
        raise InputError(f"{path}: tiers.order: a tier is listed twice")
    _check_tiers(raw.tiers.aht_seconds, order, path, "tiers.aht_seconds")
    _check_tiers(raw.tiers.mix, order, path, "tiers.mix")
    if raw.tiers.mix and abs(sum(raw.tiers.mix.values()) - 1) > 1e-9:
        raise InputError(
            f"{path}: tiers.mix: shares add up to {sum(raw.tiers.mix.values()):g}, not 1"
        )
    shifts: list[ShiftType] = []
    for i, s in enumerate(raw.shifts, start=1):
        key = f"shifts[{i}] (id {s.id!r})"
        if any(t.id == s.id for t in shifts):
            raise InputError(f"{path}: {key}: shift id {s.id!r} appears twice")
        start = _clock(s.start, path, f"{key}.start")
        paid = s.minutes if s.paid_minutes is None else s.paid_minutes
        if paid > s.minutes:
            raise InputError(f"{path}: {key}.paid_minutes: {paid} exceeds minutes {s.minutes}")
        if raw.interval_minutes and (
            start % raw.interval_minutes or s.minutes % raw.interval_minutes
        ):
            raise InputError(
                f"{path}: {key}: start {s.start} and minutes {s.minutes} must sit on the "
                f"{raw.interval_minutes}-minute grid (interval_minutes)"
            )
        weekdays = (
            frozenset(range(7)) if s.days is None else frozenset(WEEKDAYS.index(d) for d in s.days)
        )
        shifts.append(
            ShiftType(
                id=s.id,
                start_minute=start,
                minutes=s.minutes,
                paid_minutes=paid,
                night=s.night,
                kind=s.kind,
                weekdays=weekdays,
                breaks=_breaks(s, raw.interval_minutes or 15, path, key),
            )
        )
    shift_ids = [s.id for s in shifts]
    contracts: dict[str, Contract] = {}
    for name, c in raw.contracts.items():
        values = c.model_dump()
        for sid in values["max_shifts"]:
            if sid not in shift_ids:
                raise InputError(
                    f"{path}: contracts.{name}.max_shifts: unknown shift {sid!r}; "
                    f"shifts: {', '.join(shift_ids)}"
                )
        contracts[name] = Contract(name=name, limits=Limits(**{k: values[k] for k in LIMIT_KEYS}))
    for a, b in raw.rules.forbidden_successions:
        for sid in (a, b):
            if sid not in shift_ids:
                raise InputError(
                    f"{path}: rules.forbidden_successions: unknown shift {sid!r}; "
                    f"shifts: {', '.join(shift_ids)}"
                )
    mentoring = None
    if raw.rules.mentoring is not None:
        m = raw.rules.mentoring
        mentees = m.mentee_tiers if m.mentee_tiers is not None else order[:1]
        mentors = (
            m.mentor_tiers if m.mentor_tiers is not None else [t for t in order if t not in mentees]
        )
        _check_tiers(mentees, order, path, "rules.mentoring.mentee_tiers")
        _check_tiers(mentors, order, path, "rules.mentoring.mentor_tiers")
        if set(mentees) & set(mentors) or not mentors:
            raise InputError(
                f"{path}: rules.mentoring: mentor_tiers must be non-empty "
                "and share no tier with mentee_tiers"
            )
        mentoring = Mentoring(
            mentee_tiers=tuple(mentees),
            mentor_tiers=tuple(mentors),
            max_juniors_per_mentor=m.max_juniors_per_mentor,
        )
    service = None
    if raw.service is not None:
        if raw.service.max_abandon_rate is not None and raw.service.patience_seconds is None:
            raise InputError(f"{path}: service.max_abandon_rate: needs service.patience_seconds")
        if 0 < raw.service.answer_within_seconds < MIN_TARGET_SECONDS:
            raise InputError(
                f"{path}: service.answer_within_seconds: {raw.service.answer_within_seconds!r} "
                f"is below {MIN_TARGET_SECONDS} s; use 0 or at least {MIN_TARGET_SECONDS}"
            )
        service = Service(**raw.service.model_dump())
    if len(set(raw.fairness.groups)) != len(raw.fairness.groups):
        raise InputError(
            f"{path}: fairness.groups: a key is listed twice; accepted: contract, tier"
        )
    return SiteModel(
        name=raw.name,
        interval_minutes=raw.interval_minutes,
        tiers=tuple(order),
        aht_seconds=dict(raw.tiers.aht_seconds),
        mix=dict(raw.tiers.mix),
        service=service,
        shifts=tuple(shifts),
        contracts=contracts,
        rules=Rules(
            min_rest_minutes=raw.rules.min_rest_minutes,
            forbidden_successions=frozenset((a, b) for a, b in raw.rules.forbidden_successions),
            mentoring=mentoring,
        ),
        weights=Weights(**raw.weights.model_dump()),
        fairness=FairnessPolicy(**raw.fairness.model_dump()),
    )
