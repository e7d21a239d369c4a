"""Breaks as implicit counts (Bechtold & Jacobs 1990, Aykin 1996): for each shift type, day,
tier and break of the shift, one integer variable per start the break may take, counting the
people of that tier on that shift who take it there. The counts of one break sum to the people
of that tier working the shift, so coverage, service and mentoring (all counted per tier) see
exactly who is on duty, and which person takes which start is assigned after the search."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from rostering.domain import DAY_MINUTES, Assignment, Problem, Roster
from rostering.model.price import IntervalPrice
from rostering.model.variables import Expr, Variables

# (day, shift id, tier, break index, offset after the shift's start)
BreakKey = tuple[int, str, str, int, int]


def break_counts(v: Variables) -> dict[BreakKey, cp_model.IntVar]:
    """The break counts of the model, made once (the `breaks` family, coverage and mentoring
    all read them); empty when no shift type has breaks."""
    if v.break_counts is not None:
        return v.break_counts
    counts: dict[BreakKey, cp_model.IntVar] = {}
    grid = v.problem.model.break_grid
    working: dict[tuple[int, str, str], list[cp_model.IntVar]] = defaultdict(list)
    for (e, d, sid), x in v.x.items():
        if v.shift(sid).breaks:
            working[d, sid, v.employees[e].tier].append(x)
    for (d, sid, tier), people in working.items():
        for k, b in enumerate(v.shift(sid).breaks):
            starts = []
            for offset in b.offsets(grid):
                name = f"breaks.count[{d},{sid},{tier},{k},{offset}]"
                count = v.model.new_int_var(0, len(people), name)
                counts[d, sid, tier, k, offset] = count
                starts.append(count)
            # a definition, never guarded: every roster has a placement
            v.model.add(sum(starts) == sum(people))
    v.break_counts = counts
    return counts


def break_spans(v: Variables) -> list[tuple[str, int, int, Expr]]:
    """(tier, start, end, -count) of every break start: what it takes off duty, in minutes
    from the horizon start."""
    spans: list[tuple[str, int, int, Expr]] = []
    for (d, sid, tier, k, offset), count in break_counts(v).items():
        shift = v.shift(sid)
        start = d * DAY_MINUTES + shift.start_minute + offset
        spans.append((tier, start, start + shift.breaks[k].minutes, -count))
    return spans


def break_points(v: Variables) -> set[int]:
    """Every break start and end inside the horizon."""
    end = v.days * DAY_MINUTES
    return {p for _, a, b, _ in break_spans(v) for p in (a, b) if 0 < p < end}


def placed(v: Variables, roster: Roster, value: dict[BreakKey, int]) -> Roster:
    """The roster with each person's breaks: the people of a tier on a shift (in staff order)
    take the counted starts of each break in time order."""
    if not v.problem.model.has_breaks:
        return roster
    starts: dict[tuple[int, str, str, int], list[int]] = defaultdict(list)
    for key in sorted(value):
        starts[key[:4]] += [key[4]] * value[key]
    order = {e.id: n for n, e in enumerate(v.employees)}
    tier = {e.id: e.tier for e in v.employees}
    taken: dict[tuple[int, str, str, int], int] = defaultdict(int)
    result = []
    for a in sorted(roster.assignments, key=lambda a: (a.day, a.shift_id, order[a.employee_id])):
        periods = []
        for k, b in enumerate(v.shift(a.shift_id).breaks):
            slot = (a.day, a.shift_id, tier[a.employee_id], k)
            offset = starts[slot][taken[slot]]
            taken[slot] += 1
            periods.append((offset, offset + b.minutes))
        result.append(a.model_copy(update={"breaks": tuple(periods)}))
    return Roster(assignments=tuple(result))


def spread(problem: Problem, roster: Roster) -> Roster:
    """The roster with its breaks spread evenly over their windows without a search: the
    people on one shift on one day (in staff order, every tier) take each break's starts in
    turn. A placement of a roster found without breaks, so that evaluate prices it as it
    could be worked; the full model places breaks against demand."""
    if not problem.model.has_breaks:
        return roster
    grid = problem.model.break_grid
    order = {e.id: n for n, e in enumerate(problem.employees)}
    turn: dict[tuple[int, str], int] = defaultdict(int)
    result = []
    for a in sorted(roster.assignments, key=lambda a: (a.day, a.shift_id, order[a.employee_id])):
        shift = problem.model.shift(a.shift_id)
        i = turn[a.day, a.shift_id]
        turn[a.day, a.shift_id] += 1
        periods = []
        for b in shift.breaks:
            offsets = b.offsets(grid)
            offset = offsets[i % len(offsets)]
            periods.append((offset, offset + b.minutes))
        result.append(a.model_copy(update={"breaks": tuple(periods)}))
    return Roster(assignments=tuple(result))


def placement_counts(v: Variables, worked: list[tuple[int, int, str]]) -> dict[BreakKey, int]:
    """The model's break counts of the `greedy` placement of the shifts `worked` (employee
    index, day, shift id): a hint that completes a roster of shifts into a whole solution."""
    shifts = Roster(
        assignments=tuple(
            Assignment(employee_id=v.employees[e].id, day=d, shift_id=sid) for e, d, sid in worked
        )
    )
    tier = {emp.id: emp.tier for emp in v.employees}
    counts = dict.fromkeys(break_counts(v), 0)
    for a in greedy(v.problem, shifts).assignments:
        for k, (offset, _) in enumerate(a.breaks or ()):
            counts[a.day, a.shift_id, tier[a.employee_id], k, offset] += 1
    return counts


_PRICES: list[tuple[Problem, IntervalPrice]] = []  # the last problem's price (judged often)


def _price_of(problem: Problem) -> IntervalPrice:
    for known, price in _PRICES:
        if known is problem:
            return price
    price = IntervalPrice(problem)
    _PRICES[:] = [(problem, price)]
    return price


def greedy(problem: Problem, roster: Roster) -> Roster:
    """The roster with its breaks placed one at a time where taking the person off duty
    costs least by the coverage price (rostering.model.price), avoiding a start that would
    leave juniors without their mentors where another start does not. A quick placement of
    a roster found without breaks (the full model places them exactly); with shift-slot
    demand, where breaks move no coverage, `spread`."""
    grid = problem.model.interval_minutes
    if not problem.model.has_breaks:
        return roster
    if problem.interval_demand is None or grid is None:
        return spread(problem, roster)
    price = _price_of(problem)
    rank = {t: n for n, t in enumerate(problem.model.tiers)}
    tier = {e.id: e.tier for e in problem.employees}
    end = problem.priced_minutes // grid  # demand after the horizon included
    on: dict[int, list[int]] = defaultdict(lambda: [0] * len(rank))
    worked = [(a, a.day * DAY_MINUTES + problem.model.shift(a.shift_id).start_minute)
              for a in roster.assignments]  # fmt: skip
    worked += [(a, a.day * DAY_MINUTES + problem.model.shift(a.shift_id).start_minute)
               for a in problem.previous]  # fmt: skip
    for a, start in worked:
        first = max(0, start // grid)
        stop = min(end, (start + problem.model.shift(a.shift_id).minutes) // grid)
        for i in range(first, stop):
            on[i][rank[tier[a.employee_id]]] += 1
    rule = problem.model.rules.mentoring
    juniors = [rank[t] for t in rule.mentee_tiers] if rule else []
    mentors = [rank[t] for t in rule.mentor_tiers] if rule else []
    ratio = (rule.max_juniors_per_mentor if rule else None) or 0

    def mentored(i: int, r: int) -> bool:
        """Whether interval i keeps its juniors mentored with one person of rank r less."""
        if r not in mentors:
            return True
        young, old = sum(on[i][j] for j in juniors), sum(on[i][m] for m in mentors) - 1
        return young == 0 or (old > 0 and (not ratio or young <= ratio * old))

    order = {e.id: n for n, e in enumerate(problem.employees)}
    result = []
    for a, start in sorted(worked[: len(roster.assignments)],
                           key=lambda w: (w[1], order[w[0].employee_id])):  # fmt: skip
        r = rank[tier[a.employee_id]]
        periods = []
        for b in problem.model.shift(a.shift_id).breaks:
            best: tuple[bool, int, int] | None = None
            for offset in b.offsets(grid):
                cells = range((start + offset) // grid, (start + offset + b.minutes) // grid)
                cost = 0
                for i in cells:
                    less = list(on[i])
                    less[r] -= 1
                    cost += price.of_counts(i, less) - price.of_counts(i, on[i])
                choice = (not all(mentored(i, r) for i in cells), cost, offset)
                best = choice if best is None or choice < best else best
            assert best is not None
            offset = best[2]
            for i in range((start + offset) // grid, (start + offset + b.minutes) // grid):
                on[i][r] -= 1
            periods.append((offset, offset + b.minutes))
        result.append(a.model_copy(update={"breaks": tuple(periods)}))
    return Roster(assignments=tuple(result))
