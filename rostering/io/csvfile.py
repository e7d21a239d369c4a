"""A strict CSV reader: BOM and CRLF tolerant, unknown/missing columns are errors."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from rostering.io.errors import InputError, where
from rostering.io.safe import MAX_CSV_BYTES, read_bytes

IDENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}\Z")


@dataclass(frozen=True)
class Row:
    """One data row: `line` is its 1-based line number in the file (the header is line 1)."""

    path: Path
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        return self.cells.get(column, "").strip()

    def fail(self, column: str, message: str) -> InputError:
        return InputError(f"{where(self.path, self.line, column)}: {message}")

    def ident(self, column: str) -> str:
        value = self.get(column)
        if not IDENT.match(value):
            raise self.fail(
                column, f"{value!r} is not an identifier (letters, digits, _ . -; no spaces)"
            )
        return value

    def integer(
        self,
        column: str,
        *,
        minimum: int | None = 0,
        default: int | None = None,
        maximum: int | None = None,
    ) -> int:
        value = self.get(column)
        if value == "" and default is not None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise self.fail(column, f"{number} is below the minimum {minimum}")
        if maximum is not None and number > maximum:
            raise self.fail(column, f"{number} is above the maximum {maximum}")
        return number

    def optional_integer(
        self, column: str, *, minimum: int | None = 0, maximum: int | None = None
    ) -> int | None:
        if self.get(column) == "":
            return None
        return self.integer(column, minimum=minimum, maximum=maximum)

    def number(self, column: str, *, minimum: float = 0.0, maximum: float | None = None) -> float:
        value = self.get(column)
        try:
            number = float(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a number") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise self.fail(column, f"{value!r} is not a finite number")
        if number < minimum:
            raise self.fail(column, f"{value} is below the minimum {minimum:g}")
        if maximum is not None and number > maximum:
            raise self.fail(column, f"{value} is above the maximum {maximum:g}")
        return number

    def date(self, column: str) -> date:
        value = self.get(column)
        try:
            if not DATE.match(value):  # fromisoformat alone also takes 2026-W49-1, 20261130
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a date YYYY-MM-DD") from None

    def datetime(self, column: str) -> datetime:
        value = self.get(column)
        try:
            if not DATETIME.match(value):  # not 2026-11-30T0000Z: no time zones in a plan
                raise ValueError
            return datetime.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"{value!r} is not a datetime YYYY-MM-DDTHH:MM") from None

    def choice(self, column: str, accepted: list[str] | tuple[str, ...]) -> str:
        value = self.get(column)
        if value not in accepted:
            raise self.fail(column, f"{value!r} is not one of: {', '.join(accepted)}")
        return value


def read_text(path: Path, limit: int = MAX_CSV_BYTES) -> str:
    """A regular file of at most `limit` bytes as str: UTF-8 with or without BOM; anything
    else is an InputError."""
    data = read_bytes(path, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: byte {exc.start} is not UTF-8; save the file as UTF-8 (CSV UTF-8)"
        ) from None


def read_csv(
    path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> Iterator[Row]:
    """Rows of a CSV file whose header must hold every `required` column and no others
    than `required` + `optional`. Blank lines are skipped."""
    text = read_text(path)
    if "\x00" in text:
        raise InputError(f"{path}: contains NUL bytes; is it a CSV text file?")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{where(path, 1)}: malformed CSV ({exc})") from None
    if header is None or not any(h.strip() for h in header):
        raise InputError(f"{path}: empty file; expected a header {','.join(required)}")
    columns = [h.strip() for h in header]
    accepted = required + optional
    if required and not set(columns) & set(required):
        # not this kind of file at all (a link to a system file, say): quote none of it
        raise InputError(
            f"{where(path, 1)}: the header names none of the columns {', '.join(required)}; "
            f"is this the right file? (its content is not shown)"
        )
    for column in columns:
        if column not in accepted:
            raise InputError(
                f"{where(path, 1)}: unknown column {column!r}; accepted: {', '.join(accepted)}"
            )
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            raise InputError(f"{where(path, 1)}: column {column!r} appears twice")
        seen.add(column)
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputError(
            f"{where(path, 1)}: missing column {', '.join(repr(c) for c in missing)}; "
            f"required: {', '.join(required)}"
        )
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(columns):
                raise InputError(
                    f"{where(path, line)}: {len(cells)} cells, the header has {len(columns)}"
                )
            yield Row(path, line, dict(zip(columns, cells, strict=True)))
    except csv.Error as exc:
        raise InputError(f"{where(path, reader.line_num)}: malformed CSV ({exc})") from None
