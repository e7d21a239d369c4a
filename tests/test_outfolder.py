"""The --out folder is written as one set: fault injection at every step of a write (disk
full, failed renames), a kill between two renames, the lock against a second writer,
permissions from the umask, and the checks made before solving."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from rostering.io import outfolder, safe
from rostering.io.errors import InputError
from rostering.io.outfolder import JOURNAL_NAME, LOCK_NAME, open_folder, preflight, recover

ROOT = Path(__file__).resolve().parents[1]
OLD = {"roster.csv": "old roster\n", "coverage.csv": "old coverage\n"}
NEW = {"roster.csv": "new roster\n" * 50, "coverage.csv": "new coverage\n" * 50}
SETS = ("roster.csv", "coverage.csv", "summary.json")


def with_summary(files: dict[str, str]) -> dict[str, str]:
    """A set whose summary.json names the hash of its roster.csv, as write_outputs does."""
    digest = hashlib.sha256(files["roster.csv"].encode()).hexdigest() if files else None
    return {**files, "summary.json": json.dumps({"roster_sha256": digest}) + "\n"}


def contents(folder: Path) -> dict[str, str]:
    return {n: (folder / n).read_text(encoding="utf-8") for n in SETS if (folder / n).exists()}


def leftovers(folder: Path) -> list[str]:
    """Files that are neither outputs nor the lock: temporary files, backups, a journal."""
    return sorted(p.name for p in folder.iterdir() if p.name not in (*SETS, LOCK_NAME))


def assert_consistent(folder: Path) -> None:
    """Whenever summary.json is present, its roster_sha256 names the roster.csv beside it."""
    summary = folder / "summary.json"
    if not summary.exists():
        return
    digest = json.loads(summary.read_text(encoding="utf-8"))["roster_sha256"]
    roster = folder / "roster.csv"
    if digest is None:
        assert not roster.exists()
    else:
        assert hashlib.sha256(roster.read_bytes()).hexdigest() == digest


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    with open_folder(out) as f:
        f.commit(with_summary(OLD))
    return out


class Faults:
    """Counts the calls a write makes to the file system and fails the n-th with ENOSPC
    (a full disk), once."""

    def __init__(self, fail_at: int | None) -> None:
        self.fail_at = fail_at
        self.calls = 0

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            if self.calls == self.fail_at:
                raise OSError(errno.ENOSPC, "No space left on device")
            return func(*args, **kwargs)

        return call


def inject(monkeypatch: pytest.MonkeyPatch, faults: Faults) -> None:
    for name in ("rename", "replace", "fsync", "unlink", "fchmod"):
        monkeypatch.setattr(os, name, faults.wrap(getattr(os, name)))
    monkeypatch.setattr(safe.tempfile, "mkstemp", faults.wrap(safe.tempfile.mkstemp))


def count_calls(tmp_path: Path, new: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> int:
    out = tmp_path / "count"
    with open_folder(out) as f:
        f.commit(with_summary(OLD))
    with monkeypatch.context() as m:
        faults = Faults(None)
        inject(m, faults)
        with open_folder(out) as f:
            f.commit(new, remove=SETS)
    return faults.calls


@pytest.mark.parametrize("roster", [True, False], ids=["new roster", "no roster"])
def test_a_failure_at_any_step_leaves_the_old_set_or_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, roster: bool
) -> None:
    """Every file-system call of a write fails in turn (ENOSPC): the folder then holds the
    old set or the new one, never a mix, and no temporary file once reopened."""
    new = with_summary(NEW if roster else {})
    if not roster:
        new = {"summary.json": new["summary.json"]}
    steps = count_calls(tmp_path, new, monkeypatch)
    assert steps >= 8
    outcomes = set()
    for step in range(1, steps + 1):
        out = tmp_path / f"step{step}"
        with open_folder(out) as f:
            f.commit(with_summary(OLD))
        old = contents(out)
        faults = Faults(step)
        with monkeypatch.context() as m:
            inject(m, faults)
            try:
                with open_folder(out) as f:
                    f.commit(new, remove=SETS)
                outcome = "new"
            except InputError as exc:
                assert len(exc.lines) == 1
                assert "No space left on device" in exc.lines[0], exc.lines
                outcome = "old"
        now = contents(out)
        assert now == (old if outcome == "old" else new), (step, now)
        assert_consistent(out)
        with open_folder(out):  # a later run recovers: nothing of ours is left over
            pass
        assert contents(out) == now
        assert leftovers(out) == [], (step, leftovers(out))
        outcomes.add(outcome)
    assert outcomes == {"old", "new"}


@pytest.mark.parametrize("kill_at", range(1, 7))
def test_a_kill_between_renames_is_undone_by_the_next_run(tmp_path: Path, kill_at: int) -> None:
    """The process dies (os._exit, as SIGKILL) at the n-th rename of a write: summary.json
    never describes other files than those beside it, and the next run restores the old
    set and removes every temporary file."""
    out = tmp_path / "out"
    with open_folder(out) as f:
        f.commit(with_summary(OLD))
    old = contents(out)
    new = with_summary(NEW)
    script = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from rostering.io.outfolder import open_folder
        calls = [0]
        real = os.rename
        def rename(*args):
            calls[0] += 1
            if calls[0] == {kill_at}:
                os._exit(137)
            real(*args)
        os.rename = rename
        with open_folder(Path(sys.argv[1])) as f:
            f.commit({new!r}, remove={SETS!r})
    """)
    done = subprocess.run([sys.executable, "-c", script, str(out)], cwd=ROOT, check=False)
    assert_consistent(out)
    if done.returncode == 0:  # fewer renames than kill_at: the write completed
        assert contents(out) == new
        return
    assert done.returncode == 137
    assert (out / JOURNAL_NAME).exists()
    with open_folder(out):
        pass
    assert contents(out) == old
    assert leftovers(out) == []


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with open_folder(out):
        with pytest.raises(InputError, match="another rostering run is writing"):
            preflight(out)
        held = subprocess.run(
            [sys.executable, "-c",
             "import sys; from pathlib import Path; from rostering.io.outfolder import preflight;"
             "preflight(Path(sys.argv[1]))", str(out)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert held.returncode != 0 and "another rostering run is writing" in held.stderr
    with open_folder(out):  # released
        pass


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    previous = os.umask(0o022)
    yield os.umask
    os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o027])
def test_outputs_get_the_umasks_permissions(
    tmp_path: Path, umask: Callable[[int], None], mask: int
) -> None:
    umask(mask)
    out = tmp_path / "out"
    with open_folder(out) as f:
        f.commit(with_summary(NEW))
    for name in SETS:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~mask, name
    target = tmp_path / "staffing.csv"
    safe.write_atomic(target, "x\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_a_rewritten_shared_file_keeps_its_mode(
    tmp_path: Path, umask: Callable[[int], None]
) -> None:
    umask(0o077)
    history = tmp_path / "history.csv"
    history.write_text("old\n", encoding="utf-8")
    history.chmod(0o664)
    safe.write_atomic(history, "new\n", keep_mode=True)
    assert stat.S_IMODE(history.stat().st_mode) == 0o664
    assert history.read_text(encoding="utf-8") == "new\n"


def test_out_must_be_a_folder_and_not_a_dangling_link(tmp_path: Path) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="--out must be a folder; this is a file"):
        preflight(a_file)
    dangling = tmp_path / "link"
    dangling.symlink_to(tmp_path / "gone")
    with pytest.raises(InputError, match="symbolic link to .*gone.*which does not exist"):
        preflight(dangling)
    under_a_file = a_file / "out"
    with pytest.raises(InputError, match="cannot write into the --out folder"):
        preflight(under_a_file)


def test_a_read_only_out_folder_is_refused_before_solving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file system (EROFS, which root meets too): the probe file fails."""
    out = tmp_path / "out"
    out.mkdir()
    real_mkstemp = outfolder.tempfile.mkstemp

    def read_only(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("dir") == out:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_mkstemp(*args, **kwargs)

    monkeypatch.setattr(outfolder.tempfile, "mkstemp", read_only)
    with pytest.raises(InputError, match="cannot write into the --out folder .Read-only"):
        preflight(out)
    monkeypatch.undo()
    with open_folder(out):  # the refused run released its lock
        pass


def test_a_created_folder_left_empty_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "new" / "out"
    with open_folder(out):
        assert out.is_dir()
    assert not out.exists()


def test_recover_removes_only_our_temporary_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    ours = [".roster.csv.abcd1234.tmp", ".summary.json.0123456789ab.old"]
    theirs = ["notes.tmp", ".hidden", "report.html", ".x.tmp"]
    for name in ours + theirs:
        (out / name).write_text("x", encoding="utf-8")
    recover(out)
    assert sorted(p.name for p in out.iterdir()) == sorted(theirs)
