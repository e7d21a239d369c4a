"""Errors a user can fix: one line each, naming the file, the row or key, and what is accepted."""

from __future__ import annotations

import re
from pathlib import Path

# characters that would break a message into several lines (str.splitlines) or hide text
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped (\\n, \\x00, ...)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class InputError(Exception):
    """Bad input or usage. The CLI prints each line on stderr and exits with code 2.

    A line never spans several lines: a key, path or cell quoted in it may hold a line break
    (a TOML key "a\\nb", a model path with a newline), which is escaped here."""

    def __init__(self, *lines: str) -> None:
        self.lines = [one_line(line) for line in lines]
        super().__init__("\n".join(self.lines))


def where(path: Path | str, row: int | None = None, key: str | None = None) -> str:
    """`file`, `file:row` or `file:key` / `file:row: column key` as a message prefix."""
    text = str(path)
    if row is not None:
        text += f":{row}"
    if key is not None:
        text += f": {key}" if row is None else f": column {key}"
    return text
