"""`--deterministic`: byte-identical roster.csv, coverage.csv and summary.json (the `timing`
object and the route's seconds excepted) on reruns with the same inputs and seed; and rows
always in a stable order.

Reruns are separate processes with different PYTHONHASHSEED values, so anything that
depends on set or dict-of-set iteration order shows up here rather than in production."""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from rostering.domain import Roster
from rostering.evaluate import evaluate
from rostering.io.outputs import coverage_csv
from rostering.io.roster import read_roster, roster_csv
from rostering.pipeline import load
from tests.builders import HOTLINE
from tests.instance_files import write_instance

ROOT = Path(__file__).resolve().parents[1]


def solve(instance: Path, out: Path, hash_seed: int, *extra: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    result = subprocess.run(
        [sys.executable, "-m", "rostering", "solve", str(instance), "--out", str(out),
         "--seed", "7", "--deterministic", "-q", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def untimed(key: str, value: Any) -> Any:
    """`route` without each stage's seconds; any other value as it is."""
    if key != "route":
        return value
    return [[(k, v) for k, v in stage if k != "seconds"] for stage in value]


def outputs(out: Path) -> dict[str, Any]:
    """The three files as compared: roster and coverage as bytes; summary.json's keys and
    values in file order, without `timing` and the seconds of each stage of `route`."""
    pairs = json.loads((out / "summary.json").read_text(encoding="utf-8"), object_pairs_hook=list)
    return {
        "roster.csv": (out / "roster.csv").read_bytes(),
        "coverage.csv": (out / "coverage.csv").read_bytes(),
        "summary.json": [(k, untimed(k, v)) for k, v in pairs if k != "timing"],
    }


def assert_identical_reruns(instance: Path, tmp_path: Path, *extra: str) -> dict[str, Any]:
    solve(instance, tmp_path / "a", 1, *extra)
    solve(instance, tmp_path / "b", 2, *extra)
    first, second = outputs(tmp_path / "a"), outputs(tmp_path / "b")
    for name in first:
        assert first[name] == second[name], f"{name} differs between two --deterministic runs"
    return first


def test_deterministic_reruns_are_byte_identical_on_a_small_instance(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst", days=7)
    result = assert_identical_reruns(instance, tmp_path, "--time-limit", "5")
    assert dict(result["summary.json"])["deterministic"] is True


def test_the_model_is_the_same_in_every_process() -> None:
    """The CP-SAT model must not depend on the interpreter's hash seed, or no search
    setting can make reruns identical (the seed differs in every process)."""
    script = (
        "import hashlib, sys\n"
        "from pathlib import Path\n"
        "from rostering.model.build import build\n"
        "from rostering.pipeline import load\n"
        "proto = str(build(load(Path(sys.argv[1]))).model.Proto())\n"
        "print(hashlib.sha256(proto.encode()).hexdigest())\n"
    )
    digests = set()
    for hash_seed in (1, 2, 3):
        env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
        result = subprocess.run(
            [sys.executable, "-c", script, str(HOTLINE)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        digests.add(result.stdout.strip())
    assert len(digests) == 1, (
        "the CP-SAT model differs between processes: a rule iterates a set in hash order "
        "(e.g. forbidden_successions, a frozenset of pairs: iterate sorted(pairs))"
    )


@pytest.mark.slow
def test_deterministic_reruns_are_byte_identical_on_the_hotline_example(tmp_path: Path) -> None:
    assert_identical_reruns(HOTLINE, tmp_path, "--time-limit", "5")


# --------------------------------------------------------------------------- stable row order


def test_rows_are_written_in_a_stable_order(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    out = tmp_path / "out"
    solve(instance, out, 0, "--time-limit", "10")
    problem = load(instance)
    tier_rank = {t: i for i, t in enumerate(problem.model.tiers)}

    with (out / "roster.csv").open(encoding="utf-8", newline="") as f:
        roster_rows = list(csv.DictReader(f))
    assert roster_rows
    keys = [(r["date"], r["start"], r["employee_id"]) for r in roster_rows]
    assert keys == sorted(keys)

    with (out / "coverage.csv").open(encoding="utf-8", newline="") as f:
        cover_rows = list(csv.DictReader(f))
    assert cover_rows
    cover_keys = [(r["start"], tier_rank[r["tier"]]) for r in cover_rows]
    assert cover_keys == sorted(cover_keys)
    assert len(set(cover_keys)) == len(cover_keys)

    # The order never depends on the order the solver hands the assignments over.
    roster = read_roster(out / "roster.csv", problem)
    expected_roster = roster_csv(problem, roster)
    expected_cover = coverage_csv(problem, evaluate(problem, roster))
    assert expected_roster.encode() == (out / "roster.csv").read_bytes()
    assert expected_cover.encode() == (out / "coverage.csv").read_bytes()
    shuffled = list(roster.assignments)
    for seed in range(3):
        random.Random(seed).shuffle(shuffled)
        other = Roster(assignments=tuple(shuffled))
        assert roster_csv(problem, other) == expected_roster
        assert coverage_csv(problem, evaluate(problem, other)) == expected_cover
