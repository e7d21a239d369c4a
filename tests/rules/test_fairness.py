from datetime import date

from rostering.domain import HistoryRow, SlotRequirement, Weights
from tests.builders import make_problem, patterns_of, run

NIGHTS = tuple(SlotRequirement(day=d, shift_id="N", required=1) for d in range(7))


def test_nights_spread_is_priced() -> None:
    p = make_problem(2, slot_demand=NIGHTS, weights=Weights(fairness_nights=3, over_cover=5))
    skewed = run(p, {"P1": "NNNNNNN", "P2": "......."})
    assert skewed.penalties["fairness"] == 3 * 7
    best = run(p)
    nights = [g.count("N") for g in patterns_of(p, best).values()]
    assert sorted(nights) == [3, 4] and best.penalties["fairness"] == 3


def test_history_shifts_nights_to_those_who_had_fewer() -> None:
    history = (HistoryRow(employee_id="P1", period_start=date(2026, 11, 23), nights=5),)
    p = make_problem(2, slot_demand=NIGHTS, weights=Weights(fairness_nights=3), history=history)
    best = run(p)
    nights = {k: g.count("N") for k, g in patterns_of(p, best).items()}
    assert nights == {"P1": 1, "P2": 6}  # 5 + 1 = 6: equal over the two periods


def test_minutes_spread_counts_whole_hours_and_groups_are_per_contract() -> None:
    staff = {"A": {}, "B": {}, "C": {"contract": "other"}}
    p = make_problem(staff, weights=Weights(fairness_minutes=1, over_cover=0))
    result = run(p, {"A": "EE.....", "B": "E......", "C": "EEEEEEE"})
    assert result.penalties["fairness"] == 8  # A-B = 480 min = 8 h; C is alone in its group


def test_weekend_spread() -> None:
    sat_sun = tuple(SlotRequirement(day=d, shift_id="E", required=1) for d in (5, 6, 12, 13))
    p = make_problem(2, days=14, slot_demand=sat_sun, weights=Weights(fairness_weekends=50))
    best = run(p)
    got = patterns_of(p, best)
    assert best.penalties["fairness"] == 0
    assert {g[5:7] != ".." for g in got.values()} == {True, False} or all(
        (g[5:7] != "..") + (g[12:14] != "..") == 1 for g in got.values()
    )
