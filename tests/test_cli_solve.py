"""The CLI end to end on a small instance: outputs, exit codes, the independent re-check."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.evaluate import evaluate
from rostering.io.roster import read_roster
from rostering.pipeline import load
from tests.instance_files import write_instance


def solve(instance: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["solve", str(instance), "--out", str(out), "--time-limit", "10", *extra]
    )
    return result.exit_code, result.stdout, result.stderr


def test_solve_writes_three_outputs_that_evaluate_confirms(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    code, out, err = solve(instance, tmp_path / "out")
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["status"] in ("OPTIMAL", "FEASIBLE")
    assert summary["hard_violations"] == []
    assert summary["objective"] == summary["solver_objective"]
    assert summary["objective"] == sum(summary["penalties"].values())
    assert set(summary["timing"]) >= {"wall_seconds"}
    problem = load(instance)
    roster = read_roster(tmp_path / "out" / "roster.csv", problem)
    assert evaluate(problem, roster).objective == summary["objective"]
    rows = list(csv.DictReader((tmp_path / "out" / "roster.csv").open(encoding="utf-8")))
    assert list(rows[0]) == ["employee_id", "date", "shift_id", "start", "end", "tier"]
    keys = [(r["date"], r["start"], r["employee_id"]) for r in rows]
    assert keys == sorted(keys)
    cover = list(csv.DictReader((tmp_path / "out" / "coverage.csv").open(encoding="utf-8")))
    assert list(cover[0]) == [
        "start", "tier", "required", "on_duty", "shortfall", "surplus",  # forecast demand:
        "contacts", "agents", "service_level", "asa_seconds", "abandon_rate", "occupancy",
    ]  # fmt: skip
    assert set(summary["service"]) == {
        "service_level", "answer_rate", "contacts", "worst_interval", "intervals_below_target",
        "unmet_person_hours", "required_person_hours", "rostered_person_hours",
    }  # fmt: skip
    days = summary["service_by_day"]
    assert [d["date"] for d in days] == sorted(d["date"] for d in days)
    assert sum(d["contacts"] for d in days) == pytest.approx(summary["service"]["contacts"])
    assert "service level" in out and "unmet person-hours" in out
    assert all(int(c["shortfall"]) == max(0, int(c["required"]) - int(c["on_duty"])) for c in cover)
    assert "objective" in out


def test_staffing_output_is_a_valid_requirements_file(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    table = tmp_path / "staffing.csv"
    result = CliRunner().invoke(main, ["staffing", str(instance), "--out", str(table)])
    assert result.exit_code == 0, result.stderr
    header = table.read_text().splitlines()[0]
    assert header == (
        "start,tier,contacts,aht_seconds,agents,required,service_level,asa_seconds,"
        "occupancy,abandon_rate,pooled_required"
    )
    (instance / "forecast.csv").unlink()
    (instance / "requirements.csv").write_text(table.read_text())
    code, _, err = solve(instance, tmp_path / "out")
    assert code == 0, err


def test_infeasible_instance_exits_1_and_removes_a_stale_roster(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    out = tmp_path / "out"
    assert solve(instance, out)[0] == 0
    assert (out / "roster.csv").exists()
    with (instance / "requests.csv").open("a") as f:
        f.write("J1,2026-11-30,fixed,E,\nJ1,2026-11-30,unavailable,,\n")
    code, _, _ = solve(instance, out)
    assert code == 1
    assert not (out / "roster.csv").exists() and not (out / "coverage.csv").exists()
    assert json.loads((out / "summary.json").read_text())["status"] == "INFEASIBLE"


def test_version_and_python_m() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and "rostering" in result.stdout


def test_every_command_has_an_example_in_its_help() -> None:
    runner = CliRunner()
    for name, command in main.commands.items():
        sub = getattr(command, "commands", None)
        for path in [[name, s] for s in sub] if sub else [[name]]:
            text = runner.invoke(main, [*path, "--help"]).stdout
            assert "Example:" in text, path
