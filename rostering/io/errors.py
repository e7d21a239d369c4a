"""Errors a user can fix: one line each, naming the file, the row or key, and what is accepted."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input or usage. The CLI prints each line on stderr and exits with code 2."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def where(path: Path | str, row: int | None = None, key: str | None = None) -> str:
    """`file`, `file:row` or `file:key` / `file:row: column key` as a message prefix."""
    text = str(path)
    if row is not None:
        text += f":{row}"
    if key is not None:
        text += f": {key}" if row is None else f": column {key}"
    return text
