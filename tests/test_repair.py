"""`rostering repair` end to end on a small instance: the published past kept, only what must
change changed, changes.csv and summary.json, grid input, bad input, infeasibility."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.domain import Roster
from rostering.evaluate import evaluate
from rostering.io.outfolder import OutputFolder
from rostering.io.roster import read_roster
from rostering.pipeline import load
from rostering.repair import changes, with_published
from tests.builders import recording
from tests.instance_files import write_instance


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small instance's solved roster (its optimum, proven), as published."""
    folder = tmp_path_factory.mktemp("published")
    instance = write_instance(folder / "inst")
    code, _, err = invoke("solve", str(instance), "--out", str(folder / "out"), "--quiet")
    assert code == 0, err
    return folder / "out"


def absent(tmp_path: Path, *lines: str) -> Path:
    """The small instance with more requests (e.g. someone away)."""
    instance = write_instance(tmp_path / "inst")
    with (instance / "requests.csv").open("a", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
    return instance


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def repair(instance: Path, published: Path, first: str, out: Path, *extra: str) -> tuple:
    return invoke("repair", str(instance), "--published", str(published), "--from", first,
                  "--out", str(out), "--time-limit", "20", *extra)  # fmt: skip


def test_nothing_new_changes_nothing(tmp_path: Path, published: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    code, stdout, err = repair(instance, published, "2026-12-01", tmp_path / "out")
    assert code == 0, err
    out = tmp_path / "out"
    assert (out / "roster.csv").read_bytes() == (published / "roster.csv").read_bytes()
    assert rows(out / "changes.csv") == []
    assert (out / "changes.csv").read_text() == "employee_id,date,published_shift_id,shift_id\n"
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["changes"], summary["people_changed"]) == (0, 0)
    assert summary["route"][0]["name"] == "published"
    assert "changed 0 person-days of 0 people" in stdout


def test_an_absence_changes_only_that_person_day(tmp_path: Path, published: Path) -> None:
    # M2 works L on 2026-12-02 in the published roster; everyone else works that day, and no
    # other move gains more than the 1000 a change costs (a shift covers 8 intervals at 100)
    assert {"employee_id": "M2", "date": "2026-12-02", "shift_id": "L"}.items() <= next(
        r for r in rows(published / "roster.csv") if (r["employee_id"], r["date"]) ==
        ("M2", "2026-12-02")
    ).items()  # fmt: skip
    instance = absent(tmp_path, "M2,2026-12-02,unavailable,,")
    code, stdout, err = repair(instance, published, "2026-12-01", tmp_path / "out")
    assert code == 0, err
    out = tmp_path / "out"
    assert "changed 1 person-day of 1 person from the published roster" in stdout
    assert rows(out / "changes.csv") == [
        {"employee_id": "M2", "date": "2026-12-02", "published_shift_id": "L", "shift_id": ""}
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert (summary["changes"], summary["people_changed"]) == (1, 1)
    assert summary["penalties"]["change"] == 1000
    assert summary["hard_violations"] == [] and summary["status"] == "OPTIMAL"
    # the days before --from, byte for byte; and evaluate agrees with the price
    before = [r for r in rows(published / "roster.csv") if r["date"] < "2026-12-01"]
    assert [r for r in rows(out / "roster.csv") if r["date"] < "2026-12-01"] == before
    problem = load(instance)
    repaired = read_roster(out / "roster.csv", problem)
    priced = with_published(problem, read_roster(published / "roster.csv", problem),
                            load(instance).date_of(1))  # fmt: skip
    assert evaluate(priced, repaired).objective == summary["objective"]


def test_days_before_from_are_kept_even_where_changing_them_would_pay(
    tmp_path: Path, published: Path
) -> None:
    # an `on` request heavier than a change, on a published day before --from: refused
    instance = absent(tmp_path, "M1,2026-11-30,on,L,5000")
    code, _, err = repair(instance, published, "2026-12-01", tmp_path / "kept")
    assert code == 0, err
    kept = [r for r in rows(tmp_path / "kept" / "roster.csv") if r["date"] == "2026-11-30"]
    assert kept == [r for r in rows(published / "roster.csv") if r["date"] == "2026-11-30"]
    code, _, err = repair(instance, published, "2026-11-30", tmp_path / "free")
    assert code == 0, err
    changed = rows(tmp_path / "free" / "changes.csv")
    assert {"employee_id": "M1", "date": "2026-11-30", "published_shift_id": "N",
            "shift_id": "L"} in changed  # fmt: skip


def test_grid_and_xlsx_published_rosters_repair_alike(tmp_path: Path, published: Path) -> None:
    instance = absent(tmp_path, "M2,2026-12-02,unavailable,,")
    grid, book = tmp_path / "published.csv", tmp_path / "published.xlsx"
    assert invoke("export", "grid", str(instance), str(published), "--out", str(grid))[0] == 0
    assert invoke("export", "xlsx", str(instance), str(published), "--out", str(book))[0] == 0
    results = []
    for source in (published, grid, book):
        out = tmp_path / f"out-{source.suffix or 'dir'}"
        code, _, err = repair(instance, source, "2026-12-01", out)
        assert code == 0, err
        results.append(((out / "roster.csv").read_text(), (out / "changes.csv").read_text()))
    assert results[0] == results[1] == results[2]


def test_a_published_past_the_new_facts_break_is_explained(tmp_path: Path, published: Path) -> None:
    # M2 works L on 2026-12-01, before --from, and is now away that day
    instance = absent(tmp_path, "M2,2026-12-01,unavailable,,")
    out = tmp_path / "out"
    code, _, err = repair(instance, published, "2026-12-02", out)
    assert code == 1
    assert "These hard rules cannot all hold together:" in err
    assert "change: M2 on 2026-12-01 (published; days before 2026-12-02 stay as published)" in err
    assert "unavailable: M2 on 2026-12-01" in err
    summary = json.loads((out / "summary.json").read_text())
    assert summary["infeasibility"]["rules"] == ["change", "unavailable"]
    assert (summary["changes"], summary["people_changed"]) == (None, None)
    assert not (out / "roster.csv").exists() and not (out / "changes.csv").exists()
    # from that day on, the same facts repair
    assert repair(instance, published, "2026-12-01", tmp_path / "later")[0] == 0


@pytest.mark.parametrize(
    ("published_text", "first", "says"),
    [
        ("employee_id,date,shift_id\nX9,2026-11-30,E\n", "2026-12-01", "unknown employee 'X9'"),
        ("employee_id,date,shift_id\nJ1,2026-12-07,E\n", "2026-12-01", "outside the horizon"),
        ("employee_id,date,shift_id\nJ1,2026-11-30,Z\n", "2026-12-01", "unknown shift 'Z'"),
        ("employee_id,2026-12-07\nJ1,E\n", "2026-12-01", "a roster for another period?"),
        ("employee_id,date,shift_id\nJ1,2026-11-30,E\n", "2026-12-03",
         "--from: 2026-12-03 is outside the horizon 2026-11-30..2026-12-02"),
        ("employee_id,date,shift_id\nJ1,2026-11-30,E\n", "2026-11-29", "--from: 2026-11-29"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_exit_2_and_no_stale_outputs(
    tmp_path: Path, published: Path, published_text: str, first: str, says: str
) -> None:
    instance = write_instance(tmp_path / "inst")
    out = tmp_path / "out"
    assert repair(instance, published, "2026-12-01", out)[0] == 0  # a run's outputs first
    bad = tmp_path / "bad.csv"
    bad.write_text(published_text, encoding="utf-8")
    code, stdout, err = repair(instance, bad, first, out)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Traceback" not in err, err
    assert not any((out / name).exists() for name in ("roster.csv", "changes.csv"))


def test_a_bad_from_date_is_a_usage_error(tmp_path: Path, published: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    code, _, err = repair(instance, published, "next monday", tmp_path / "out")
    assert code == 2 and "--from" in err


def test_changes_csv_is_written_in_one_commit_with_the_rest(
    tmp_path: Path, published: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commits: list[set[str]] = []
    recording(monkeypatch, OutputFolder, "commit", lambda a, _: commits.append(set(a[1])))
    instance = absent(tmp_path, "M2,2026-12-02,unavailable,,")
    args = ["repair", str(instance), "--published", str(published), "--from", "2026-12-01"]
    code, _, err = invoke("--log-format", "json", *args, "--out", str(tmp_path / "o"))
    assert code == 0, err
    assert commits == [{"roster.csv", "coverage.csv", "summary.json", "changes.csv"}]
    result = [json.loads(line) for line in err.splitlines() if '"result"' in line][-1]
    assert {Path(p).name for p in result["outputs"]} == {
        "roster.csv", "coverage.csv", "summary.json", "changes.csv"
    }  # fmt: skip
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["roster_sha256"]  # the set's manifest covers the roster beside changes.csv


def test_changes_lists_every_person_day_that_differs() -> None:
    from tests.builders import make_problem, roster

    p = make_problem(2)
    before = roster({"P1": "EE.....", "P2": "......N"})
    after = roster({"P1": "EL.....", "P2": "N......"})
    got = [(c.employee_id, c.day, c.published, c.now) for c in changes(p, before, after)]
    assert got == [("P2", 0, (), ("N",)), ("P1", 1, ("E",), ("L",)), ("P2", 6, ("N",), ())]
    assert changes(p, before, Roster(assignments=before.assignments)) == []


def test_people_with_published_shifts_are_priced_apart_by_the_columns() -> None:
    """Each person's own model holds their published days: people of one contract and tier
    share columns only while neither has a published shift (else the bound is not valid)."""
    from rostering.domain import Published
    from rostering.search.columns import classes
    from tests.builders import make_problem, roster

    p = make_problem(3)
    assert classes(p) == [[0, 1, 2]]
    published = Published(assignments=roster({"P1": "E......"}).assignments, from_day=2)
    assert sorted(classes(p.model_copy(update={"published": published}))) == [[0], [1, 2]]


def test_the_person_by_person_stages_price_the_change() -> None:
    """Person by person (each person's own model holds the change family), a repair from
    scratch keeps everyone's published week but the absent day: the stage's roster is the
    optimum the full search then only confirms."""
    from rostering.domain import Published, Request, SlotRequirement
    from rostering.solve import SolveParams, solve
    from tests.builders import make_problem, patterns_of, roster, tuned_solve

    weeks = {"P1": "EEEEE..", "P2": "..LLLLL", "P3": "NN...NN"}
    demand = tuple(SlotRequirement(day=d, shift_id=s, required=1) for d in range(7) for s in "ELN")
    away = (Request(employee_id="P1", day=2, kind="unavailable"),)
    p = make_problem(3, slot_demand=demand, requests=away)
    p = p.model_copy(
        update={"published": Published(assignments=roster(weeks).assignments, from_day=0)}
    )
    search = tuned_solve(sizes={"large": 0, "person_first": 0, "slot_person_first": 0})
    result = solve(p, SolveParams(time_limit=20, workers=2, search=search))
    stages = {r["name"]: r["objective"] for r in result.route}
    assert list(stages)[:2] == ["published", "person_first"]
    assert patterns_of(p, result) == {**weeks, "P1": "EE.EE.."}
    assert result.penalties["change"] == 1000
    assert stages["person_first"] == result.objective == evaluate(p, result.roster).objective  # type: ignore[arg-type]


def test_the_columns_bound_holds_for_a_repair(monkeypatch: pytest.MonkeyPatch) -> None:
    """People of one contract and tier with different published weeks: every bound the route
    proves (the column generation's first) is at most the optimum the full search alone
    (--deterministic) proves."""
    from rostering.domain import Published, Request, SlotRequirement
    from rostering.search.state import Tracker
    from rostering.solve import SolveParams, solve
    from tests.builders import make_problem, roster

    weeks = {"P1": "EEEEE..", "P2": ".......", "P3": "LLLLL..", "P4": "..NNNNN"}
    demand = tuple(SlotRequirement(day=d, shift_id=s, required=1) for d in range(7) for s in "ELN")
    away = tuple(Request(employee_id="P1", day=d, kind="unavailable") for d in (1, 2))
    p = make_problem(4, slot_demand=demand, requests=away)
    p = p.model_copy(
        update={"published": Published(assignments=roster(weeks).assignments, from_day=1)}
    )
    proved: list[float] = []
    recording(monkeypatch, Tracker, "proved", lambda a, _: proved.append(a[1]))
    routed = solve(p, SolveParams(time_limit=20, workers=2))
    alone = solve(p, SolveParams(time_limit=20, workers=2, deterministic=True))
    assert routed.route[1]["name"] == "columns" and proved
    assert alone.status == "OPTIMAL" and alone.objective is not None
    assert max(proved) <= alone.objective == routed.objective


def test_relaxing_the_published_past_shows_the_least_bad_roster(
    tmp_path: Path, published: Path
) -> None:
    instance = absent(tmp_path, "M2,2026-12-01,unavailable,,")
    out = tmp_path / "out"
    code, _, err = repair(instance, published, "2026-12-02", out, "--relax", "change")
    assert code == 1  # a roster, but it breaks a hard rule
    summary = json.loads((out / "summary.json").read_text())
    assert summary["relaxed_rules"] == ["change"] and summary["relaxed_constraints_broken"] >= 1
    broken = summary["hard_violations"]
    assert [(v["rule"], v["employee_id"], v["dates"]) for v in broken] == [
        ("change", "M2", ["2026-12-01"])
    ]
    assert broken[0]["message"] == (
        "M2 works no shift on 2026-12-01, published L; days before 2026-12-02 stay as published"
    )
    assert (out / "changes.csv").exists() and summary["changes"] >= 1


def test_the_bundled_week_repairs_one_absence_without_moving_others(
    hotline_out: Path, tmp_path: Path
) -> None:
    """The issue's target on the bundled week: one mid engineer away Wednesday and Thursday
    (one whose Tuesday stays a legal run when Wednesday goes), repaired from Wednesday:
    legal, at most 3 other people changed, the days before Wednesday as published."""
    import shutil

    from tests.builders import HOTLINE

    base = load(HOTLINE)
    published = read_roster(hotline_out / "roster.csv", base)
    works = {(a.employee_id, a.day) for a in published.assignments}
    who = next(
        e.id for e in base.employees
        if e.tier == "mid" and {(e.id, 2), (e.id, 3)} <= works
        and ((e.id, 1) not in works or (e.id, 0) in works)
    )  # fmt: skip
    instance = tmp_path / "instances" / HOTLINE.name
    shutil.copytree(HOTLINE, instance)
    shutil.copytree(HOTLINE.parents[1] / "models", tmp_path / "models")
    with (instance / "requests.csv").open("a", encoding="utf-8") as f:
        f.write(f"{who},2026-12-02,unavailable,,\n{who},2026-12-03,unavailable,,\n")
    out = tmp_path / "out"
    code, _, err = repair(instance, hotline_out, "2026-12-02", out, "--quiet")
    assert code == 0, err
    summary = json.loads((out / "summary.json").read_text())
    changed = rows(out / "changes.csv")
    assert summary["hard_violations"] == []
    assert len({r["employee_id"] for r in changed} - {who}) <= 3
    assert all(r["date"] >= "2026-12-02" for r in changed)
    assert {(r["employee_id"], r["date"]) for r in changed} >= {
        (who, "2026-12-02"), (who, "2026-12-03")
    }  # fmt: skip
    assert summary["people_changed"] == len({r["employee_id"] for r in changed})
