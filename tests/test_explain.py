"""Infeasible periods: the conflicting rule groups, people and days; --relax."""

from __future__ import annotations

from rostering.domain import IntervalRequirement, Mentoring, Request
from rostering.evaluate import evaluate
from rostering.explain import explain
from rostering.solve import SolveParams, solve
from tests.builders import make_problem

SAT_10 = 5 * 24 + 10  # Saturday 10:00 of the week starting Monday 2026-11-30


def conflicted():
    """Saturday 10:00 needs a mid (hard floor); both mids are unavailable and the senior
    may not work weekends. The juniors and the other rules are innocent."""
    staff = {
        "J1": {"tier": "junior"},
        "M1": {"tier": "mid"},
        "M2": {"tier": "mid"},
        "S1": {"tier": "senior", "max_weekends": 0, "max_consecutive_days": 5},
    }
    requests = (
        Request(employee_id="M1", day=5, kind="unavailable"),
        Request(employee_id="M2", day=5, kind="unavailable"),
        Request(employee_id="J1", day=5, kind="off", weight=2),
    )
    floor = (IntervalRequirement(interval=SAT_10, tier="mid", required=1, min_required=1),)
    return make_problem(staff, requests=requests, interval_demand=floor)


def test_explanation_names_the_right_rules_people_and_days() -> None:
    problem = conflicted()
    assert solve(problem, SolveParams(time_limit=10)).status == "INFEASIBLE"
    why = explain(problem, seconds=10)
    assert why is not None and why.minimal
    assert why.rules == ("coverage", "unavailable", "weekends")
    assert why.people == ("M1", "M2", "S1")
    assert why.dates == ("2026-12-05",)
    text = "\n".join(why.sentences)
    assert "S1 (max_weekends=0)" in text
    assert "M1 on 2026-12-05" in text and "the min_required floor on 2026-12-05" in text
    assert "--relax coverage,unavailable,weekends" in text


def test_mentoring_conflict() -> None:
    staff = {"J1": {"tier": "junior"}, "M1": {"tier": "mid"}}
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid",), max_juniors_per_mentor=1)
    requests = (
        Request(employee_id="J1", day=2, kind="fixed", shift_id="E"),
        Request(employee_id="M1", day=2, kind="unavailable", shift_id="E"),
    )
    problem = make_problem(staff, requests=requests, mentoring=rule)
    why = explain(problem, seconds=10)
    assert why is not None
    assert set(why.rules) == {"fixed", "mentoring", "unavailable"}


def test_feasible_problem_has_no_explanation() -> None:
    assert explain(make_problem(2), seconds=5) is None


def test_relax_gives_the_least_bad_roster_and_evaluate_reports_it() -> None:
    problem = conflicted()
    params = SolveParams(time_limit=10, relax=frozenset({"weekends"}))
    result = solve(problem, params)
    assert result.status == "OPTIMAL"
    assert result.relaxed_broken == 1
    verdict = evaluate(problem, result.roster)
    assert [v.rule for v in verdict.violations] == ["weekends"]
    assert verdict.violations[0].employee_id == "S1"
    assert verdict.objective == result.objective  # the relaxation price is not in it


def test_cli_explains_on_stderr_as_text_and_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json

    from click.testing import CliRunner

    from rostering.cli import main
    from tests.instance_files import write_instance

    instance = write_instance(tmp_path / "inst")
    with (instance / "requests.csv").open("a") as f:
        f.write(
            "M2,2026-12-01,unavailable,,\nS1,2026-12-01,unavailable,,\nJ1,2026-12-01,fixed,E,\n"
        )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(instance), "--out", str(out)])
    assert result.exit_code == 1
    assert "mentoring:" in result.stderr and "unavailable: M1 on 2026-12-01" in result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert set(summary["infeasibility"]["rules"]) == {"fixed", "mentoring", "unavailable"}
    result = CliRunner().invoke(
        main, ["--log-format", "json", "solve", str(instance), "--out", str(out)]
    )
    events = [json.loads(line) for line in result.stderr.splitlines()]
    # (the tiny team cannot give the forecast's hours: warned before the solve)
    events = [e for e in events if e["event"] != "warning"]
    assert [e["event"] for e in events] == ["explanation", "result"]
    assert events[0]["people"] == ["J1", "M1", "M2", "S1"]
    assert events[1]["status"] == "INFEASIBLE" and events[1]["exit_code"] == 1
    assert events[1]["outputs"] == [str(out / "summary.json")]
