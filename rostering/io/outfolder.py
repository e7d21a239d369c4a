"""The --out folder of a run: checked before solving, locked against a second writer, and
written as one set (roster.csv, coverage.csv, summary.json: all from one run, or all from
the run before).

A set is written in the folder itself, not in a folder renamed into place: --out may be a
link, a mount point or hold other files (a report, a batch's other instances), which a
folder swap would break. Instead:

1. every new file is written to a temporary file beside its target and flushed to disk;
2. a journal (`.rostering-commit.json`) names the renames to come;
3. the old files are moved aside (summary.json first), the new ones moved in (summary.json
   last), so that whenever a summary.json is present, the files beside it are its run's;
4. removing the journal is the commit point; the old files are then deleted.

A failure before the commit point (a full disk, a failed rename) moves the old files back.
A run killed before it leaves the journal, and the next run that opens the folder (or
`recover`) moves the old files back the same way; leftovers of ours are deleted too.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rostering.io.errors import InputError
from rostering.io.safe import MAX_CSV_BYTES, file_mode, read_bytes, write_temp

LOCK_NAME = ".rostering.lock"
JOURNAL_NAME = ".rostering-commit.json"
SUMMARY = "summary.json"
# temporary files of ours: ".<name>.<random>.tmp" (new content) and ".<name>.<token>.old"
# (an old file moved aside); only these are deleted when a folder is recovered
_LEFTOVER = re.compile(r"\A\.[\w.-]+\.(\w{8}\.tmp|[0-9a-f]{12}\.old)\Z")


class OutputFolder:
    """An --out folder, checked and locked; use `open_folder` to get one."""

    def __init__(self, path: Path, lock_fd: int, created: bool) -> None:
        self.path = path
        self._lock_fd = lock_fd
        self._created = created
        self.committed = False

    def commit(self, files: dict[str, str], remove: Iterable[str] = ()) -> None:
        """Replace the folder's set: write `files` (name -> text) and delete `remove`, all
        or nothing. A write that fails (disk full, read-only) restores the old set and is
        an InputError (an environment problem, exit 2)."""
        mode = file_mode(self.path, keep=False)
        staged: dict[str, Path] = {}
        try:
            for name, text in files.items():
                staged[name] = write_temp(self.path / name, text, mode)
        except OSError as exc:
            _unlink_all(staged.values())
            raise _write_error(self.path / name, exc) from None
        except BaseException:
            _unlink_all(staged.values())
            raise
        names = [n for n in dict.fromkeys([*remove, *files]) if os.path.lexists(self.path / n)]
        token = secrets.token_hex(6)
        aside = {n: self.path / f".{n}.{token}.old" for n in names}
        journal = {"aside": {n: p.name for n, p in aside.items()},
                   "staged": {n: p.name for n, p in staged.items()}}  # fmt: skip
        moved: list[str] = []
        installed: list[str] = []
        try:
            _write_journal(self.path, journal, mode)
            for name in _summary_first(names):
                os.rename(self.path / name, aside[name])
                moved.append(name)
            for name in _summary_last(staged):
                os.rename(staged[name], self.path / name)
                installed.append(name)
            _sync_dir(self.path)
            os.unlink(self.path / JOURNAL_NAME)  # the commit point
        except BaseException as exc:
            _roll_back(self.path, moved, installed, aside, staged)
            if isinstance(exc, OSError):
                raise _write_error(self.path, exc) from None
            raise
        self.committed = True
        _unlink_all(aside.values())
        _sync_dir(self.path)

    def close(self) -> None:
        """Release the lock; a folder this run created and left empty is removed."""
        if self._lock_fd < 0:
            return
        if self._created:
            with contextlib.suppress(OSError):
                if [p.name for p in self.path.iterdir()] == [LOCK_NAME]:
                    (self.path / LOCK_NAME).unlink()
                    self.path.rmdir()
        os.close(self._lock_fd)  # closing the descriptor releases the flock
        self._lock_fd = -1


@contextlib.contextmanager
def open_folder(path: Path) -> Iterator[OutputFolder]:
    """Check `path` as an --out folder (creating it), lock it and recover a set a killed run
    left half-written. Every problem is an InputError naming the folder."""
    folder = preflight(path)
    try:
        yield folder
    finally:
        folder.close()


def preflight(path: Path) -> OutputFolder:
    """The checks of `open_folder`, done before any solving; returns the locked folder."""
    if os.path.islink(path) and not os.path.exists(path):
        raise InputError(
            f"{path}: --out is a symbolic link to {os.readlink(path)!r}, which does not exist; "
            "create that folder or choose another --out"
        )
    if os.path.lexists(path) and not path.is_dir():
        raise InputError(f"{path}: --out must be a folder; this is a file")
    created = not os.path.lexists(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        fd = os.open(path / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise InputError(f"{path}: cannot write into the --out folder ({exc.strerror})") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            raise InputError(
                f"{path}: another rostering run is writing into this folder (it holds "
                f"{LOCK_NAME}); wait for it to finish or choose another --out"
            ) from None
        raise InputError(f"{path}: cannot lock the --out folder ({exc.strerror})") from None
    folder = OutputFolder(path, fd, created)
    try:
        probe, name = tempfile.mkstemp(prefix=".rostering-probe.", suffix=".tmp", dir=path)
        os.close(probe)
        os.unlink(name)
        recover(path)
    except OSError as exc:
        folder.close()
        raise InputError(f"{path}: cannot write into the --out folder ({exc.strerror})") from None
    except BaseException:
        folder.close()
        raise
    return folder


def recover(path: Path) -> bool:
    """Undo a set a killed run left half-written (its journal names the renames), and delete
    temporary files of ours. Call with the folder locked. Returns whether a set was undone."""
    journal_path = path / JOURNAL_NAME
    undone = False
    if os.path.lexists(journal_path):
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
            aside = {n: path / p for n, p in journal["aside"].items()}
            staged = {n: path / p for n, p in journal["staged"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            aside, staged = {}, {}  # written whole by rename: unreadable means not ours
        # every name may have been moved aside or installed: move back what is aside, and
        # delete new files whose name had no old file
        _roll_back(path, list(aside), [n for n in staged if n not in aside], aside, staged)
        undone = True
    for entry in os.listdir(path):
        if _LEFTOVER.match(entry):
            with contextlib.suppress(OSError):
                os.unlink(path / entry)
    return undone


def _roll_back(
    path: Path,
    moved: list[str],
    installed: list[str],
    aside: dict[str, Path],
    staged: dict[str, Path],
) -> None:
    """Put the old set back: delete what was installed, move back what was moved aside, then
    delete the temporary files and the journal (last: it is what a later recovery reads)."""
    for name in installed:
        if name not in aside:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path / name)
    for name in moved:
        if os.path.lexists(aside[name]):
            os.replace(aside[name], path / name)
    _unlink_all(staged.values())
    _sync_dir(path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path / JOURNAL_NAME)


def _write_journal(path: Path, journal: dict[str, Any], mode: int) -> None:
    tmp = write_temp(path / JOURNAL_NAME, json.dumps(journal), mode)
    try:
        os.replace(tmp, path / JOURNAL_NAME)
    except BaseException:
        _unlink_all([tmp])
        raise
    _sync_dir(path)


def _summary_first(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: n != SUMMARY)


def _summary_last(names: Iterable[str]) -> list[str]:
    return sorted(names, key=lambda n: n == SUMMARY)


def _unlink_all(paths: Iterable[Path]) -> None:
    for p in paths:
        with contextlib.suppress(OSError):
            os.unlink(p)


def _sync_dir(path: Path) -> None:
    """Flush the folder's entries (the renames) to disk, where the file system allows."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_error(path: Path, exc: OSError) -> InputError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += "; free some space"
    return InputError(f"{path}: cannot write ({reason}); the previous outputs are kept")


def manifest_warnings(roster: Path) -> list[str]:
    """What a reader of `roster` should know from the manifest beside it: summary.json's
    roster_sha256 names the roster its run wrote, and a journal an unfinished write."""
    folder = roster.parent
    if os.path.lexists(folder / JOURNAL_NAME):
        return [f"{folder}: a run was stopped while writing this folder; its outputs may be "
                "mixed until the next run into it restores the previous ones"]  # fmt: skip
    if roster.name != "roster.csv" or not (folder / SUMMARY).is_file():
        return []
    try:
        manifest = json.loads(read_bytes(folder / SUMMARY, MAX_CSV_BYTES))
        expected = manifest.get("roster_sha256") if isinstance(manifest, dict) else None
        actual = hashlib.sha256(read_bytes(roster, MAX_CSV_BYTES)).hexdigest()
    except (InputError, ValueError):
        return []  # not a summary.json of ours, or the roster's own error follows
    if expected is None or expected == actual:
        return []
    return [f"{roster}: differs from the roster its summary.json describes (edited by hand, "
            "or written by another program)"]  # fmt: skip
