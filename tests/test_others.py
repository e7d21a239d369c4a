"""What everyone else leaves one person: coverage prices and mentoring bounds, each checked
against evaluate (which shares no code with them)."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from rostering.domain import (
    IntervalRequirement,
    Mentoring,
    Problem,
    SlotRequirement,
)
from rostering.evaluate import evaluate
from rostering.model.build import build
from rostering.search.marginal_price import IntervalCover, MentorWatch, Shifts, SlotCover
from tests.builders import as_roster, make_problem


def coverage_price(problem: Problem, shifts: Shifts) -> int:
    return evaluate(problem, as_roster(problem, shifts)).penalties["coverage"]


def test_a_shift_is_priced_by_what_the_others_leave_of_each_row() -> None:
    demand = (
        SlotRequirement(day=0, shift_id="E", required=2, under_weight=50, over_weight=3),
        SlotRequirement(day=0, shift_id="E", required=1, tier="senior"),
    )
    problem = make_problem({"J": {"tier": "junior"}, "S": {"tier": "senior"}}, slot_demand=demand)
    cover = SlotCover(problem)
    assert cover.price(0, 0, "E") == -50  # the junior counts toward the first row only
    assert cover.price(1, 0, "E") == -50 - 100  # the senior toward both (under_cover 100)
    assert cover.price(0, 1, "E") == 0  # no row for that slot
    assert cover.total() == 2 * 50 + 100
    cover.move({(1, 0, "E"): True, (0, 0, "E"): True}, 1)
    assert cover.total() == 0
    assert cover.price(0, 0, "E") == 3  # a third on the first row is over cover
    assert cover.price(1, 0, "E") == 3 + 1  # and on the senior row too (over_cover 1)
    cover.move({(0, 0, "E"): True}, -1)
    assert cover.total() == 50


def test_interval_prices_are_what_evaluate_charges_for_one_more_shift() -> None:
    """Random rosters on a nested-tier demand grid that night shifts cross (day boundaries,
    previous.csv's night reaching into day 0): the price of each shift, the others as they
    are, is evaluate's coverage penalty with it minus without it."""
    rng = random.Random(3)
    tiers = ("junior", "mid", "senior")
    staff = {f"P{n}": {"tier": tiers[n % 3]} for n in range(6)}
    demand = tuple(
        IntervalRequirement(interval=i, tier=t, required=rng.randint(0, 2))
        for i in range(3 * 24)
        for t in tiers
        if rng.random() < 0.6
    )
    problem = make_problem(staff, days=3, interval_demand=demand, previous={"P0": "N"})
    v = build(problem).variables
    checked = 0
    for _ in range(20):
        shifts = {key: False for key in v.x}
        for e in range(len(staff)):
            for d in range(3):
                if rng.random() < 0.5:
                    shifts[e, d, rng.choice(("E", "L", "N"))] = True
        cover = IntervalCover(v)
        cover.move(shifts, 1)
        key = rng.choice([k for k, on in shifts.items() if not on])
        with_it = dict(shifts) | {key: True}
        assert cover.price(*key) == coverage_price(problem, with_it) - coverage_price(
            problem, shifts
        )
        cover.move({key: True}, 1)
        cover.move({key: True}, -1)  # counting in and out leaves the counts as they were
        assert cover.price(*key) == coverage_price(problem, with_it) - coverage_price(
            problem, shifts
        )
        checked += 1
    assert checked == 20


def test_mentoring_bounds_one_person_so_that_it_still_holds() -> None:
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("senior",), max_juniors_per_mentor=1)
    staff = {"J1": {"tier": "junior"}, "J2": {"tier": "junior"}, "S": {"tier": "senior"}}
    problem = make_problem(staff, days=1, mentoring=rule)
    v = build(problem).variables
    roster: Shifts = {key: False for key in v.x}
    roster[0, 0, "E"] = roster[2, 0, "E"] = True  # J1 with S on the early shift
    assert evaluate(problem, as_roster(problem, roster)).is_feasible()

    def allowed(e: int) -> set[str]:
        """The shifts person e may work, the others as in the roster."""
        watch = MentorWatch(v)
        watch.move(roster, 1)
        watch.move({k: on for k, on in roster.items() if k[0] == e}, -1)
        model = cp_model.CpModel()
        own = {key: model.new_bool_var(str(key)) for key in v.x if key[0] == e}
        model.add(sum(own.values()) <= 1)
        watch.constrain(model, e, own)
        result = set()
        for key, var in own.items():
            solver = cp_model.CpSolver()
            if solver.solve(model, None) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                pinned = model.clone()
                pinned.add(var == 1)
                if solver.solve(pinned) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    result.add(key[2])
        return result

    assert allowed(1) == set()  # J2: S has no room left (one mentee per mentor)
    assert allowed(2) == {"E"}  # S must stay where J1 is
    assert allowed(0) == {"E"}  # J1 only where S is
    for e, shift_ids in ((1, allowed(1)), (2, allowed(2)), (0, allowed(0))):
        for sid in ("E", "L", "N"):  # evaluate agrees on every choice
            moved = {k: on for k, on in roster.items() if k[0] != e}
            moved |= {(e, 0, s): s == sid for s in ("E", "L", "N")}
            legal = evaluate(problem, as_roster(problem, moved)).is_feasible()
            assert legal == (sid in shift_ids), (e, sid)
