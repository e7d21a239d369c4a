from datetime import date

from rostering.domain import FairnessPolicy, HistoryRow, Problem, Request, SlotRequirement, Weights
from rostering.evaluate import evaluate
from rostering.explain import explain
from rostering.pipeline import load
from rostering.solve import SolveParams, solve
from tests.builders import HOTLINE, feasible, make_problem, patterns_of, roster, run

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


# --------------------------------------------------------------- hard limits ([fairness])

POLICY = FairnessPolicy(max_nights_spread=1)


def broken(p: Problem, patterns: dict[str, str]) -> list[str]:
    """evaluate's fairness violations of a roster of these patterns."""
    ev = evaluate(p, roster(patterns))
    return [v.message for v in ev.violations if v.rule == "fairness"]


def test_nights_limit_violated_and_satisfied() -> None:
    p = make_problem(3, fairness=POLICY)
    skewed = {"P1": "NN.....", "P2": ".......", "P3": "N......"}
    assert not feasible(p, skewed)
    assert broken(p, skewed) == ["nights spread 2 in c/mid: P1 2, P2 0; limit 1"]
    even = {"P1": "NN.....", "P2": "N......", "P3": "N......"}
    assert feasible(p, even) and broken(p, even) == []


def test_solve_keeps_the_limit_that_the_price_alone_would_break() -> None:
    # two nights a week, cheapest for P1 who asks for them: without the limit P1 takes both
    requests = tuple(Request(employee_id="P1", day=d, kind="on", shift_id="N", weight=5)
                     for d in (1, 3))  # fmt: skip
    nights = tuple(
        SlotRequirement(day=d, shift_id="N", required=int(d in (1, 3))) for d in range(7)
    )
    free = make_problem(2, slot_demand=nights, requests=requests)
    assert patterns_of(free, run(free))["P1"].count("N") == 2
    p = make_problem(
        2, slot_demand=nights, requests=requests, fairness=POLICY, weights=Weights(over_cover=10)
    )  # a third night costs more than a refusal
    best = run(p)
    assert best.status == "OPTIMAL" and best.roster is not None
    assert sorted(g.count("N") for g in patterns_of(p, best).values()) == [1, 1]
    assert evaluate(p, best.roster).violations == ()


def test_weekends_at_both_ends_of_the_horizon() -> None:
    # from Sunday 6 December: previous.csv's Saturday 5th makes P1's first weekend worked;
    # the horizon's last day, Saturday 12th, opens the next weekend
    policy = FairnessPolicy(max_weekends_spread=0)
    p = make_problem(2, start=date(2026, 12, 6), previous={"P1": "E", "P2": "."},
                     fairness=policy)  # fmt: skip
    assert broken(p, {"P1": ".E.....", "P2": "......."}) == [
        "weekends spread 1 in c/mid: P1 1, P2 0; limit 0"
    ]
    assert not feasible(p, {"P1": ".E.....", "P2": "......."})
    assert feasible(p, {"P1": ".E.....", "P2": "......E"})  # each works one weekend
    assert broken(p, {"P1": ".E.....", "P2": "......E"}) == []


def test_hours_credit_absences_and_count_whole_limits_in_minutes() -> None:
    staff = {"A": {"absence_credit_minutes": 480}, "B": {"absence_credit_minutes": 480}}
    away = tuple(Request(employee_id="A", day=d, kind="unavailable") for d in (0, 1))
    p = make_problem(staff, requests=away, fairness=FairnessPolicy(max_hours_spread=0))
    # A: 3 shifts + 2 days' credit = 40h, B: 5 shifts = 40h
    assert broken(p, {"A": "..EEE..", "B": "EEEEE.."}) == []
    assert feasible(p, {"A": "..EEE..", "B": "EEEEE.."})
    assert broken(p, {"A": "..EE...", "B": "EEEEE.."}) == [
        "hours spread 8h00 in c/mid: B 40h00, A 32h00; limit 0h00"
    ]
    assert not feasible(p, {"A": "..EE...", "B": "EEEEE.."})
    seven = make_problem(staff, requests=away, fairness=FairnessPolicy(max_hours_spread=8))
    assert feasible(seven, {"A": "..EE...", "B": "EEEEE.."})  # 8h00 spread: within 8 hours


def test_refused_requests_count_their_weights() -> None:
    requests = (
        Request(employee_id="P1", day=2, kind="off", weight=3),
        Request(employee_id="P2", day=2, kind="on", shift_id="E", weight=1),
    )
    p = make_problem(2, requests=requests,
                     fairness=FairnessPolicy(max_refused_requests_spread=2))  # fmt: skip
    assert broken(p, {"P1": "..L....", "P2": "..E...."}) == [
        "refused requests spread 3 in c/mid: P1 3, P2 0; limit 2"
    ]
    assert not feasible(p, {"P1": "..L....", "P2": "..E...."})
    assert feasible(p, {"P1": "..L....", "P2": "......."})  # 3 and 1: spread 2


def test_groups_are_contract_and_tier_by_default_and_as_declared() -> None:
    staff = {"A": {"tier": "junior"}, "B": {"tier": "junior"}, "C": {"tier": "senior"}}
    patterns = {"A": "NN.....", "B": "N......", "C": "......."}
    by_tier = make_problem(staff, fairness=POLICY)
    assert broken(by_tier, patterns) == [] and feasible(by_tier, patterns)
    everyone = make_problem(staff, fairness=POLICY.model_copy(update={"groups": ()}))
    assert broken(everyone, patterns) == ["nights spread 2 in all: A 2, C 0; limit 1"]
    assert not feasible(everyone, patterns)
    staff["C"]["contract"] = "other"
    by_contract = make_problem(staff, fairness=POLICY.model_copy(update={"groups": ("contract",)}))
    assert broken(by_contract, patterns) == []  # C is alone in its contract


def test_a_group_of_one_has_no_spread() -> None:
    p = make_problem({"A": {"tier": "junior"}, "B": {}}, fairness=FairnessPolicy(
        max_nights_spread=0, max_weekends_spread=0, max_hours_spread=0,
        max_refused_requests_spread=0))  # fmt: skip
    patterns = {"A": "NNNNN..", "B": "......."}
    assert broken(p, patterns) == [] and feasible(p, patterns)
    assert evaluate(p, roster(patterns)).spreads == ()


def test_soft_weights_price_within_the_policy_groups() -> None:
    staff = {"A": {"tier": "junior"}, "B": {"tier": "senior"}}
    p = make_problem(staff, weights=Weights(fairness_nights=3))
    assert run(p, {"A": "NN.....", "B": "......."}).penalties["fairness"] == 0
    one = make_problem(staff, weights=Weights(fairness_nights=3),
                       fairness=FairnessPolicy(groups=("contract",)))  # fmt: skip
    assert run(one, {"A": "NN.....", "B": "......."}).penalties["fairness"] == 6
    assert evaluate(one, roster({"A": "NN.....", "B": "......."})).penalties["fairness"] == 6


def test_an_unreachable_limit_is_explained_and_relaxed() -> None:
    fixed = tuple(Request(employee_id="P1", day=d, kind="fixed", shift_id="N") for d in (0, 2))
    off = tuple(Request(employee_id="P2", day=d, kind="unavailable") for d in range(7))
    p = make_problem(2, requests=fixed + off, fairness=POLICY)
    assert solve(p, SolveParams(time_limit=10)).status == "INFEASIBLE"
    why = explain(p, seconds=10)
    assert why is not None and "fairness" in why.rules
    text = "\n".join(why.sentences)
    assert "group c/mid" in text and "max_nights_spread=1" in text
    relaxed = solve(p, SolveParams(time_limit=10, relax=frozenset({"fairness"})))
    assert relaxed.roster is not None
    assert broken(p, patterns_of(p, relaxed)) == ["nights spread 2 in c/mid: P1 2, P2 0; limit 1"]


def test_the_bundled_week_keeps_its_policy() -> None:
    problem = load(HOTLINE)
    assert problem.model.fairness.has_limits  # models/hotline.toml declares one
    result = solve(problem, SolveParams(time_limit=30, workers=2, seed=1))
    assert result.roster is not None
    judged = evaluate(problem, result.roster)
    assert judged.violations == () and judged.objective == result.objective
    assert all(not s.broken for s in judged.spreads)


def test_an_absent_day_is_not_unfairness_in_the_minutes_figure() -> None:
    # P1 on leave Monday, P2 unavailable Tuesday, P3 neither: 4 + 1, 4 + 1 and 5 days alike
    spec = {f"P{i}": {"absence_credit_minutes": 480} for i in (1, 2, 3)}
    absent = (Request(employee_id="P1", day=0, kind="leave"),
              Request(employee_id="P2", day=1, kind="unavailable"))  # fmt: skip
    p = make_problem(spec, requests=absent, weights=Weights(fairness_minutes=1))
    even = {"P1": ".EEEE..", "P2": "E.EEE..", "P3": "EEEEE.."}
    result = run(p, even)
    assert result.penalties["fairness"] == 0
    ev = evaluate(p, roster(even))
    assert ev.penalties["fairness"] == 0 and {f.minutes for f in ev.fairness} == {5 * 480}
    skewed = {"P1": ".EEEE..", "P2": "E.EEE..", "P3": "EEEE..."}
    assert run(p, skewed).penalties["fairness"] == evaluate(p, roster(skewed)).objective == 8
