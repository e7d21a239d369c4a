"""`rostering suggest`: everyone tried on a shift, ranked by evaluate's objective change."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.domain import Assignment, Roster, Rules, Weights
from rostering.evaluate import evaluate
from rostering.suggest import suggest
from tests.builders import MONDAY, make_problem, roster
from tests.instance_files import write_instance


def moved(r: Roster, eid: str, day: int, sid: str) -> Roster:
    kept = [a for a in r.assignments if (a.employee_id, a.day) != (eid, day)]
    return Roster(assignments=(*kept, Assignment(employee_id=eid, day=day, shift_id=sid)))


def test_the_ranking_is_evaluate_s_objective_change_and_the_rest_are_blocked() -> None:
    staff = {f"P{i}": {"max_days_per_week": 3} for i in range(1, 6)}
    p = make_problem(staff, weights=Weights(cost=1), rules=Rules(min_rest_minutes=660))
    p = p.model_copy(
        update={"employees": tuple(
            e.model_copy(update={"hourly_cost": float(10 * i)})
            for i, e in enumerate(p.employees, 1)
        )}
    )  # fmt: skip
    published = roster({
        "P1": "EEE....",  # works E on Tuesday already
        "P2": "N......",  # N on Monday, then E on Tuesday: too little rest
        "P3": "E.EE...",  # three days already: a fourth breaks days_per_week
        "P4": ".L.....",  # moved from L to E: the same hours, no cost
        "P5": ".......",  # added
    })  # fmt: skip
    found = suggest(p, published, date(2026, 12, 1), "E")
    base = evaluate(p, published).objective
    assert found.objective == base
    for c in found.candidates:
        judged = evaluate(p, moved(published, c.employee_id, 1, "E"))
        assert judged.is_feasible()
        assert (c.objective, c.delta) == (judged.objective, judged.objective - base)
    assert [c.delta for c in found.candidates] == sorted(c.delta for c in found.candidates)
    # cost 1 x hourly cost x 8 h: P4 moves (same hours: 0), P5 is added (50 x 8)
    assert [(c.employee_id, c.delta) for c in found.candidates] == [("P4", 0), ("P5", 400)]
    blocked = {c.employee_id: c for c in found.blocked}
    assert blocked["P1"].already and blocked["P1"].blocked_by is None
    assert [(c.employee_id, c.blocked_by.rule) for c in found.blocked if c.blocked_by] == [
        ("P2", "min_rest"), ("P3", "days_per_week")
    ]  # fmt: skip


def test_a_violation_of_the_published_roster_does_not_block_everyone() -> None:
    p = make_problem(2)
    published = roster({"P1": "EE.....", "P2": "......."})
    two = Roster(assignments=(*published.assignments,
                              Assignment(employee_id="P1", day=0, shift_id="L")))  # fmt: skip
    assert not evaluate(p, two).is_feasible()  # two shifts on Monday: one_shift_per_day
    found = suggest(p, two, MONDAY, "N")
    assert found.violations == 1
    assert {c.employee_id for c in found.candidates} == {"P1", "P2"}  # P1's move mends it


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("suggest")
    instance = write_instance(folder / "inst")
    out = folder / "out"
    result = CliRunner().invoke(main, ["solve", str(instance), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.stderr
    return instance, out


def test_the_command_in_its_three_formats(published: tuple[Path, Path]) -> None:
    instance, out = published
    args = ["suggest", str(instance), "--published", str(out), "--date", "2026-12-02",
            "--shift", "N"]  # fmt: skip
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.startswith("Who can take N on 2026-12-02 (Wednesday)")
    assert "mentoring: 2026-12-02 22:00-00:00: 1 junior on duty with 0 mentors" in table.stdout
    data = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    ranked = data["candidates"]
    assert [c["rank"] for c in ranked] == list(range(1, len(ranked) + 1))
    assert ranked and all(c["legal"] for c in ranked)
    changes = [c["objective_change"] for c in ranked]
    assert changes == sorted(changes)
    assert all(c["objective"] - data["published_objective"] == c["objective_change"]
               for c in ranked)  # fmt: skip
    assert all(b["rule"] or b["reason"] == "already works it" for b in data["blocked"])
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(main, [*args, "--format",
                                                                     "csv"]).stdout)))  # fmt: skip
    assert len(rows) == len(ranked) + len(data["blocked"])
    assert [r["employee_id"] for r in rows[: len(ranked)]] == [c["employee_id"] for c in ranked]


def test_nobody_can_take_it_exits_1(published: tuple[Path, Path]) -> None:
    instance, out = published  # Tuesday's night: Wednesday's early and late need the rest
    result = CliRunner().invoke(main, ["suggest", str(instance), "--published", str(out),
                                       "--date", "2026-12-01", "--shift", "N"])  # fmt: skip
    assert result.exit_code == 1
    assert "nobody can take it without breaking a hard rule" in result.stdout


@pytest.mark.parametrize(
    ("date_", "shift", "says"),
    [
        ("2026-12-07", "N", "--date: 2026-12-07 is outside the horizon"),
        ("2026-12-01", "Z", "--shift: unknown shift 'Z'; shifts: E, L, N"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    published: tuple[Path, Path], date_: str, shift: str, says: str
) -> None:
    instance, out = published
    result = CliRunner().invoke(main, ["suggest", str(instance), "--published", str(out),
                                       "--date", date_, "--shift", shift])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and says in result.stderr
