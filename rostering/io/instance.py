"""Read an instance directory (`instances/<name>/`) into a resolved `Problem`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from rostering.domain import (
    DAY_MINUTES,
    LIMIT_KEYS,
    Assignment,
    Employee,
    ForecastRow,
    HistoryRow,
    IntervalRequirement,
    Limits,
    Problem,
    Request,
    SiteModel,
    SlotRequirement,
)
from rostering.io.csvfile import IDENT, Row, read_csv
from rostering.io.errors import InputError
from rostering.io.grid import is_grid, read_grid
from rostering.io.paths import allowed_roots, inside
from rostering.io.safe import lexists
from rostering.io.site_model import (
    LIMIT_MAXIMA,
    MAX_AHT_SECONDS,
    MAX_DAYS,
    MAX_PEOPLE,
    MAX_WEIGHT,
    read_site_model,
)
from rostering.io.tomlfile import load_toml

DEMAND_FILES = ("forecast.csv", "requirements.csv", "cover.csv")
INSTANCE_KEYS = ("model", "start", "days")
ROSTER_COLUMNS = ("employee_id", "date", "shift_id")
# a roster.csv read back as previous.csv: its breaks are accepted and not used (previous.csv's
# shifts count on duty for all of their hours inside the horizon)
ROSTER_OPTIONAL = ("start", "end", "tier", "breaks")
INT_LIMITS = tuple(k for k in LIMIT_KEYS if k != "max_shifts")
# Sane limits. The calendar window keeps every date arithmetic (previous.csv, weeks, shifts
# crossing midnight) far from year 1 and 9999; previous.csv reaches back at most MAX_DAYS
# (rules scan every day from its first date); the staffing math runs in time proportional to
# the agents it needs, so forecast rows are capped in volume, handling time and agents.
FIRST_START, LAST_START = date(1900, 1, 1), date(2999, 12, 31)
MAX_CONTACTS = 1_000_000  # per forecast row (interval and tier)
MAX_AGENTS = MAX_PEOPLE  # contacts x aht / interval seconds / max_occupancy, per interval, tier
MAX_HISTORY = 10**9  # nights, weekends or minutes of one history.csv row


def read_instance_toml(path: Path, allow: Sequence[Path] = ()) -> tuple[Path, date, int]:
    """The site model path, start date and length of an instance.toml. The model must lie
    in the instance's folder, in a models/ folder beside the folder holding it, or in a
    folder of `allow` (--allow-path)."""
    raw = load_toml(path)
    if not any(key in raw for key in INSTANCE_KEYS):
        raise InputError(
            f"{path}: not an instance.toml: none of the keys {', '.join(INSTANCE_KEYS)} "
            "(its content is not shown)"
        )
    for key in raw:
        if key not in INSTANCE_KEYS:
            raise InputError(f"{path}: {key}: unknown key; accepted: {', '.join(INSTANCE_KEYS)}")
    for key in INSTANCE_KEYS:
        if key not in raw:
            raise InputError(f"{path}: {key}: required key is missing")
    model, start, days = raw["model"], raw["start"], raw["days"]
    if not isinstance(model, str) or not model:
        raise InputError(f"{path}: model: expected a path to the site model (a string)")
    if "\x00" in model:
        raise InputError(f"{path.parent / model}: not a valid file name")
    if not inside(path.parent / model, allowed_roots(path.parent, allow)):
        raise InputError(
            f"{path}: model: {model!r} lies outside the instance's folder and the models/ "
            "folder beside the folder holding it; pass --allow-path DIR to read it from DIR"
        )
    if isinstance(start, str):
        try:
            start = date.fromisoformat(start)
        except ValueError:
            raise InputError(f"{path}: start: {start!r} is not a date YYYY-MM-DD") from None
    if not isinstance(start, date) or isinstance(start, datetime):
        raise InputError(f"{path}: start: expected a date YYYY-MM-DD")
    if not FIRST_START <= start <= LAST_START:
        raise InputError(f"{path}: start: {start} is not a date from {FIRST_START} to {LAST_START}")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise InputError(f"{path}: days: expected a whole number of days from 1 to {MAX_DAYS}")
    return (path.parent / model), start, days


def load_problem(directory: Path, allow: Sequence[Path] = ()) -> Problem:
    """Load and validate every file of an instance directory; `allow`: folders besides the
    instance's own and models/ beside it that its site model may come from (--allow-path)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError(f"{directory}: not an instance directory (expected instance.toml inside)")
    model_path, start, days = read_instance_toml(directory / "instance.toml", allow)
    model = read_site_model(model_path)
    loader = _Loader(directory, model, start, days)
    return loader.load()


class _Loader:
    def __init__(self, directory: Path, model: SiteModel, start: date, days: int) -> None:
        self.dir = directory
        self.model = model
        self.start = start
        self.days = days
        self.warnings: list[str] = []
        self.shift_ids = [s.id for s in model.shifts]
        self.reach = demand_reach(model, start, days)

    # -- helpers -------------------------------------------------------------
    def day_index(self, row: Row, column: str) -> int:
        return (row.date(column) - self.start).days

    def tier(self, row: Row, column: str = "tier") -> str:
        value = row.get(column)
        if value not in self.model.tiers:
            raise row.fail(column, f"unknown tier {value!r}; tiers: {', '.join(self.model.tiers)}")
        return value

    def shift(self, row: Row, column: str = "shift_id", *, allow_empty: bool = False) -> str | None:
        value = row.get(column)
        if value == "" and allow_empty:
            return None
        if value not in self.shift_ids:
            raise row.fail(column, f"unknown shift {value!r}; shifts: {', '.join(self.shift_ids)}")
        return value

    def interval(self, row: Row, column: str = "start") -> int:
        grid = self.model.interval_minutes
        if grid is None:
            raise InputError(
                f"{row.path}: interval demand needs interval_minutes in the site model"
            )
        moment = row.datetime(column)
        offset = moment - datetime.combine(self.start, datetime.min.time())
        minutes = int(offset.total_seconds()) // 60
        if minutes % grid:
            raise row.fail(column, f"{row.get(column)} is not on the {grid}-minute grid")
        if minutes < 0:
            raise row.fail(column, f"{row.get(column)} is before the start {self.start}")
        if minutes + grid > self.reach:
            last = self.start + timedelta(days=self.days - 1)
            end = datetime.combine(self.start, datetime.min.time()) + timedelta(minutes=self.reach)
            why = (
                f"the end of the latest shift that can start on {last}"
                if self.reach > self.days * DAY_MINUTES
                else f"the horizon's end (no shift starting on {last} runs later)"
            )
            raise row.fail(
                column,
                f"{row.get(column)} is past the horizon {self.start}..{last} and its reach: "
                f"demand may run to {end:%Y-%m-%dT%H:%M}, {why}",
            )
        return minutes // grid

    # -- files ---------------------------------------------------------------
    def load(self) -> Problem:
        employees = self.staff()
        ids = {e.id: e for e in employees}
        present = [f for f in DEMAND_FILES if lexists(self.dir / f)]
        if len(present) != 1:
            found = ", ".join(present) if present else "none"
            raise InputError(
                f"{self.dir}: expected exactly one demand file of {', '.join(DEMAND_FILES)}; "
                f"found {found}"
            )
        forecast = interval_demand = slot_demand = None
        if present[0] == "forecast.csv":
            forecast = self.forecast(self.dir / "forecast.csv")
        elif present[0] == "requirements.csv":
            interval_demand = self.requirements(self.dir / "requirements.csv")
        else:
            slot_demand = self.cover(self.dir / "cover.csv")
        if self.model.weights.service and forecast is None:
            raise InputError(
                f"{self.dir / present[0]}: weights.service prices forecast contacts, and "
                f"{model_key(self.model)} sets it; give forecast.csv or set it to 0"
            )
        requests: tuple[Request, ...] = ()
        absences: tuple[Request, ...] = ()
        if lexists(self.dir / "requests.csv"):
            requests, absences = self.requests(ids, lexists(self.dir / "previous.csv"))
        previous = self.previous(ids) if lexists(self.dir / "previous.csv") else ()
        history = self.history(ids) if lexists(self.dir / "history.csv") else ()
        return Problem(
            name=self.dir.resolve().name,
            model=self.model,
            start=self.start,
            days=self.days,
            employees=tuple(employees),
            requests=requests,
            forecast=forecast,
            interval_demand=interval_demand,
            slot_demand=slot_demand,
            previous=previous,
            previous_given=lexists(self.dir / "previous.csv"),
            previous_absences=absences,
            history=history,
            warnings=tuple(self.warnings),
        )

    def staff(self) -> list[Employee]:
        path = self.dir / "staff.csv"
        optional = ("name", "hourly_cost", *LIMIT_KEYS)
        employees: list[Employee] = []
        seen: dict[str, int] = {}
        for row in read_csv(path, ("employee_id", "tier", "contract"), optional):
            eid = row.ident("employee_id")
            if eid in seen:
                raise row.fail("employee_id", f"{eid!r} already appears on line {seen[eid]}")
            seen[eid] = row.line
            tier = self.tier(row)
            contract_name = row.get("contract")
            contract = self.model.contracts.get(contract_name)
            if contract is None:
                raise row.fail(
                    "contract",
                    f"unknown contract {contract_name!r}; contracts: "
                    f"{', '.join(self.model.contracts)}",
                )
            limits: dict[str, Any] = contract.limits.model_dump()
            for key in INT_LIMITS:
                if row.get(key) != "":
                    limits[key] = row.integer(key, maximum=LIMIT_MAXIMA[key])
            if row.get("max_shifts") != "":
                limits["max_shifts"] = {**limits["max_shifts"], **self.max_shifts(row)}
            cost = (
                row.number("hourly_cost", maximum=MAX_WEIGHT)
                if row.get("hourly_cost") != ""
                else 0.0
            )
            employees.append(
                Employee(
                    id=eid,
                    tier=tier,
                    contract=contract_name,
                    name=row.get("name"),
                    hourly_cost=cost,
                    limits=Limits(**limits),
                )
            )
        if not employees:
            raise InputError(f"{path}: no employees; add one row per person")
        return employees

    def max_shifts(self, row: Row) -> dict[str, int]:
        result: dict[str, int] = {}
        for part in row.get("max_shifts").split("|"):
            sid, sep, value = part.strip().partition("=")
            value = value.strip()
            # isdigit() alone lets "²" through to int(); 9 digits keep int() fast
            if (
                not sep
                or sid.strip() not in self.shift_ids
                or not (value.isascii() and value.isdigit() and len(value) <= 9)
                or int(value) > MAX_DAYS
            ):
                raise row.fail(
                    "max_shifts",
                    f"{part!r} is not SHIFT=N with a known shift ({', '.join(self.shift_ids)}) "
                    f"and N from 0 to {MAX_DAYS}, e.g. N1=2|D=0",
                )
            result[sid.strip()] = int(value)
        return result

    def forecast(self, path: Path) -> tuple[ForecastRow, ...]:
        model = self.model
        if model.service is None:
            raise InputError(
                f"{path}: needs a [service] table in {model_key(model)} (staffing targets)"
            )
        rows: dict[tuple[int, str], ForecastRow] = {}
        # contacts_low, contacts_high: the prediction interval `rostering forecast` writes
        optional = ("tier", "aht_seconds", "contacts_low", "contacts_high")
        for row in read_csv(path, ("start", "contacts"), optional):
            interval = self.interval(row)
            contacts = row.number("contacts")
            if contacts > MAX_CONTACTS:
                raise row.fail("contacts", f"{row.get('contacts')} is above the maximum "
                               f"{MAX_CONTACTS:,} contacts per interval")  # fmt: skip
            aht = row.integer("aht_seconds", minimum=1) if row.get("aht_seconds") else None
            if aht is not None and aht > MAX_AHT_SECONDS:
                raise row.fail("aht_seconds", f"{aht} is above the maximum {MAX_AHT_SECONDS:,}")
            if row.get("tier"):
                shares = {self.tier(row): 1.0}
            elif model.mix:
                shares = dict(model.mix)
            else:
                raise row.fail("tier", "empty, and the site model has no tiers.mix to split by")
            for tier, share in shares.items():
                tier_aht = aht if aht is not None else model.aht_seconds.get(tier)
                if tier_aht is None:
                    raise row.fail(
                        "aht_seconds",
                        f"empty, and the site model has no tiers.aht_seconds for {tier!r}",
                    )
                key = (interval, tier)
                if key in rows:
                    raise row.fail("start", f"a second forecast for {row.get('start')} tier {tier}")
                self.check_agents(row, contacts * share, tier_aht, tier)
                rows[key] = ForecastRow(
                    interval=interval, tier=tier, contacts=contacts * share, aht_seconds=tier_aht
                )
        return tuple(
            rows[k] for k in sorted(rows, key=lambda k: (k[0], self.model.tier_rank(k[1])))
        )

    def check_agents(self, row: Row, contacts: float, aht: int, tier: str) -> None:
        """At most MAX_AGENTS on the phones at once: the staffing math stays fast."""
        assert self.model.service is not None and self.model.interval_minutes is not None
        occupancy = self.model.service.max_occupancy or 1.0
        agents = contacts * aht / (self.model.interval_minutes * 60) / occupancy
        if agents > MAX_AGENTS:
            raise row.fail(
                "contacts",
                f"{contacts:g} contacts of {aht} s for tier {tier} need over {MAX_AGENTS:,} "
                f"agents at max_occupancy {occupancy:g}; at most {MAX_AGENTS:,} are supported",
            )

    def requirements(self, path: Path) -> tuple[IntervalRequirement, ...]:
        rows: dict[tuple[int, str], IntervalRequirement] = {}
        for row in read_csv(
            path, ("start", "tier", "required"), ("min_required",) + STAFFING_EXTRA
        ):
            interval = self.interval(row)
            tier = self.tier(row)
            required = row.integer("required", maximum=MAX_PEOPLE)
            floor = row.integer("min_required", default=0, maximum=MAX_PEOPLE)
            if (interval, tier) in rows:
                raise row.fail("start", f"a second row for {row.get('start')} tier {tier}")
            rows[(interval, tier)] = IntervalRequirement(
                interval=interval, tier=tier, required=required, min_required=floor
            )
        return tuple(
            rows[k] for k in sorted(rows, key=lambda k: (k[0], self.model.tier_rank(k[1])))
        )

    def cover(self, path: Path) -> tuple[SlotRequirement, ...]:
        optional = ("tier", "min_required", "under_weight", "over_weight")
        rows: dict[tuple[int, str, str | None], SlotRequirement] = {}
        for row in read_csv(path, ("date", "shift_id", "required"), optional):
            day = self.day_index(row, "date")
            if not 0 <= day < self.days:
                raise row.fail("date", f"{row.get('date')} is outside the horizon")
            sid = self.shift(row)
            assert sid is not None
            tier = self.tier(row) if row.get("tier") else None
            key = (day, sid, tier)
            if key in rows:
                raise row.fail("date", f"a second row for {row.get('date')} shift {sid}")
            rows[key] = SlotRequirement(
                day=day,
                shift_id=sid,
                required=row.integer("required", maximum=MAX_PEOPLE),
                tier=tier,
                min_required=row.integer("min_required", default=0, maximum=MAX_PEOPLE),
                under_weight=row.optional_integer("under_weight", maximum=MAX_WEIGHT),
                over_weight=row.optional_integer("over_weight", maximum=MAX_WEIGHT),
            )
        return tuple(rows.values())

    def requests(
        self, ids: dict[str, Employee], with_previous: bool
    ) -> tuple[tuple[Request, ...], tuple[Request, ...]]:
        """The horizon's requests, and the whole-day unavailable / leave rows dated on the
        days previous.csv covers (the start's ISO week before the start)."""
        path = self.dir / "requests.csv"
        result: list[Request] = []
        absences: list[Request] = []
        kinds = ("on", "off", "unavailable", "leave", "fixed")
        first_covered = -self.start.weekday() if with_previous else 0
        for row in read_csv(path, ("employee_id", "date", "kind"), ("shift_id", "weight")):
            eid = self.employee(row, ids)
            day = self.day_index(row, "date")
            kind = row.choice("kind", kinds)
            sid = self.shift(row, allow_empty=True)
            weight = row.integer("weight", default=1, maximum=MAX_WEIGHT)
            if kind == "leave" and sid is not None:
                raise row.fail(
                    "shift_id", f"{sid!r}: leave is for the whole day; leave shift_id empty"
                )
            whole_day_absence = kind in ("unavailable", "leave") and sid is None
            if first_covered <= day < 0 and whole_day_absence:
                absences.append(Request(employee_id=eid, day=day, kind=kind))  # type: ignore[arg-type]
                continue
            if not 0 <= day < self.days:
                self.warnings.append(
                    f"{row.path}:{row.line}: request dated {row.get('date')} is outside the "
                    "horizon; ignored"
                )
                continue
            result.append(Request(employee_id=eid, day=day, kind=kind, shift_id=sid, weight=weight))  # type: ignore[arg-type]
        return tuple(result), tuple(absences)

    def employee(self, row: Row, ids: dict[str, Employee]) -> str:
        eid = row.get("employee_id")
        if eid not in ids:
            raise row.fail("employee_id", f"unknown employee {eid!r}; not in staff.csv")
        return eid

    def previous(self, ids: dict[str, Employee]) -> tuple[Assignment, ...]:
        path = self.dir / "previous.csv"
        if is_grid(path):
            return self.previous_grid(path, ids)
        result: list[Assignment] = []
        skipped: set[str] = set()
        for row in read_csv(path, ROSTER_COLUMNS, ROSTER_OPTIONAL):
            eid = row.ident("employee_id")
            day = self.day_index(row, "date")
            sid = self.shift(row)
            assert sid is not None
            if day >= 0:
                raise row.fail("date", f"{row.get('date')} is not before the start {self.start}")
            if day < -MAX_DAYS:
                raise row.fail(
                    "date", f"{row.get('date')} is more than {MAX_DAYS} days before the start "
                    f"{self.start}; previous.csv holds the period just before"
                )  # fmt: skip
            if eid not in ids:
                skipped.add(eid)
                continue
            result.append(Assignment(employee_id=eid, day=day, shift_id=sid))
        for eid in sorted(skipped):
            self.warnings.append(f"{path}: employee {eid!r} is no longer in staff.csv; skipped")
        return tuple(result)

    def previous_grid(self, path: Path, ids: dict[str, Employee]) -> tuple[Assignment, ...]:
        """previous.csv in the grid form: the same rules as the long form, errors per cell."""
        grid = read_grid(path)
        for day, where in grid.dates:
            offset = (day - self.start).days
            if offset >= 0:
                raise InputError(f"{where}: {day} is not before the start {self.start}")
            if offset < -MAX_DAYS:
                raise InputError(
                    f"{where}: {day} is more than {MAX_DAYS} days before the start {self.start}; "
                    "previous.csv holds the period just before"
                )
        result: list[Assignment] = []
        for cell in grid.cells:
            if cell.shift_id not in self.shift_ids:
                raise InputError(
                    f"{cell.where} (employee {cell.employee_id}): unknown shift "
                    f"{cell.shift_id!r}; shifts: {', '.join(self.shift_ids)}"
                )
            if cell.employee_id in ids:
                offset = (cell.date - self.start).days
                result.append(Assignment(employee_id=cell.employee_id, day=offset,
                                         shift_id=cell.shift_id))  # fmt: skip
        for eid in sorted(e for e, _ in grid.employees if e not in ids):
            self.warnings.append(f"{path}: employee {eid!r} is no longer in staff.csv; skipped")
        return tuple(result)

    def history(self, ids: dict[str, Employee]) -> tuple[HistoryRow, ...]:
        path = self.dir / "history.csv"
        result: list[HistoryRow] = []
        for row in read_csv(path, ("employee_id", "period_start", "nights", "weekends", "minutes")):
            eid = self.employee(row, ids)
            period = row.date("period_start")
            if period >= self.start:
                self.warnings.append(
                    f"{row.path}:{row.line}: period_start {period} is not before the start "
                    f"{self.start}; ignored (history holds earlier periods only)"
                )
                continue
            result.append(
                HistoryRow(
                    employee_id=eid,
                    period_start=row.date("period_start"),
                    nights=row.integer("nights", maximum=MAX_HISTORY),
                    weekends=row.integer("weekends", maximum=MAX_HISTORY),
                    minutes=row.integer("minutes", maximum=MAX_HISTORY),
                )
            )
        return tuple(result)


def demand_reach(model: SiteModel, start: date, days: int) -> int:
    """How far interval demand may run, in minutes from the start: the end of the latest
    shift that can start on the horizon's last day, and at least the horizon's end."""
    weekday = (start + timedelta(days=days - 1)).weekday()
    ends = [s.end_minute for s in model.shifts if weekday in s.weekdays]
    return max(days * DAY_MINUTES, (days - 1) * DAY_MINUTES + max(ends, default=0))


STAFFING_EXTRA = (
    "contacts",
    "aht_seconds",
    "agents",
    "service_level",
    "asa_seconds",
    "occupancy",
    "abandon_rate",
    "pooled_required",
)


def model_key(model: SiteModel) -> str:
    return f"site model {model.name!r}"


__all__ = ["load_problem", "read_instance_toml", "IDENT"]
