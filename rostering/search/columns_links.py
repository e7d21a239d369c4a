"""What links people, as linear rows over their schedules: the rows of column generation's
master (rostering.search.columns).

Every constraint or price that involves more than one person is a sum over people of what
each one's shifts contribute, so a schedule (a column) is a vector of contributions:

- shift-slot demand (cover.csv): one row per slot, `counted + under - over = required`;
- interval demand (forecast, demand.csv): for each interval and tier level t, `on duty of
  tier t or higher + unmet >= D>=t`, one `unmet` per interval priced under + over weight;
  the over-cover weight of each interval on duty is the shift's own (`extra`), less a
  constant (rostering.model.rules.coverage: under x unmet + over x (on duty - D + unmet));
- mentoring: for each stretch between shift boundaries, `ratio x mentors - mentees >= 0`,
  hard;
- coverage floors (min_required): `counted >= floor`, hard;
- the service price of an interval and tier level (rostering.model.price.service_tables),
  a non-increasing price p(M) of the M people of that level on duty: `on duty - z_1 - ...
  - z_K >= 0`, one z_k per segment of p's lower convex envelope, 0 <= z_k <= its people,
  priced -(its saving per person), plus p(0) constant. p is that envelope rounded up at
  whole people (model.price.convex_price): the LP prices at most one unit less per row, a
  relaxation, so the bound holds.

People on duty from previous.csv are constants: they move the right-hand sides.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rostering.model.price import hull_corners
from rostering.model.variables import Variables
from rostering.search.marginal_price import IntervalCover, Key, MentorWatch, SlotCover

SLOT, LEVEL, HARD, SERVICE = "slot", "level", "hard", "service"


@dataclass
class Row:
    kind: str  # SLOT (==, under and over slacks), LEVEL (>=, its group's unmet), HARD (>=),
    # SERVICE (>=, its steps)
    rhs: int
    under: int = 0  # SLOT: weights of the two slacks
    over: int = 0
    group: int = -1  # LEVEL: the interval whose `unmet` it shares
    prices: tuple[int, ...] = ()  # SERVICE: p(M) for M people of the level on duty

    @property
    def segments(self) -> list[tuple[int, float]]:
        """SERVICE: the lower convex envelope of p (the tightest convex price below it) as
        (people, saving per person) from one corner to the next, the savings falling."""
        corners = hull_corners(self.prices)
        return [
            (b - a, (self.prices[a] - self.prices[b]) / (b - a))
            for a, b in zip(corners, corners[1:], strict=False)
        ]


@dataclass
class Links:
    rows: list[Row] = field(default_factory=list)
    group_cost: list[int] = field(default_factory=list)  # the price of one unit of unmet
    terms: dict[Key, list[tuple[int, int]]] = field(default_factory=dict)  # (row, coefficient)
    extra: dict[Key, int] = field(default_factory=dict)  # a shift's own share of the price
    constant: int = 0  # the rest of the price, whatever the roster

    def _add(self, row: Row) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def slack_bound(self, duals: list[float]) -> float:
        """The least the SERVICE rows' segments add to the Lagrangian at these duals: each
        segment z in [0, people] priced (dual - saving) per person is taken whole where that
        is below zero."""
        return sum(
            people * min(0.0, duals[n] - saving)
            for n, row in enumerate(self.rows)
            if row.kind == SERVICE
            for people, saving in row.segments
        )

    def clip(self, duals: list[float]) -> list[float]:
        """The nearest duals the Lagrangian bound holds for: no slack priced below zero."""
        out = list(duals)
        groups: dict[int, list[int]] = defaultdict(list)
        for n, row in enumerate(self.rows):
            if row.kind == SLOT:
                out[n] = min(row.under, max(-row.over, out[n]))
            else:
                out[n] = max(0.0, out[n])
                if row.kind == LEVEL:
                    groups[row.group].append(n)
        for g, members in groups.items():
            total = sum(out[n] for n in members)
            if total > self.group_cost[g]:
                for n in members:
                    out[n] *= self.group_cost[g] / total
        return out


def links_of(v: Variables) -> Links:
    links = Links()
    links.terms = {key: [] for key in v.x}
    links.extra = dict.fromkeys(v.x, 0)
    if v.problem.slot_demand is not None:
        _slots(v, links)
    elif v.problem.interval_demand is not None:
        _intervals(v, links)
    if v.problem.model.rules.mentoring is not None:
        _mentoring(v, links)
    return links


def _slots(v: Variables, links: Links) -> None:
    cover = SlotCover(v.problem)
    floors: dict[int, int] = {}
    for n, row in enumerate(cover.rows):
        links._add(Row(SLOT, row.required, row.under, row.over))
        if row.floor:
            floors[n] = links._add(Row(HARD, row.floor))
    for key in v.x:
        for n in cover.rows_of(*key):
            links.terms[key].append((n, 1))
            if n in floors:
                links.terms[key].append((floors[n], 1))


def _intervals(v: Variables, links: Links) -> None:
    cover = IntervalCover(v)
    weights = v.problem.model.weights
    fixed = cover.on_duty  # previous.csv's people, per interval and tier rank
    level_rows: dict[tuple[int, int], int] = {}  # (interval, rank) -> row
    for i, need in sorted(cover.cost.needs.items()):
        links.constant -= weights.over_cover * need.lowest
        group = len(links.group_cost)
        links.group_cost.append(weights.under_cover + weights.over_cover)
        for rank, required in need.levels:
            rhs = required - sum(fixed[i][rank:])
            if rhs > 0:
                level_rows[i, rank] = links._add(Row(LEVEL, rhs, group=group))
    links.constant += weights.over_cover * sum(sum(on) for on in fixed)
    floors = _interval_floors(v, cover, links)
    service: dict[tuple[int, int], int] = {}
    for i, levels in cover.cost.service.items():
        for rank, prices in levels:
            present = sum(fixed[i][rank:]) if i < len(fixed) else 0
            left = prices[min(present, len(prices) - 1) :]  # what people beyond them save
            links.constant += left[0]
            if len(left) > 1:
                service[i, rank] = links._add(Row(SERVICE, 0, prices=left))
    for key in v.x:
        rank = cover.ranks[key[0]]
        for i in cover.windows.covering.get(key, ()):
            links.extra[key] += weights.over_cover
            for r in range(rank + 1):
                for table in (level_rows, floors, service):
                    if (i, r) in table:
                        links.terms[key].append((table[i, r], 1))


def _interval_floors(
    v: Variables, cover: IntervalCover, links: Links
) -> dict[tuple[int, int], int]:
    rows: dict[tuple[int, int], int] = {}
    for i, need in cover.cost.needs.items():
        for rank, floor in need.floors:
            rhs = floor - sum(cover.on_duty[i][rank:])
            if rhs > 0:
                rows[i, rank] = links._add(Row(HARD, rhs))
    return rows


def _mentoring(v: Variables, links: Links) -> None:
    watch = MentorWatch(v)
    spanning: dict[int, list[tuple[Key, int]]] = defaultdict(list)
    for key in v.x:
        weight = watch.ratio * watch.mentor[key[0]] - watch.mentee[key[0]]
        if weight:
            for i in watch.windows.covering.get(key, ()):
                spanning[i].append((key, weight))
    for i, present in sorted(spanning.items()):
        rhs = watch.mentees[i] - watch.ratio * watch.mentors[i]
        if rhs > 0 or any(weight < 0 for _, weight in present):  # else it always holds
            row = links._add(Row(HARD, rhs))
            for key, weight in present:
                links.terms[key].append((row, weight))
