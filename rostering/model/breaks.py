"""Breaks as implicit counts (Bechtold & Jacobs 1990, Aykin 1996): for each shift type, day,
tier and break of the shift, one integer variable per start the break may take, counting the
people of that tier on that shift who take it there. The counts of one break sum to the people
of that tier working the shift, so coverage, service and mentoring (all counted per tier) see
exactly who is on duty, and which person takes which start is assigned after the search."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from rostering.domain import DAY_MINUTES, Problem, Roster
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
        d, sid, tier, k, offset = key
        starts[d, sid, tier, k] += [offset] * value[key]
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


def spread_counts(v: Variables, worked: list[tuple[int, int, str]]) -> dict[BreakKey, int]:
    """The model's break counts of `spread` for the shifts `worked` (employee index, day,
    shift id): a hint that completes a roster of shifts into a whole solution."""
    grid = v.problem.model.break_grid
    counts = dict.fromkeys(break_counts(v), 0)
    turn: dict[tuple[int, str], int] = defaultdict(int)
    for e, d, sid in sorted(worked, key=lambda key: (key[1], key[2], key[0])):
        i = turn[d, sid]
        turn[d, sid] += 1
        for k, b in enumerate(v.shift(sid).breaks):
            offsets = b.offsets(grid)
            counts[d, sid, v.employees[e].tier, k, offsets[i % len(offsets)]] += 1
    return counts
