"""`rostering batch`: many instances on a local process pool or a Dask cluster; one failing
instance never stops the others, batch.csv lists every instance in the order given."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import rostering.pipeline
from rostering.batch import BATCH_COLUMNS, solve_one
from rostering.cli import main
from tests.instance_files import write_instance

GIVEN = ("good", "broken", "infeasible")  # not alphabetical: batch.csv keeps this order


def three_instances(root: Path) -> list[Path]:
    good = write_instance(root / "good")
    broken = write_instance(root / "broken")
    staff = (broken / "staff.csv").read_text(encoding="utf-8")
    (broken / "staff.csv").write_text(staff.replace("J2,junior,", "J2,juniorr,"), encoding="utf-8")
    infeasible = write_instance(root / "infeasible")
    with (infeasible / "requests.csv").open("a", encoding="utf-8") as f:
        f.write("J1,2026-11-30,fixed,E,\nJ1,2026-11-30,unavailable,,\n")
    return [good, broken, infeasible]


def batch(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["batch", *args])
    return result.exit_code, result.stdout, result.stderr


def check_outputs(out: Path, stdout: str, stderr: str) -> None:
    with (out / "batch.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames or ()) == BATCH_COLUMNS
        rows = list(reader)
    assert [r["instance"] for r in rows] == list(GIVEN)
    good, broken, infeasible = rows

    assert good["status"] in ("OPTIMAL", "FEASIBLE") and good["exit_code"] == "0"
    assert good["error"] == "" and int(good["objective"]) >= 0
    summary = json.loads((out / "good" / "summary.json").read_text(encoding="utf-8"))
    assert summary["objective"] == int(good["objective"]) and summary["hard_violations"] == []
    check = CliRunner().invoke(
        main, ["check", str(out.parent / "in" / "good"), str(out / "good" / "roster.csv")]
    )
    assert check.exit_code == 0, check.output

    assert broken["status"] == "ERROR" and broken["exit_code"] == "2"
    assert "staff.csv:3" in broken["error"] and "juniorr" in broken["error"]
    assert broken["objective"] == "" and not (out / "broken" / "roster.csv").exists()

    assert infeasible["status"] == "INFEASIBLE" and infeasible["exit_code"] == "1"
    assert "infeasible" in infeasible["error"]
    assert not (out / "infeasible" / "roster.csv").exists()
    assert json.loads((out / "infeasible" / "summary.json").read_text())["status"] == "INFEASIBLE"

    lines = [line for line in stdout.splitlines() if line.startswith("[")]
    assert len(lines) == 3 and {line.split()[1].rstrip(":") for line in lines} == set(GIVEN)
    assert "error: broken:" in stderr and "juniorr" in stderr
    assert not list(out.glob(".batch.csv.*.tmp"))


def test_local_pool_one_failure_never_stops_the_others(tmp_path: Path) -> None:
    instances = three_instances(tmp_path / "in")
    out = tmp_path / "out"
    code, stdout, stderr = batch(
        *(str(p) for p in instances), "--out", str(out), "--time-limit", "10", "--jobs", "2"
    )
    assert code == 1, stderr
    check_outputs(out, stdout, stderr)


def test_globs_select_instance_dirs_each_once_and_exit_0_when_all_legal(tmp_path: Path) -> None:
    for name in ("w2", "w1"):
        write_instance(tmp_path / "in" / name)
    (tmp_path / "in" / "notes").mkdir()  # no instance.toml: not an instance
    (tmp_path / "in" / "README.txt").write_text("x")
    out = tmp_path / "out"
    pattern = str(tmp_path / "in" / "*")
    code, stdout, stderr = batch(pattern, str(tmp_path / "in" / "w2"), "--out", str(out),
                                 "--time-limit", "10")  # fmt: skip
    assert code == 0, stderr
    rows = list(csv.DictReader((out / "batch.csv").open(encoding="utf-8")))
    assert [r["instance"] for r in rows] == ["w1", "w2"]
    assert all(r["exit_code"] == "0" for r in rows)
    assert (out / "w1" / "roster.csv").exists() and (out / "w2" / "roster.csv").exists()
    assert "2 legal rosters, 0 failed" in stdout


def test_no_matching_instance_dir_exits_2(tmp_path: Path) -> None:
    code, _, stderr = batch(str(tmp_path / "nothing-*"), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "no instance directory matches" in stderr
    assert not (tmp_path / "out").exists()


def test_two_instances_with_one_name_exit_2(tmp_path: Path) -> None:
    a = write_instance(tmp_path / "a" / "w49")
    b = write_instance(tmp_path / "b" / "w49")
    code, _, stderr = batch(str(a), str(b), "--out", str(tmp_path / "out"))
    assert code == 2 and "same output folder" in stderr


def test_usage_errors_for_the_dask_options(tmp_path: Path) -> None:
    inst = str(write_instance(tmp_path / "w"))
    out = str(tmp_path / "out")
    code, _, stderr = batch(inst, "--out", out, "--scheduler", "tcp://127.0.0.1:1")
    assert code == 2 and "--executor dask" in stderr


def test_dask_missing_is_a_clear_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` fails
    inst = str(write_instance(tmp_path / "w"))
    code, _, stderr = batch(inst, "--out", str(tmp_path / "out"), "--executor", "dask",
                            "--scheduler", "tcp://127.0.0.1:1")  # fmt: skip
    assert code == 2 and "install rostering[dask]" in stderr


def test_worker_function_never_raises(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inst = write_instance(tmp_path / "w")

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    missing = solve_one(str(tmp_path / "missing"), str(tmp_path / "out2"), 5.0)
    assert missing["exit_code"] == 2 and missing["status"] == "ERROR" and missing["error"]
    monkeypatch.setattr(rostering.pipeline, "solve_instance", boom)
    row = solve_one(str(inst), str(tmp_path / "out"), 5.0)
    assert row["status"] == "ERROR" and row["exit_code"] == 70
    assert row["error"].startswith("internal error:") and "boom" in row["error"]
    assert set(BATCH_COLUMNS) <= set(row) and set(BATCH_COLUMNS) <= set(missing)


@pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None, reason="dask[distributed] not installed"
)
def test_dask_cluster_one_failure_never_stops_the_others(tmp_path: Path) -> None:
    from distributed import LocalCluster

    instances = three_instances(tmp_path / "in")
    out = tmp_path / "out"
    # In-process workers over TCP: quick to start, and the address is a real scheduler's.
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, protocol="tcp://",
                      dashboard_address=None) as cluster:  # fmt: skip
        code, stdout, stderr = batch(
            *(str(p) for p in instances), "--out", str(out), "--time-limit", "10",
            "--executor", "dask", "--scheduler", cluster.scheduler_address,
        )  # fmt: skip
    assert code == 1, stderr
    check_outputs(out, stdout, stderr)
