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

Breaks (rostering.model.breaks) are master-only variables b[d, s, tier, k, offset] >= 0, the
people of that tier on shift s on day d who take break k at that offset: one row per (d, s,
tier, k), `people of the tier working s on d - sum of its b = 0` (an equality: its dual is
free in sign), and -b in every LEVEL, SERVICE, HARD floor and mentoring row of the stretches
the break spans whole, for the tier levels its tier counts in (as a person of that tier
would count), priced -over_cover per interval it spans (the over-cover it saves).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rostering.domain import DAY_MINUTES
from rostering.model.breaks import BreakKey, break_counts, break_points
from rostering.model.duty import breakpoints, windows
from rostering.model.price import hull_corners
from rostering.model.variables import Variables
from rostering.search.marginal_price import IntervalCover, Key, MentorWatch, SlotCover

SLOT, LEVEL, HARD, SERVICE, BREAK = "slot", "level", "hard", "service", "break"


@dataclass
class Row:
    kind: str  # SLOT (==, under and over slacks), LEVEL (>=, its group's unmet), HARD (>=),
    # SERVICE (>=, its steps), BREAK (== 0: people working less their break counts)
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
    # master-only break counts: their (row, coefficient) terms, price and upper bound
    break_terms: dict[BreakKey, list[tuple[int, int]]] = field(default_factory=dict)
    break_cost: dict[BreakKey, int] = field(default_factory=dict)
    break_most: dict[BreakKey, int] = field(default_factory=dict)

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

    def break_reduced(self, key: BreakKey, duals: list[float]) -> float:
        """A break count's price less what its rows' duals credit it, per person."""
        return self.break_cost[key] - sum(duals[n] * c for n, c in self.break_terms[key])

    def break_bound(self, duals: list[float]) -> float:
        """The least the break counts add to the Lagrangian at these duals: each count in [0,
        the people of its tier who may work its shift that day] at its cheaper end."""
        return sum(
            most * min(0.0, self.break_reduced(key, duals)) for key, most in self.break_most.items()
        )

    def clip(self, duals: list[float]) -> list[float]:
        """The nearest duals the Lagrangian bound holds for: no slack priced below zero (a
        BREAK row, an equality without slack, keeps its dual whatever its sign)."""
        out = list(duals)
        groups: dict[int, list[int]] = defaultdict(list)
        for n, row in enumerate(self.rows):
            if row.kind == BREAK:
                continue
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
    covered: dict[tuple[int, int], list[int]] = {}
    if v.problem.slot_demand is not None:
        _slots(v, links)
    elif v.problem.interval_demand is not None:
        covered = _intervals(v, links)
    mentored: _Mentored | None = None
    if v.problem.model.rules.mentoring is not None:
        mentored = _mentoring(v, links)
    if v.problem.model.has_breaks:
        _breaks(v, links, covered, mentored)
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


def _intervals(v: Variables, links: Links) -> dict[tuple[int, int], list[int]]:
    """The interval demand's rows; returns the rows of each (interval, tier rank)."""
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
    covered: dict[tuple[int, int], list[int]] = defaultdict(list)
    for table in (level_rows, floors, service):
        for at, n in table.items():
            covered[at].append(n)
    for key in v.x:
        rank = cover.ranks[key[0]]
        for i in cover.windows.covering.get(key, ()):
            links.extra[key] += weights.over_cover
            for r in range(rank + 1):
                links.terms[key] += [(n, 1) for n in covered.get((i, r), ())]
    return covered


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


@dataclass
class _Mentored:
    """The mentoring rows: the stretches' bounds, the row of each stretch that has one, and
    each tier's weight in them (ratio x mentor - mentee)."""

    bounds: list[int]
    rows: dict[int, int]
    weight: dict[str, int]


def _mentoring(v: Variables, links: Links) -> _Mentored:
    rule = v.problem.model.rules.mentoring
    assert rule is not None
    bounds = breakpoints(v)
    if v.problem.model.has_breaks:  # stretches between shift and break boundaries
        bounds = sorted(set(bounds) | break_points(v))
    watch = MentorWatch(v, bounds)
    spanning: dict[int, list[tuple[Key, int]]] = defaultdict(list)
    for key in v.x:
        weight = watch.ratio * watch.mentor[key[0]] - watch.mentee[key[0]]
        if weight:
            for i in watch.windows.covering.get(key, ()):
                spanning[i].append((key, weight))
    rows: dict[int, int] = {}
    for i, present in sorted(spanning.items()):
        rhs = watch.mentees[i] - watch.ratio * watch.mentors[i]
        if rhs > 0 or any(weight < 0 for _, weight in present):  # else it always holds
            row = rows[i] = links._add(Row(HARD, rhs))
            for key, weight in present:
                links.terms[key].append((row, weight))
    by_tier = {
        t: watch.ratio * (t in rule.mentor_tiers) - (t in rule.mentee_tiers)
        for t in v.problem.model.tiers
    }
    return _Mentored(bounds, rows, by_tier)


def _breaks(
    v: Variables,
    links: Links,
    covered: dict[tuple[int, int], list[int]],
    mentored: _Mentored | None,
) -> None:
    """The break counts' linking rows and their terms in the coverage and mentoring rows:
    the same stretches the model's coverage and mentoring see them in (duty.windows)."""
    problem = v.problem
    rank = {t: n for n, t in enumerate(problem.model.tiers)}
    over = problem.model.weights.over_cover
    working: dict[tuple[int, str, str], list[Key]] = defaultdict(list)
    for shift_key in v.x:
        e, d, sid = shift_key
        if v.shift(sid).breaks:
            working[d, sid, v.employees[e].tier].append(shift_key)
    keys = sorted(break_counts(v))
    spans: list[tuple[BreakKey, int, int, int]] = []
    for key in keys:
        d, sid, _, k, offset = key
        shift = v.shift(sid)
        start = d * DAY_MINUTES + shift.start_minute + offset
        spans.append((key, start, start + shift.breaks[k].minutes, 1))
    if problem.interval_demand is not None and problem.slot_demand is None:
        grid = problem.model.interval_minutes or 60
        bounds = list(range(0, problem.priced_minutes + 1, grid))
        for i, window in enumerate(windows(spans, bounds)):
            for key, _ in window:
                links.break_cost[key] = links.break_cost.get(key, 0) - over
                for r in range(rank[key[2]] + 1):
                    terms = links.break_terms.setdefault(key, [])
                    terms += [(n, -1) for n in covered.get((i, r), ())]
    if mentored is not None:
        for i, window in enumerate(windows(spans, mentored.bounds)):
            for key, _ in window:
                weight = mentored.weight[key[2]]
                if weight and i in mentored.rows:
                    links.break_terms.setdefault(key, []).append((mentored.rows[i], -weight))
    linking: dict[tuple[int, str, str, int], int] = {}
    for key in keys:
        d, sid, tier, k, _ = key
        if (d, sid, tier, k) not in linking:
            row = linking[d, sid, tier, k] = links._add(Row(BREAK, 0))
            for person in working[d, sid, tier]:
                links.terms[person].append((row, 1))
        links.break_terms.setdefault(key, []).append((linking[d, sid, tier, k], -1))
        links.break_cost.setdefault(key, 0)
        links.break_most[key] = len(working[d, sid, tier])
