"""Reading only regular files of bounded size, writing files whole or not at all with the
umask's permissions, and CSV cells a spreadsheet will not execute."""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rostering.io.errors import InputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MIB = 1 << 20
# The largest file read, by kind. A site model or instance.toml is a page of text; a CSV of
# 64 MiB holds about 1.5 million rows (a 15-minute forecast of 10 years by 10 tiers).
MAX_TOML_BYTES = 1 * MIB
MAX_CSV_BYTES = 64 * MIB
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def read_bytes(path: Path, limit: int) -> bytes:
    """The content of `path`, a regular file of at most `limit` bytes; anything else is an
    InputError. The file is opened with O_NONBLOCK and checked with fstat before the first
    read, so a FIFO never waits for a writer and a device is never read."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        dangling = " (a symbolic link to a missing file)" if os.path.islink(path) else ""
        raise InputError(f"{path}: file not found{dangling}") from None
    except ValueError:  # a NUL character in the path (instance.toml's model = "a\u0000b")
        raise InputError(f"{path}: not a valid file name") from None
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # a socket, or a device without a driver
            raise InputError(f"{path}: not a regular file (a socket or device)") from None
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        info = os.fstat(fd)
        kind = stat.S_IFMT(info.st_mode)
        if kind != stat.S_IFREG:
            what = _KINDS.get(kind, "not a regular file")
            raise InputError(f"{path}: {what}, not a regular file; only files are read")
        if info.st_size > limit:
            raise InputError(_too_large(path, f"{info.st_size:,} bytes", limit))
        chunks: list[bytes] = []
        total = 0
        while chunk := os.read(fd, min(MIB, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # a file growing while read, or one whose size says 0 (/proc)
                raise InputError(_too_large(path, f"over {limit:,} bytes", limit))
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    finally:
        os.close(fd)


def _too_large(path: Path, size: str, limit: int) -> str:
    return (
        f"{path}: {size}; files over {limit // MIB} MiB ({limit:,} bytes) of this kind are not read"
    )


def lexists(path: Path) -> bool:
    """Whether `path` names anything, a dangling symbolic link included (read: file not found)."""
    return os.path.lexists(path)


def neutralise(value: Any) -> Any:
    """A text cell starting like a formula gets a leading apostrophe; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return buffer.getvalue()


def umask() -> int:
    """The process's umask (read from /proc where it is shown, else set and restored)."""
    with contextlib.suppress(OSError, ValueError), open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode(path: Path, keep: bool) -> int:
    """Permissions for a new file at `path`: the umask's (0666 & ~umask), or with `keep` the
    existing file's own, so that rewriting a shared file keeps who may read it."""
    if keep:
        with contextlib.suppress(OSError):
            return stat.S_IMODE(os.stat(path).st_mode)
    return 0o666 & ~umask()


def write_temp(path: Path, data: str | bytes, mode: int, suffix: str = ".tmp") -> Path:
    """Write `data` (text as UTF-8) to a new temporary file beside `path` with permissions
    `mode`, flushed to disk; returns its path. On any failure the temporary file is removed."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)  # mkstemp makes it 0600
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def write_atomic(path: Path, text: str | bytes, keep_mode: bool = False) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over `path`.
    The file gets the umask's permissions, or with `keep_mode` those of the file it replaces.
    Text is written as UTF-8; bytes (a workbook, a calendar) as they are."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = write_temp(path, text, file_mode(path, keep_mode))
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _named(exc, path) from None
        raise


class WriteError(OSError):
    """A file could not be written (disk full, read-only, no such folder): a problem of the
    machine or the path given, which the CLI reports as one line and exit 2."""


def _named(exc: OSError, path: Path) -> OSError:
    """The error naming the file the caller wrote, not a temporary file beside it."""
    if exc.errno is None:
        return exc
    return WriteError(exc.errno, exc.strerror, str(path))


def write_all(files: dict[Path, str]) -> None:
    """Write several files, each atomically; every text is ready before the first rename."""
    for path, text in files.items():
        write_atomic(path, text)


def remove(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
