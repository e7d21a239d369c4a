"""The benchmark pipeline on the public Curtois & Qu instances (read from ../shared)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.bench import parse_range, run_instance
from rostering.cli import main
from rostering.io.errors import InputError

SUITE = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"
needs_suite = pytest.mark.skipif(not SUITE.exists(), reason="../shared/benchmarks absent")


@needs_suite
def test_instance1_converted_solved_legal_and_priced_like_the_benchmark() -> None:
    row = run_instance(SUITE / "Instance1.txt", time_limit=20, workers=2)
    assert row["hard_violations"] == 0
    assert row["reference_violations"] == 0  # the benchmark's own rules, checked independently
    assert row["objective"] == row["reference_objective"]  # evaluate = the benchmark's objective
    assert row["objective"] == 607  # the proven optimum; CP-SAT proves it in well under a second


@needs_suite
def test_bench_command_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "bench.csv"
    result = CliRunner().invoke(
        main,
        ["bench", str(SUITE), "--time-limit", "10", "--instances", "1", "--out", str(out)],
    )
    assert result.exit_code == 0, result.stderr
    lines = out.read_text().splitlines()
    assert lines[0].startswith("instance,employees,days,best_known,lower_bound,objective")
    assert lines[1].startswith("Instance1,8,14,607,607,607,0.0,")


@needs_suite
def test_export_grid_round_trips_through_the_benchmark_reader(tmp_path: Path) -> None:
    from rostering.io.curtois import benchmark_objective, read_curtois, read_grid

    runner = CliRunner()
    folder, out = tmp_path / "i1", tmp_path / "o"
    assert runner.invoke(main, ["convert", "curtois", str(SUITE / "Instance1.txt"),
                                str(folder)]).exit_code == 0  # fmt: skip
    assert runner.invoke(main, ["solve", str(folder), "--out", str(out), "--time-limit", "10"]
                         ).exit_code == 0  # fmt: skip
    grid = tmp_path / "i1.grid"
    result = runner.invoke(main, ["export", "curtois", str(SUITE / "Instance1.txt"),
                                  str(out / "roster.csv"), "--out", str(grid)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    inst = read_curtois(SUITE / "Instance1.txt")
    assert benchmark_objective(inst, read_grid(inst, grid.read_text())) == 607


def test_instance_ranges() -> None:
    assert parse_range("1-3,7", list(range(1, 25))) == [1, 2, 3, 7]
    assert parse_range(None, [1, 2]) == [1, 2]
    with pytest.raises(InputError):
        parse_range("x", [1])


@needs_suite
def test_convert_rejects_a_start_that_is_not_a_monday(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["convert", "curtois", str(SUITE / "Instance1.txt"), str(tmp_path / "x"),
               "--start", "2024-01-02"],
    )  # fmt: skip
    assert result.exit_code == 2 and "must be a Monday" in result.stderr
