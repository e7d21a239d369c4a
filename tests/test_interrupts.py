"""Signals, kills and failed writes: a stopped solve still writes its best roster, a killed
one leaves the previous outputs whole, and no file is ever half-written.

These run the real command in a subprocess (`python -m rostering`), as cron and
schedulers do."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pytest

from rostering.io import safe
from rostering.io.roster import read_roster
from rostering.pipeline import load
from tests.builders import HOTLINE
from tests.instance_files import write_instance

ROOT = Path(__file__).resolve().parents[1]
OUTPUTS = ("roster.csv", "coverage.csv", "summary.json")


class Run:
    """A `python -m rostering ...` subprocess whose stderr is read line by line."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.stdout_path = cwd / f"stdout-{time.monotonic_ns()}.txt"
        self.started = time.monotonic()
        self._stdout = self.stdout_path.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "rostering", *args],
            cwd=ROOT,
            stdout=self._stdout,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.proc.stderr,), daemon=True).start()

    def _read(self, stream: IO[str] | None) -> None:
        assert stream is not None
        for line in stream:
            self.stderr.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def wait_for_progress(self, timeout: float = 30.0) -> None:
        """Block until the first progress line (a roster was found) appears on stderr."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"the run ended before any progress: {self.stderr}")
            if "objective" in line and "bound" in line:
                return

    def wait(self, timeout: float) -> int:
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                if self.proc.poll() is None:
                    self.proc.kill()
                    self.proc.wait()
            self._stdout.close()
        return code

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text(encoding="utf-8")


@contextlib.contextmanager
def running(*args: str, cwd: Path) -> Iterator[Run]:
    run = Run(*args, cwd=cwd)
    try:
        yield run
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()
        run._stdout.close()


def rostering(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rostering", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def assert_legal_outputs(instance: Path, out: Path) -> dict[str, Any]:
    """The three files parse, and `rostering check` finds the roster legal."""
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    problem = load(instance)
    roster = read_roster(out / "roster.csv", problem)
    assert len(roster.assignments) == summary["shifts_assigned"]
    with (out / "coverage.csv").open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f))
    check = rostering("check", str(instance), str(out / "roster.csv"), "--format", "json")
    assert check.returncode == 0, check.stdout + check.stderr
    return summary


def hotline_copy(folder: Path, weight: int = 0) -> Path:
    """The bundled hotline week in `folder`, its model without the [fairness] limits (which
    make a first legal roster take the full search: these tests need one in seconds), priced
    by headcount alone (no `service` weight) and with `fairness_minutes = weight`."""
    folder.mkdir(parents=True)
    for name in ("forecast.csv", "previous.csv", "requests.csv", "staff.csv"):
        shutil.copy(HOTLINE / name, folder / name)
    instance = (HOTLINE / "instance.toml").read_text(encoding="utf-8")
    (folder / "instance.toml").write_text(
        instance.replace("../../models/hotline.toml", "model.toml"), encoding="utf-8"
    )
    model = (ROOT / "models" / "hotline.toml").read_text(encoding="utf-8")
    assert "fairness_minutes = 0" in model and "\n[fairness]" in model
    model = model.split("\n[fairness]")[0]
    model, priced = re.subn(r"(?m)^service = \d+", "service = 0", model)
    assert priced == 1
    (folder / "model.toml").write_text(
        model.replace("fairness_minutes = 0", f"fairness_minutes = {weight}"), encoding="utf-8"
    )
    return folder


@pytest.fixture
def slow_hotline(tmp_path: Path) -> Path:
    """The bundled hotline week with a fairness weight: column generation, which proves the
    plain week optimal in seconds, does not apply to it, so the search runs until stopped."""
    return hotline_copy(tmp_path / "slow" / HOTLINE.name, weight=1)


@pytest.fixture
def plain_hotline(tmp_path: Path) -> Path:
    return hotline_copy(tmp_path / "plain" / HOTLINE.name)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_the_search_and_writes_the_best_roster(
    tmp_path: Path, sig: signal.Signals, slow_hotline: Path
) -> None:
    out = tmp_path / "out"
    with running("solve", str(slow_hotline), "--out", str(out), "--time-limit", "60",
                 cwd=tmp_path) as run:  # fmt: skip
        run.wait_for_progress()
        signalled = time.monotonic()
        run.proc.send_signal(sig)
        code = run.wait(timeout=15)
        stopped_in = time.monotonic() - signalled
    assert code == 0, "".join(run.stderr)
    assert stopped_in < 5, f"took {stopped_in:.1f}s to stop after {sig.name}"
    summary = assert_legal_outputs(slow_hotline, out)
    assert summary["status"] == "FEASIBLE"
    assert summary["stop_reason"] == "signal"
    assert summary["hard_violations"] == []
    assert "FEASIBLE (signal)" in run.stdout
    assert not list(out.glob(".*.tmp"))


def test_kill_9_mid_solve_leaves_the_previous_outputs_intact(
    tmp_path: Path, plain_hotline: Path
) -> None:
    out = tmp_path / "out"
    first = rostering("solve", str(plain_hotline), "--out", str(out), "--time-limit", "3", "-q")
    assert first.returncode == 0, first.stderr
    before = {name: (out / name).read_bytes() for name in OUTPUTS}

    with running("solve", str(plain_hotline), "--out", str(out), "--time-limit", "60",
                 cwd=tmp_path) as run:  # fmt: skip
        run.wait_for_progress()
        run.proc.kill()
        code = run.wait(timeout=10)
    assert code == -signal.SIGKILL

    after = {name: (out / name).read_bytes() for name in OUTPUTS}
    assert after == before
    assert_legal_outputs(plain_hotline, out)
    # The kill came during the search, long before any write: no temporary file either.
    assert not list(out.glob(".*.tmp"))


def test_time_limit_counts_from_start_to_finish(tmp_path: Path, plain_hotline: Path) -> None:
    """A contract, not a speed test: --time-limit 5 ends the process within 5 s plus a
    generous 3 s for the interpreter's start (the limit itself counts loading and writing)."""
    out = tmp_path / "out"
    started = time.monotonic()
    result = rostering("solve", str(plain_hotline), "--out", str(out), "--time-limit", "5", "-q")
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert elapsed < 5 + 3, f"--time-limit 5 took {elapsed:.1f}s"
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["timing"]["wall_seconds"] <= 5.0
    assert summary["stop_reason"] in ("time_limit", "optimal")


def test_signal_ends_a_batch_running_solves_write_the_rest_are_not_run(
    tmp_path: Path, slow_hotline: Path
) -> None:
    small = write_instance(tmp_path / "small")
    out = tmp_path / "out"
    with running("batch", str(slow_hotline), str(small), "--out", str(out), "--jobs", "1",
                 "--time-limit", "60", cwd=tmp_path) as run:  # fmt: skip
        # The batch prints nothing until a solve ends: give the worker time to start.
        time.sleep(4)
        signalled = time.monotonic()
        run.proc.send_signal(signal.SIGTERM)
        code = run.wait(timeout=20)
        stopped_in = time.monotonic() - signalled
    assert code == 1, "".join(run.stderr)
    assert stopped_in < 8
    rows = list(csv.DictReader((out / "batch.csv").open(encoding="utf-8")))
    assert [r["instance"] for r in rows] == [HOTLINE.name, "small"]
    hotline, rest = rows
    summary = json.loads((out / HOTLINE.name / "summary.json").read_text(encoding="utf-8"))
    assert summary["stop_reason"] == "signal"
    if hotline["status"] == "FEASIBLE":  # a roster was found before the signal (the usual case)
        assert hotline["exit_code"] == "0"
        assert_legal_outputs(slow_hotline, out / HOTLINE.name)
    assert rest["status"] == "NOT_RUN" and rest["exit_code"] == "1"
    assert not (out / "small").exists()


# --------------------------------------------------------------------------- write_atomic


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("old,content\n", encoding="utf-8")
    return path


def temp_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def test_failed_rename_keeps_the_old_file_and_removes_the_temp_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_rename(src: str, dst: str) -> None:
        raise OSError("rename failed")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(OSError, match="rename failed"):
        safe.write_atomic(target, "new,content\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old,content\n"
    assert temp_files(target.parent) == []


class _DiskFullAfterHalf:
    """A file handle that writes half of what it is given, then fails (a full disk)."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle

    def __enter__(self) -> _DiskFullAfterHalf:
        return self

    def __exit__(self, *exc: object) -> None:
        self._handle.close()

    def write(self, text: str) -> int:
        self._handle.write(text[: len(text) // 2])
        self._handle.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)


@pytest.mark.parametrize("fails", ["write", "fsync", "interrupt"])
def test_a_write_failing_midway_never_leaves_a_half_written_file(
    target: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    real_fdopen, real_fsync = os.fdopen, os.fsync
    if fails == "write":
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: _DiskFullAfterHalf(real_fdopen(*a, **k)))
        expected: type[BaseException] = OSError
    elif fails == "fsync":

        def bad_fsync(fd: int) -> None:
            raise OSError(5, "Input/output error")

        monkeypatch.setattr(os, "fsync", bad_fsync)
        expected = OSError
    else:  # Ctrl-C between the write and the rename

        def interrupted(fd: int) -> None:
            real_fsync(fd)
            raise KeyboardInterrupt

        monkeypatch.setattr(os, "fsync", interrupted)
        expected = KeyboardInterrupt
    fresh = tmp_path / "coverage.csv"  # a file that did not exist before stays absent
    for path in (target, fresh):
        with pytest.raises(expected):
            safe.write_atomic(path, "new,content\n" * 1000)
    assert target.read_text(encoding="utf-8") == "old,content\n"
    assert not fresh.exists()
    assert temp_files(tmp_path) == []


def test_a_batch_worker_killed_mid_solve_is_retried_and_the_batch_completes(
    tmp_path: Path,
) -> None:
    psutil = pytest.importorskip("psutil")
    small = write_instance(tmp_path / "small")
    out = tmp_path / "out"
    with running("batch", str(HOTLINE), str(small), "--out", str(out), "--jobs", "1",
                 "--time-limit", "4", cwd=tmp_path) as run:  # fmt: skip
        parent = psutil.Process(run.proc.pid)
        deadline = time.monotonic() + 30
        workers: list[Any] = []
        while not workers and time.monotonic() < deadline:
            time.sleep(0.2)
            workers = [c for c in parent.children() if "spawn_main" in " ".join(c.cmdline())]
        assert workers, "no pool worker started"
        time.sleep(2)  # the worker is loading or solving the first instance
        workers[0].kill()
        code = run.wait(timeout=60)
    rows = list(csv.DictReader((out / "batch.csv").open(encoding="utf-8")))
    assert [r["instance"] for r in rows] == [HOTLINE.name, "small"]
    hotline, rest = rows
    # Retried in a fresh pool, not reported as a lost worker. (On a loaded machine the retry
    # may end without a roster in its time limit; that is the solve's verdict, not a crash.)
    assert "worker failed" not in hotline["error"], hotline
    assert hotline["status"] in ("OPTIMAL", "FEASIBLE", "UNKNOWN"), hotline
    if hotline["exit_code"] == "0":
        assert_legal_outputs(HOTLINE, out / HOTLINE.name)
    assert rest["exit_code"] == "0" and rest["error"] == ""
    assert code == (0 if hotline["exit_code"] == "0" else 1), "".join(run.stderr)
