"""`rostering compare`: runs side by side, and the same figures in batch.csv."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rostering.batch import BATCH_COLUMNS, _number, batch_csv, solve_one
from rostering.cli import main
from rostering.compare import COMPARE_COLUMNS
from rostering.figures import FIGURE_COLUMNS, judge, run_figures
from rostering.io.roster import read_roster
from rostering.pipeline import load
from tests.builders import HOTLINE
from tests.instance_files import write_instance


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_compare_two_runs_prints_and_writes_their_figures(
    hotline_out: Path, tmp_path: Path
) -> None:
    other = tmp_path / "fewer"
    shutil.copytree(hotline_out, other)
    lines = (other / "roster.csv").read_text(encoding="utf-8").splitlines()
    (other / "roster.csv").write_text("\n".join(lines[:-10]) + "\n", encoding="utf-8")
    out = tmp_path / "compare.csv"
    result = run("compare", hotline_out, other, "--out", out)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == list(COMPARE_COLUMNS)
    problem = load(HOTLINE)
    for row, folder in zip(rows, (hotline_out, other), strict=True):
        figures = run_figures(judge(problem, read_roster(folder / "roster.csv", problem)))
        assert row["instance"] == "hotline-2026-w49"
        assert int(row["objective"]) == figures.objective
        assert float(row["unmet_person_hours"]) == figures.unmet_person_hours
        assert float(row["paid_hours"]) == figures.paid_hours
        assert float(row["answer_rate"]) == pytest.approx(figures.answer_rate)  # Erlang A
    assert float(rows[1]["paid_hours"]) == float(rows[0]["paid_hours"]) - 10 * 8
    assert float(rows[1]["unmet_person_hours"]) >= float(rows[0]["unmet_person_hours"])
    text = result.stdout
    assert "unmet_person_hours" in text and "service_level" in text
    assert f"1: {hotline_out}" in text and f"2: {other}" in text


def test_compare_needs_the_instance_when_summary_does_not_name_it(
    hotline_out: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    shutil.copytree(hotline_out, old)
    data = json.loads((old / "summary.json").read_text())
    del data["instance_dir"]
    (old / "summary.json").write_text(json.dumps(data))
    result = run("compare", old)
    assert result.exit_code == 2 and "pass the instance with --instance DIR" in result.stderr
    result = run("compare", old, "--instance", HOTLINE)
    assert result.exit_code == 0, result.stderr
    result = run("compare", tmp_path)
    assert result.exit_code == 2 and "no summary.json" in result.stderr


def test_batch_csv_carries_the_figures(tmp_path: Path) -> None:
    assert BATCH_COLUMNS[:8] == (
        "instance", "status", "objective", "best_bound", "gap", "wall_seconds", "exit_code",
        "error",
    )  # fmt: skip
    assert BATCH_COLUMNS[8:] == FIGURE_COLUMNS
    instance = write_instance(tmp_path / "inst")
    row = solve_one(str(instance), str(tmp_path / "out"), 10.0)
    assert row["exit_code"] == 0, row["error"]
    problem = load(instance)
    figures = run_figures(judge(problem, read_roster(tmp_path / "out" / "roster.csv", problem)))
    (line,) = csv.DictReader(io.StringIO(batch_csv([row])))
    for column in FIGURE_COLUMNS:
        value = getattr(figures, column)
        assert line[column] == ("" if value is None else str(_number(value))), column
    assert float(line["paid_hours"]) > 0
