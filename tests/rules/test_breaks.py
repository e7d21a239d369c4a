"""The `breaks` family: the solver places every worked shift's breaks inside their windows,
staggered against demand and mentoring; evaluate checks them and counts people on a break off
duty; bad site models and roster cells are one line, exit 2."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from rostering.cli import main
from rostering.domain import (
    Assignment,
    Break,
    IntervalRequirement,
    Mentoring,
    Problem,
    Roster,
    ShiftType,
    Weights,
)
from rostering.evaluate import evaluate
from rostering.io.errors import InputError
from rostering.io.roster import break_text, read_roster, roster_csv
from rostering.io.site_model import read_site_model
from rostering.model.breaks import greedy, spread
from rostering.model.build import build
from rostering.pipeline import load
from rostering.search import stages
from rostering.search.count_plan import plan_counts
from rostering.solve import SolveParams, solve
from tests.builders import make_problem, run, tuned_solve

ROOT = Path(__file__).resolve().parents[2]
HELPDESK = ROOT / "instances" / "helpdesk-breaks"
GRID = 30
# 09:00-17:00 with a 60-minute lunch starting 12:00, 12:30 or 13:00
LUNCH = Break(minutes=60, earliest=180, latest=240)
DAY = ShiftType(id="D", start_minute=9 * 60, minutes=480, paid_minutes=420, breaks=(LUNCH,))
ONE_PER_INTERVAL = tuple(
    IntervalRequirement(interval=i, tier="junior", required=1)
    for i in range(9 * 60 // GRID, 17 * 60 // GRID)
)


def one_day(staff: dict[str, dict[str, str]], mentoring: Mentoring | None = None) -> Problem:
    return make_problem(
        staff, days=1, shifts=(DAY,), interval_demand=ONE_PER_INTERVAL, interval_minutes=GRID,
        weights=Weights(under_cover=100, over_cover=1), mentoring=mentoring,
    )  # fmt: skip


def breaks_of(roster: Roster | None) -> dict[str, tuple[tuple[int, int], ...] | None]:
    assert roster is not None
    return {a.employee_id: a.breaks for a in roster.assignments}


def test_two_lunches_stagger_so_noon_stays_covered() -> None:
    p = one_day({"A": {"tier": "junior"}, "B": {"tier": "junior"}})
    result = run(p, {"A": "D", "B": "D"})
    assert result.status == "OPTIMAL"
    (a,), (b,) = breaks_of(result.roster).values()
    assert a[1] - a[0] == b[1] - b[0] == 60
    assert a[1] <= b[0] or b[1] <= a[0], (a, b)  # one eats while the other answers
    judged = evaluate(p, result.roster)  # type: ignore[arg-type]
    assert judged.is_feasible() and judged.objective == result.objective
    assert all(row.shortfall == 0 for row in judged.coverage)
    # 16 intervals, one person needed in each: two lunches of two intervals leave 12 surplus
    assert result.objective == 12


def test_lunches_together_leave_noon_uncovered() -> None:
    p = one_day({"A": {"tier": "junior"}, "B": {"tier": "junior"}})
    together = Roster(
        assignments=tuple(
            Assignment(employee_id=e, day=0, shift_id="D", breaks=((180, 240),)) for e in "AB"
        )
    )
    judged = evaluate(p, together)
    assert judged.is_feasible()
    short = [row.start.strftime("%H:%M") for row in judged.coverage if row.shortfall]
    assert short == ["12:00", "12:30"]
    # two intervals unmet; 28 person-intervals on duty for the 14 met: 14 surplus
    assert judged.objective == 2 * 100 + 14


def test_a_mentor_on_lunch_is_no_mentor_so_the_junior_lunches_with_them() -> None:
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid",), max_juniors_per_mentor=2)
    p = one_day({"J": {"tier": "junior"}, "M": {"tier": "mid"}}, mentoring=rule)
    result = run(p, {"J": "D", "M": "D"})
    assert result.status == "OPTIMAL"
    placed = breaks_of(result.roster)
    # staggering would cover noon but leave the junior alone while the mentor eats
    assert placed["J"] == placed["M"]
    staggered = Roster(
        assignments=(
            Assignment(employee_id="J", day=0, shift_id="D", breaks=((180, 240),)),
            Assignment(employee_id="M", day=0, shift_id="D", breaks=((240, 300),)),
        )
    )
    judged = evaluate(p, staggered)
    assert [v.rule for v in judged.violations] == ["mentoring"]
    assert "13:00-14:00: 1 junior on duty with 0 mentors" in judged.violations[0].message
    assert judged.objective < result.objective  # cheaper, and illegal: the solver avoided it


def test_a_break_counts_off_duty_at_every_tier_level() -> None:
    p = one_day({"S": {"tier": "senior"}})
    lunch = Roster(assignments=(Assignment(employee_id="S", day=0, shift_id="D",
                                           breaks=((240, 300),)),))  # fmt: skip
    rows = {r.start.strftime("%H:%M"): r.on_duty for r in evaluate(p, lunch).coverage}
    assert rows["12:30"] == 1 and rows["13:00"] == 0 and rows["13:30"] == 0
    assert rows["14:00"] == 1


# ------------------------------------------------------------------ evaluate's check


def judged_breaks(breaks: tuple[tuple[int, int], ...]) -> list[str]:
    p = one_day({"A": {"tier": "junior"}})
    r = Roster(assignments=(Assignment(employee_id="A", day=0, shift_id="D", breaks=breaks),))
    return [v.message for v in evaluate(p, r).violations if v.rule == "breaks"]


def test_evaluate_accepts_each_start_of_the_window() -> None:
    for start in (180, 210, 240):
        assert judged_breaks(((start, start + 60),)) == []


def test_evaluate_catches_a_break_outside_its_window() -> None:
    assert judged_breaks(((120, 180),)) == [
        "A's D on 2026-11-30: break 1 11:00-12:00 starts outside its window 12:00-13:00"
    ]
    assert judged_breaks(((270, 330),)) != []  # 13:30: after the latest start


def test_evaluate_catches_a_break_too_short_or_too_long() -> None:
    assert judged_breaks(((180, 210),)) == [
        "A's D on 2026-11-30: break 1 12:00-12:30 lasts 30 minutes, too short; it is 60"
    ]
    assert "too long" in judged_breaks(((180, 270),))[0]


def test_evaluate_catches_a_missing_an_extra_and_an_off_grid_break() -> None:
    assert judged_breaks(()) == [
        "A's D on 2026-11-30: break 1 (60 minutes starting 12:00-13:00) is missing"
    ]
    assert "one more than the 1 of its shift type" in judged_breaks(((180, 240), (300, 330)))[0]
    assert "off the 30-minute grid" in judged_breaks(((190, 250),))[0]


def test_a_roster_without_breaks_counts_whole_shifts_and_says_so_once() -> None:
    p = one_day({"A": {"tier": "junior"}, "B": {"tier": "junior"}})
    bare = Roster(assignments=tuple(Assignment(employee_id=e, day=0, shift_id="D") for e in "AB"))
    judged = evaluate(p, bare)
    assert judged.is_feasible() and judged.objective == 16  # both on duty all day
    assert len(judged.notes) == 1 and "breaks were not given" in judged.notes[0]


# ------------------------------------------------------------------ files and commands


def test_the_helpdesk_example_places_every_break_in_its_window(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["solve", str(HELPDESK), "--out", str(out), "--time-limit", "20", "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    problem = load(HELPDESK)
    text = (out / "roster.csv").read_text()
    assert text.splitlines()[0].endswith(",tier,breaks")
    roster = read_roster(out / "roster.csv", problem)
    assert roster.assignments and all(a.breaks for a in roster.assignments)
    judged = evaluate(problem, roster)
    assert judged.is_feasible() and not judged.notes
    assert roster_csv(problem, roster) == text  # the column reads back as written
    checked = CliRunner().invoke(main, ["check", str(HELPDESK), str(out / "roster.csv")])
    assert checked.exit_code == 0 and "breaks were not given" not in checked.stderr


def test_check_says_once_that_breaks_were_not_given(tmp_path: Path) -> None:
    bare = tmp_path / "roster.csv"
    bare.write_text("employee_id,date,shift_id\nS1,2026-11-30,E1\nM1,2026-11-30,E1\n")
    result = CliRunner().invoke(main, ["check", str(HELPDESK), str(bare)])
    assert result.stderr.count("breaks were not given") == 1


def test_a_malformed_breaks_cell_is_one_line_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "roster.csv"
    bad.write_text("employee_id,date,shift_id,breaks\nS1,2026-11-30,E1,12h-13h\n")
    result = CliRunner().invoke(main, ["check", str(HELPDESK), str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "roster.csv:2" in lines[0] and "breaks" in lines[0]
    assert "'12h-13h' is not HH:MM-HH:MM periods joined by |" in lines[0]


BAD_MODELS = {
    "longer than its shift": ("{ minutes = 60, earliest = 150, latest = 270 }",
                              "{ minutes = 600, earliest = 150, latest = 270 }",
                              "is not shorter than the shift (540 minutes)"),
    "window outside the shift": ("{ minutes = 60, earliest = 150, latest = 270 }",
                                 "{ minutes = 60, earliest = 150, latest = 510 }",
                                 "is outside the shift"),
    "off the grid": ("{ minutes = 60, earliest = 150, latest = 270 }",
                     "{ minutes = 45, earliest = 150, latest = 270 }",
                     "must sit on the 30-minute grid"),
    "earliest after latest": ("{ minutes = 60, earliest = 150, latest = 270 }",
                              "{ minutes = 60, earliest = 270, latest = 150 }",
                              "earliest 270 is after latest 150"),
    "overlapping breaks": ("{ minutes = 60, earliest = 150, latest = 270 }",
                           "{ minutes = 60, earliest = 150, latest = 270 }, "
                           "{ minutes = 30, earliest = 300, latest = 330 }",
                           "may not overlap"),
    "unknown key": ("{ minutes = 60, earliest = 150, latest = 270 }",
                    "{ minutes = 60, earliest = 150, latest = 270, paid = true }",
                    "unknown key"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_MODELS))
def test_a_bad_break_is_one_line_naming_the_key_exit_2(tmp_path: Path, case: str) -> None:
    old, new, expected = BAD_MODELS[case]
    models, instance = tmp_path / "models", tmp_path / "instances" / "helpdesk-breaks"
    models.mkdir()
    shutil.copytree(HELPDESK, instance)
    text = (ROOT / "models" / "helpdesk.toml").read_text()
    assert old in text
    (models / "helpdesk.toml").write_text(text.replace(old, new, 1))
    with pytest.raises(InputError) as raised:
        read_site_model(models / "helpdesk.toml")
    assert "shifts[2] (id 'D1').breaks" in str(raised.value)
    result = CliRunner().invoke(main, ["solve", str(instance), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "helpdesk.toml" in lines[0] and expected in lines[0], lines
    assert not (tmp_path / "o" / "roster.csv").exists()


# ------------------------------------------------------------------ the search's stages

HELPDESK_OPTIMUM = 2059  # proven by the full search (`rostering solve instances/helpdesk-breaks`)


def test_the_helpdesk_optimum_is_proven() -> None:
    result = solve(load(HELPDESK), SolveParams(time_limit=20, workers=2, seed=1))
    assert result.status == "OPTIMAL" and result.objective == HELPDESK_OPTIMUM
    assert [stage["name"] for stage in result.route][0] == "columns"  # breaks in its master
    assert result.roster is not None
    judged = evaluate(load(HELPDESK), result.roster)
    assert judged.is_feasible() and judged.objective == HELPDESK_OPTIMUM


def test_the_count_plan_counts_breaks_so_its_bound_holds() -> None:
    problem = load(HELPDESK)
    v = build(problem).variables
    plan = plan_counts(v, seconds=20)
    assert plan is not None and plan.optimal
    assert 0 < plan.bound <= HELPDESK_OPTIMUM
    # without its break counts the plan would count lunch as cover
    bare = with_breaks(problem, ())
    unplanned = plan_counts(build(bare).variables, seconds=20)
    assert unplanned is not None and unplanned.price != plan.price


def test_solve_through_the_plan_places_breaks_and_prices_as_evaluate(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    problem = load(HELPDESK)
    # the columns (which now price breaks) would give the roster: the plan runs after none
    monkeypatch.setattr(stages.Columns, "applies", lambda *args: False)
    everywhere = tuned_solve(sizes={"count_plan": 0})
    result = solve(problem, SolveParams(time_limit=20, workers=2, seed=1, search=everywhere))
    assert "count_plan" in [stage["name"] for stage in result.route]
    assert result.roster is not None and all(a.breaks for a in result.roster.assignments)
    judged = evaluate(problem, result.roster)
    assert judged.is_feasible() and judged.objective == result.objective
    assert result.timing["plan_bound"] <= HELPDESK_OPTIMUM <= result.objective


def test_spread_breaks_take_the_window_s_starts_in_turn() -> None:
    problem = load(HELPDESK)
    shifts = Roster(
        assignments=tuple(
            Assignment(employee_id=e.id, day=0, shift_id="D1") for e in problem.employees[:5]
        )
    )
    starts = [a.breaks for a in spread(problem, shifts).assignments]
    # D1 09:00, lunch 60 minutes starting 150..270 after the start on the 30-minute grid
    assert starts == [((150, 210),), ((180, 240),), ((210, 270),), ((240, 300),), ((270, 330),)]
    assert not [v for v in evaluate(problem, spread(problem, shifts)).violations
                if v.rule == "breaks"]  # fmt: skip


def test_the_judge_s_quick_placement_staggers_and_keeps_mentors() -> None:
    p = one_day({"A": {"tier": "junior"}, "B": {"tier": "junior"}})
    shifts = Roster(assignments=tuple(Assignment(employee_id=e, day=0, shift_id="D") for e in "AB"))
    placed = greedy(p, shifts)
    (a,), (b,) = (x.breaks for x in placed.assignments)  # type: ignore[misc]
    assert a[1] <= b[0] or b[1] <= a[0], (a, b)
    assert evaluate(p, placed).objective == 12  # the optimum (see the solver's test above)
    rule = Mentoring(mentee_tiers=("junior",), mentor_tiers=("mid",), max_juniors_per_mentor=2)
    mentored = one_day({"J": {"tier": "junior"}, "M": {"tier": "mid"}}, mentoring=rule)
    pair = Roster(assignments=tuple(Assignment(employee_id=e, day=0, shift_id="D") for e in "JM"))
    assert evaluate(mentored, greedy(mentored, pair)).is_feasible()


def with_breaks(problem: Problem, breaks: tuple[Break, ...]) -> Problem:
    shifts = tuple(s.model_copy(update={"breaks": breaks}) for s in problem.model.shifts)
    return problem.model_copy(update={"model": problem.model.model_copy(update={"shifts": shifts})})


# ------------------------------------------------------------------ report and exports


def test_report_and_exports_show_the_breaks(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    solved = runner.invoke(main, ["solve", str(HELPDESK), "--out", str(out), "--quiet"])
    assert solved.exit_code == 0, solved.stderr
    roster = read_roster(out / "roster.csv", load(HELPDESK))
    first = next(a for a in roster.assignments if a.employee_id == "S1")
    text = break_text(load(HELPDESK), first)
    assert len(text) == 11  # HH:MM-HH:MM
    for args in (
        ["report", str(HELPDESK), str(out), "--out", str(tmp_path / "r.html")],
        ["export", "ical", str(HELPDESK), str(out), "--out", str(tmp_path / "cal")],
        ["export", "xlsx", str(HELPDESK), str(out), "--out", str(tmp_path / "r.xlsx")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.stderr
    assert f"<br><small>{text}</small>" in (tmp_path / "r.html").read_text()
    ics = (tmp_path / "cal" / "S1.ics").read_text().replace("\r\n ", "")
    assert f"breaks {text}" in ics
    book = load_workbook(tmp_path / "r.xlsx")
    rows = list(book["breaks"].iter_rows(values_only=True))
    assert rows[0] == ("employee_id", "date", "shift_id", "breaks")
    assert len(rows) == 1 + len(roster.assignments)
    assert ("S1", first.shift_id, text) in {(r[0], r[2], r[3]) for r in rows[1:]}


def test_last_week_s_roster_with_breaks_reads_as_previous_csv(tmp_path: Path) -> None:
    instance = tmp_path / "instances" / "helpdesk-breaks"
    shutil.copytree(HELPDESK, instance)
    shutil.copytree(ROOT / "models", tmp_path / "models")
    (instance / "previous.csv").write_text(
        "employee_id,date,shift_id,start,end,tier,breaks\n"
        "S1,2026-11-27,L1,2026-11-27T12:00,2026-11-27T21:00,senior,15:00-16:00\n"
    )
    problem = load(instance)
    assert problem.previous_given and problem.previous[0].shift_id == "L1"
