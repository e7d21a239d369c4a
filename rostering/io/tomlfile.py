"""Reading a TOML file (a site model, instance.toml) without quoting what it holds when it
is malformed: tomllib's messages name keys and characters of the file."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from rostering.io.csvfile import read_text
from rostering.io.errors import InputError
from rostering.io.safe import MAX_TOML_BYTES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_POSITION = re.compile(r"\s*\((at line \d+, column \d+|at end of document)\)\s*\Z")
# tomllib messages that quote the file, and the same said without quoting it
_QUOTING = (
    (re.compile(r"Cannot declare .* twice"), "a key or table is declared twice"),
    (re.compile(r"Cannot (mutate immutable|redefine) namespace .*"), "a table is defined twice"),
    (re.compile(r"Duplicate inline table key .*"), "a key appears twice in an inline table"),
    (re.compile(r"Found invalid character .*"), "invalid character"),
    (re.compile(r"Illegal character .*"), "illegal character in a string"),
)


def toml_problem(exc: Exception) -> str:
    """What is wrong and where, e.g. "Invalid value (at line 3, column 9)", never a key or
    character of the file."""
    text = str(exc)
    match = _POSITION.search(text)
    where = f" ({match.group(1)})" if match else ""
    what = text[: match.start()] if match else text
    for pattern, said in _QUOTING:
        if pattern.fullmatch(what):
            return said + where
    if "'" in what.replace("'\\'", "") and not what.startswith("Expected '"):
        return "syntax error" + where
    return what + where


def load_toml(path: Path) -> dict[str, Any]:
    """A TOML file of at most MAX_TOML_BYTES, parsed; malformed is an InputError."""
    try:
        return tomllib.loads(read_text(path, MAX_TOML_BYTES))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: malformed TOML ({toml_problem(exc)})") from None
