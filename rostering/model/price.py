"""The coverage price of interval demand, defined once: every stage prices coverage through
this object — the model and the count plan as CP-SAT expressions, the person-by-person passes
on counts of people on duty, the column generation as the rows of its master LP.

Nested tiers: in interval i, with D>=t the demand of tier t or higher and S>=t the people on
duty of tier t or higher, unmet = max(0, max_t D>=t - S>=t), surplus = on duty - (D>=lowest -
unmet); the price is under_cover x unmet + over_cover x surplus. `min_required` floors are
hard: S>=t >= floor>=t."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from rostering.demand import pooled, targets_of, tier_queues
from rostering.domain import DAY_MINUTES, Problem
from rostering.model.variables import Expr
from rostering.staffing import service_curve

# per interval: (tier rank, price with 0, 1, 2, ... people of that rank or higher on duty)
ServiceTables = dict[int, tuple[tuple[int, tuple[int, ...]], ...]]


@dataclass(frozen=True)
class Need:
    """One interval's demand, cumulative from each tier up."""

    lowest: int  # D>=t of the lowest tier: all the work of the interval
    by_rank: tuple[tuple[int, int, int], ...]  # (tier rank, D>=t, floor>=t), highest tier first

    @property
    def levels(self) -> list[tuple[int, int]]:
        """(tier rank, D>=t) where D>=t > 0."""
        return [(rank, required) for rank, required, _ in self.by_rank if required]

    @property
    def floors(self) -> list[tuple[int, int]]:
        """(tier rank, floor>=t) where floor>=t > 0."""
        return [(rank, floor) for rank, _, floor in self.by_rank if floor]


def cumulative_demand(problem: Problem) -> dict[int, dict[str, tuple[int, int]]]:
    """interval -> tier -> (D>=t, floor>=t) from the interval requirements."""
    tiers = problem.model.tiers
    own: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for r in problem.interval_demand or ():
        own[r.interval][r.tier] = (r.required, r.min_required)
    result: dict[int, dict[str, tuple[int, int]]] = {}
    for i, by_tier in own.items():
        need = floor = 0
        cumulative: dict[str, tuple[int, int]] = {}
        for t in reversed(tiers):
            need += by_tier.get(t, (0, 0))[0]
            floor += by_tier.get(t, (0, 0))[1]
            cumulative[t] = (need, floor)
        result[i] = cumulative
    return result


_TABLES: list[tuple[Problem, ServiceTables]] = []  # the last problems' tables (stages share)


def service_tables(problem: Problem) -> ServiceTables:
    """`_service_tables(problem)`, kept for the last few problems: every stage of a solve
    prices the same problem, and the tables take Erlang's figures of every interval."""
    for known, tables in _TABLES:
        if known is problem:
            return tables
    tables = _service_tables(problem)
    _TABLES[:] = [(problem, tables), *_TABLES[:3]]
    return tables


def _service_tables(problem: Problem) -> ServiceTables:
    """The service price (`[weights] service` = N, forecast demand): in interval i, tier t's
    own contacts c_t are served by the pool of tier t or higher; with M people of that pool on
    duty Erlang fails N x c_t x (1 - SL>=t(M)) of them (rounded), SL>=t the service level
    Erlang predicts for the pooled contacts of tiers >= t (rostering.staffing.level_service).
    The price charged is that curve's lower convex envelope, rounded up (convex_price): Erlang
    C answers nothing in time at or below the offered load, a flat stretch that would make a
    hopeless interval free to strip further; the envelope charges every person taken there.
    Each table runs from M = 0 until its price is 0 (it never rises again: SL grows with M)
    or M is every person of the pool; beyond its end the last price holds."""
    weight = problem.model.weights.service
    targets = targets_of(problem)
    grid = problem.model.interval_minutes
    if not weight or problem.forecast is None or targets is None or grid is None:
        return {}
    rank = {t: n for n, t in enumerate(problem.model.tiers)}
    people = [sum(rank[e.tier] >= r for e in problem.employees) for r in range(len(rank))]
    tables: ServiceTables = {}
    for interval, by_tier in tier_queues(problem).items():
        tiers = list(by_tier)
        levels = []
        for n, tier in enumerate(tiers):
            own = by_tier[tier].contacts
            if own <= 0:
                continue
            contacts, aht = pooled([by_tier[t] for t in tiers[n:]])
            level = service_curve(contacts, aht, grid * 60, targets)
            prices: list[int] = []
            for m in range(people[rank[tier]] + 1):
                prices.append(round(weight * own * (1 - level(m))))
                if prices[-1] == 0:
                    break
            levels.append((rank[tier], convex_price(prices)))
        tables[interval] = tuple(levels)
    return tables


def hull_corners(prices: Sequence[int]) -> list[int]:
    """The corners of the lower convex hull of the points (k, prices[k])."""
    corners: list[int] = []
    for k in range(len(prices)):
        while len(corners) >= 2:
            a, b = corners[-2], corners[-1]
            # b lies on or above the line from a to k: not a corner of the lower hull
            if (prices[b] - prices[a]) * (k - a) >= (prices[k] - prices[a]) * (b - a):
                corners.pop()
            else:
                break
        corners.append(k)
    return corners


def convex_envelope(prices: Sequence[int]) -> list[float]:
    """The largest convex function at or below `prices` (points k, prices[k]), at each k."""
    corners = hull_corners(prices)
    hull: list[float] = []
    for a, b in zip(corners, corners[1:], strict=False):
        slope = (prices[b] - prices[a]) / (b - a)
        hull += [prices[a] + slope * (k - a) for k in range(a, b)]
    hull.append(float(prices[corners[-1]]))
    return hull


def convex_price(prices: Sequence[int]) -> tuple[int, ...]:
    """`prices`' lower convex envelope rounded up at each k, in exact integer arithmetic: what
    a CP-SAT price variable above each of the envelope's lines takes (service_expression)."""
    corners = hull_corners(prices)
    out: list[int] = []
    for a, b in zip(corners, corners[1:], strict=False):
        out += [-(-(prices[a] * (b - k) + prices[b] * (k - a)) // (b - a)) for k in range(a, b)]
    out.append(prices[corners[-1]])
    return tuple(out)


class IntervalPrice:
    """The price of interval demand for a problem: `needs[i]` per interval with demand (an
    interval without one prices every person on duty as over-cover), and the service price
    of forecast demand (`service`, see service_tables)."""

    def __init__(self, problem: Problem) -> None:
        weights = problem.model.weights
        self.under, self.over = weights.under_cover, weights.over_cover
        self.grid = problem.model.interval_minutes or 60
        rank = {t: n for n, t in enumerate(problem.model.tiers)}
        lowest = problem.model.tiers[0]
        self.needs: dict[int, Need] = {
            i: Need(
                by_tier[lowest][0],
                tuple((rank[t], need, floor) for t, (need, floor) in by_tier.items()),
            )
            for i, by_tier in cumulative_demand(problem).items()
        }
        self.service = service_tables(problem)

    def of_counts(self, i: int, on: Sequence[int]) -> int:
        """The price of interval i, coverage and service, with on[r] people of tier rank r
        on duty."""
        total = sum(on)
        service = sum(
            prices[min(sum(on[rank:]), len(prices) - 1)] for rank, prices in self.service.get(i, ())
        )
        need = self.needs.get(i)
        if need is None:
            return self.over * total + service
        unmet = max([0] + [required - sum(on[r:]) for r, required in need.levels])
        return self.under * unmet + self.over * (total - need.lowest + unmet) + service

    def service_expression(
        self, model: cp_model.CpModel, staffed: list[list[tuple[int, Expr]]]
    ) -> Expr:
        """The service price over the demand grid (`staffed` as in `expression`): each tier
        level's price at the people of that level on duty, as a variable above every line of
        its convex table (exact at whole people, and a tight linear relaxation)."""
        penalty: Expr = 0
        for i, levels in self.service.items():
            window = staffed[i] if i < len(staffed) else []
            for rank, prices in levels:
                on = sum(x for r, x in window if r >= rank)
                if isinstance(on, int):
                    penalty += prices[min(on, len(prices) - 1)]
                    continue
                price = model.new_int_var(prices[-1], prices[0], f"service.price[{i},{rank}]")
                corners = hull_corners(prices)
                for a, b in zip(corners, corners[1:], strict=False):
                    model.add((b - a) * price >= prices[a] * (b - on) + prices[b] * (on - a))
                penalty += price
        return penalty

    def expression(
        self,
        model: cp_model.CpModel,
        staffed: list[list[tuple[int, Expr]]],
        add_floor: Callable[[Expr, int], object],
        check: Callable[[], None] | None = None,
    ) -> Expr:
        """The price over the demand grid, given for each interval the (tier rank,
        expression) pairs of who is on duty: 0/1 per person, or a count of people of that
        tier (the count plan's). `add_floor(constraint, day)` adds a hard floor; `check()` is
        called once an interval (it may stop a long build)."""
        penalty: Expr = 0
        for i, window in enumerate(staffed):
            if check is not None:
                check()
            total = sum(x for _, x in window)
            need = self.needs.get(i)
            if need is None:
                penalty += self.over * total
                continue
            # unmet >= max(0, max_t D>=t - S>=t): minimisation makes it equal (solve()
            # polishes the last roster so that its reported price is exact); bounds keep the
            # LP strong
            unmet = model.new_int_var(0, need.lowest, f"coverage.unmet[{i}]")
            for rank, required, floor in need.by_rank:
                on = sum(x for r, x in window if r >= rank)
                if required:
                    model.add(unmet >= required - on)
                if floor:
                    add_floor(on >= floor, i * self.grid // DAY_MINUTES)
            penalty += self.under * unmet + self.over * (total - need.lowest + unmet)
        return penalty


@dataclass(frozen=True)
class SlotRow:
    """One cover.csv row: the people of tier rank `least` or higher working the shift."""

    day: int
    shift_id: str
    least: int  # -1: any tier
    required: int
    floor: int
    under: int  # price per person short
    over: int  # price per person over

    def of_count(self, count: int) -> int:
        return self.under * max(0, self.required - count) + self.over * max(
            0, count - self.required
        )


def slot_rows(problem: Problem) -> list[SlotRow]:
    """The price of shift-slot demand: each row's own weights, or the model's."""
    weights = problem.model.weights
    rank = {t: n for n, t in enumerate(problem.model.tiers)}
    return [
        SlotRow(
            r.day,
            r.shift_id,
            -1 if r.tier is None else rank[r.tier],
            r.required,
            r.min_required,
            weights.under_cover if r.under_weight is None else r.under_weight,
            weights.over_cover if r.over_weight is None else r.over_weight,
        )  # fmt: skip
        for r in problem.slot_demand or ()
    ]
