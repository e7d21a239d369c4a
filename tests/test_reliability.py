"""What an operator running instances written by others relies on: usage and
environment errors are one line and exit 2, the output folder is checked and locked before
solving, a full disk keeps the previous outputs, the memory guard refuses inputs too large,
JSON logs cover every event and end with the result, and batch starts a local Dask cluster
by itself."""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from rostering.cli import main
from rostering.io import safe
from rostering.io.outfolder import open_folder
from tests.instance_files import write_instance

OUTPUTS = ("roster.csv", "coverage.csv", "summary.json")


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def solve(instance: Path, out: Path, *extra: str) -> Result:
    return invoke("solve", str(instance), "--out", str(out), "--time-limit", "5", "-q", *extra)


def one_error_line(result: Result, *fragments: str) -> str:
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@pytest.fixture
def instance(tmp_path: Path) -> Path:
    return write_instance(tmp_path / "inst")


@pytest.mark.parametrize(
    ("option", "value", "fragment"),
    [
        ("--seed", "99999999999", "0<=x<=2147483647"),
        ("--seed", "-1", "--seed"),
        ("--workers", "100000", "0<=x<=256"),
        ("--time-limit", "nan", "'nan' is not a number of seconds"),
        ("--time-limit", "inf", "'inf' is not a number of seconds"),
        ("--time-limit", "-3", "'-3' is not a number of seconds from 0.5"),
        ("--time-limit", "1e9", "to 604,800"),
        ("--max-memory", "lots", "--max-memory: 'lots' is not a size"),
    ],
)
def test_absurd_options_are_one_line_and_exit_2(
    tmp_path: Path, instance: Path, option: str, value: str, fragment: str
) -> None:
    out = tmp_path / "out"
    result = invoke("solve", str(instance), "--out", str(out), option, value)
    one_error_line(result, fragment)
    assert not (out / "summary.json").exists()


def test_usage_errors_are_json_events_with_log_format_json(instance: Path, tmp_path: Path) -> None:
    for args in (
        ["--log-format", "json", "solve", str(instance), "--out", str(tmp_path / "o"),
         "--seed", "99999999999"],
        ["--log-format=json", "solve", "--no-such-option"],
        ["--log-format", "json", "slove"],
    ):  # fmt: skip
        result = invoke(*args)
        assert result.exit_code == 2, result.stderr
        events = [json.loads(line) for line in result.stderr.splitlines()]
        assert len(events) == 1, events
        assert events[0]["event"] == "error" and events[0]["exit_code"] == 2
        assert events[0]["usage"] is True


def test_json_log_ends_with_the_result_after_the_last_progress(
    instance: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = invoke("--log-format", "json", "solve", str(instance), "--out", str(out),
                    "--time-limit", "5")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines()]
    final = events[-1]
    assert final["event"] == "result"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert final["status"] == summary["status"]
    assert final["objective"] == summary["objective"]
    assert final["bound"] == summary["best_bound"]
    assert final["exit_code"] == 0
    assert final["outputs"] == [str(out / name) for name in OUTPUTS]
    progress = [e for e in events if e["event"] == "progress"]
    assert progress, events
    assert progress[-1]["objective"] == summary["objective"]
    assert progress[-1]["bound"] == summary["best_bound"]


def test_the_last_progress_line_matches_the_result_in_text(instance: Path, tmp_path: Path) -> None:
    result = invoke("solve", str(instance), "--out", str(tmp_path / "out"), "--time-limit", "5")
    assert result.exit_code == 0, result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    last = [line for line in result.stderr.splitlines() if "objective" in line][-1]
    assert last.split()[1] == str(summary["objective"]), last


def test_out_is_checked_before_solving(instance: Path, tmp_path: Path) -> None:
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "missing")
    one_error_line(solve(instance, dangling), "which does not exist")
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    # click refuses a file for --out (file_okay=False) before preflight even runs
    result = solve(instance, a_file)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_a_read_only_out_folder_is_exit_2_not_a_bug(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def read_only(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(path).parent == out and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    one_error_line(solve(instance, out), str(out), "Read-only file system")


def test_a_second_solve_into_the_same_out_is_refused(instance: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve(instance, out).exit_code == 0
    before = {n: (out / n).read_bytes() for n in OUTPUTS}
    with open_folder(out):  # another run holds the folder
        one_error_line(solve(instance, out), "another rostering run is writing")
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == before


def test_disk_full_while_writing_keeps_the_previous_set(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert solve(instance, out, "--seed", "1").exit_code == 0
    before = {n: (out / n).read_bytes() for n in OUTPUTS}
    real = safe.write_temp

    def full(path: Path, text: str, mode: int, suffix: str = ".tmp") -> Path:
        if path.name == "coverage.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, text, mode, suffix)

    monkeypatch.setattr("rostering.io.outfolder.write_temp", full)
    one_error_line(solve(instance, out), "No space left on device", "previous outputs are kept")
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == before
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, ".rostering.lock"])


def test_outputs_get_the_umasks_permissions(instance: Path, tmp_path: Path) -> None:
    previous = os.umask(0o002)
    try:
        out = tmp_path / "out"
        assert solve(instance, out).exit_code == 0
    finally:
        os.umask(previous)
    for name in OUTPUTS:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o664, name


def test_update_history_keeps_the_mode_of_the_existing_file(instance: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve(instance, out).exit_code == 0
    history = tmp_path / "history.csv"
    history.write_text("employee_id,period_start,nights,weekends,minutes\n", encoding="utf-8")
    history.chmod(0o640)
    result = invoke("check", str(instance), str(out / "roster.csv"),
                    "--update-history", str(history))  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(history.stat().st_mode) == 0o640
    assert "J1" in history.read_text(encoding="utf-8")


def test_check_warns_when_the_roster_is_not_the_one_its_summary_names(
    instance: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert solve(instance, out).exit_code == 0
    roster = out / "roster.csv"
    result = invoke("check", str(instance), str(roster))
    assert "differs from the roster its summary.json" not in result.stderr
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    roster.write_text("".join(lines[:-1]), encoding="utf-8")  # one shift fewer
    result = invoke("check", str(instance), str(roster))
    assert "differs from the roster its summary.json describes" in result.stderr


def test_the_memory_guard_refuses_before_the_build(instance: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert solve(instance, out).exit_code == 0
    line = one_error_line(
        solve(instance, out, "--max-memory", "100M"),
        str(instance), "45 shift variables", "the limit is 0.1 GiB", "--max-memory",
    )  # fmt: skip
    assert "GiB with" in line
    # a refused run writes no roster: the previous one is removed with its summary
    assert sorted(p.name for p in out.iterdir()) == [".rostering.lock"]
    assert solve(instance, out, "--max-memory", "0").exit_code == 0  # 0: no limit


def test_batch_refuses_a_second_batch_into_the_same_out(instance: Path, tmp_path: Path) -> None:
    out = tmp_path / "batch"
    with open_folder(out):
        result = invoke("batch", str(instance), "--out", str(out), "--time-limit", "5")
    one_error_line(result, "another rostering run is writing")


def test_scheduler_local_means_a_local_cluster(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("distributed")
    import rostering.batch
    from rostering.io.errors import InputError

    def started(options: Any, n: int) -> Any:
        raise InputError(f"local cluster for {n} instance(s)")

    monkeypatch.setattr(rostering.batch, "_local_dask_pool", started)
    for extra in ([], ["--scheduler", "local"]):
        result = invoke("batch", str(instance), "--out", str(tmp_path / "b"), "--executor",
                        "dask", *extra)  # fmt: skip
        one_error_line(result, "local cluster for 1 instance(s)")
    result = invoke("batch", str(instance), "--out", str(tmp_path / "b"), "--executor", "dask",
                    "--scheduler", "nowhere")  # fmt: skip
    one_error_line(result, "'nowhere' is not a scheduler address")


@pytest.mark.skipif(
    importlib.util.find_spec("distributed") is None, reason="dask[distributed] not installed"
)
def test_batch_on_dask_without_a_scheduler_starts_a_local_cluster(
    instance: Path, tmp_path: Path
) -> None:
    out = tmp_path / "batch"
    result = invoke("--log-format", "json", "batch", str(instance), "--out", str(out),
                    "--executor", "dask", "--time-limit", "5", "--jobs", "1")  # fmt: skip
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert events[-1]["event"] == "result" and events[-1]["legal"] == 1
    assert (out / instance.name / "roster.csv").exists()


def test_a_file_that_cannot_be_written_is_exit_2(
    instance: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    result = invoke("staffing", str(instance), "--out", str(a_file / "staffing.csv"))
    one_error_line(result, str(a_file / "staffing.csv"))

    def full(path: Path, text: str, mode: int, suffix: str = ".tmp") -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(path) + ".x.tmp")

    monkeypatch.setattr(safe, "write_temp", full)
    target = tmp_path / "staffing.csv"
    result = invoke("staffing", str(instance), "--out", str(target))
    assert one_error_line(result) == f"error: {target}: No space left on device"
    assert not target.exists()
