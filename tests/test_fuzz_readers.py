"""Every reader survives anything: property-based fuzzing of the user-facing files.

Each example starts from a small valid instance (tests/instance_files.py, plus a
previous.csv, a history.csv and a roster), breaks ONE file (bytes, cells, header, TOML
values and keys, encodings) and runs the CLI exactly as cron would: `rostering check
INSTANCE ROSTER` (all readers, no solver) or `rostering staffing INSTANCE --out FILE`.
The outcome must be exit 0 or 1 (read correctly), or exit 2 with one `error: ...` line per
problem naming a file; never a traceback and never exit 70 (internal error).

Seeds are fixed (`derandomize=True`), so a run is reproducible. Run with `-s` to see how
many generated inputs each test ran.
"""

from __future__ import annotations

import csv
import io
import math
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rostering.cli import main
from rostering.io.errors import InputError
from rostering.io.site_model import MAX_WEIGHT
from tests.instance_files import MODEL, REQUESTS, STAFF, forecast

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Generated inputs per test (hypothesis max_examples; derandomized, so every run is the same).
EXAMPLES: dict[str, int] = {
    "test_fuzz_bytes": 600,
    "test_fuzz_cells": 650,
    "test_fuzz_header": 250,
    "test_fuzz_toml_values": 550,
    "test_fuzz_instance_toml": 200,
    "test_fuzz_roster": 300,
    "test_fuzz_previous_and_history": 250,
    "test_fuzz_staffing": 200,
}
TOTAL_EXAMPLES = sum(EXAMPLES.values())  # 3000 generated inputs in all
RAN: Counter[str] = Counter()  # inputs actually run, per test (printed at module teardown)
EXITS: Counter[int] = Counter()  # their exit codes
SECONDS_PER_INPUT = 20  # a reader that takes longer than this counts as hanging

DATES = ["2026-11-30", "2026-12-01", "2026-12-02"]  # the base instance: 3 days from a Monday
EMPLOYEES = {"J1": "junior", "J2": "junior", "M1": "mid", "M2": "mid", "S1": "senior"}
SHIFTS = {"E": (6, 8), "L": (14, 8), "N": (22, 8)}  # start hour, length in hours

INSTANCE = 'model = "model.toml"\nstart = "2026-11-30"\ndays = 3\n'
PREVIOUS = """\
employee_id,date,shift_id,start,end,tier
J1,2026-11-28,E,2026-11-28T06:00,2026-11-28T14:00,junior
S1,2026-11-29,N,2026-11-29T22:00,2026-11-30T06:00,senior
X9,2026-11-29,L,,,
"""
HISTORY = """\
employee_id,period_start,nights,weekends,minutes
J1,2026-11-23,1,1,2400
M1,2026-11-23,0,2,1920
"""
REQUIREMENTS = """\
start,tier,required,min_required
2026-11-30T06:00,junior,2,1
2026-11-30T07:00,mid,1,
2026-12-01T22:00,senior,1,0
"""
COVER = """\
date,shift_id,required,tier,min_required,under_weight,over_weight
2026-11-30,E,2,,1,,
2026-12-01,N,1,senior,,50,2
"""


def roster_row(eid: str, day: str, sid: str) -> list[str]:
    hour, length = SHIFTS[sid]
    begin = datetime.combine(date.fromisoformat(day), time(hour))
    end = begin + timedelta(hours=length)
    return [eid, day, sid, f"{begin:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}", EMPLOYEES[eid]]


ROSTER = "employee_id,date,shift_id,start,end,tier\n" + "".join(
    ",".join(roster_row(e, d, s)) + "\n"
    for e, d, s in [
        ("M1", "2026-11-30", "E"),
        ("S1", "2026-11-30", "L"),
        ("M2", "2026-11-30", "N"),
        ("J1", "2026-12-01", "E"),
        ("S1", "2026-12-02", "N"),
    ]
)

# staff.csv and forecast.csv with their optional columns, so that cells there get fuzzed too
OVERRIDES = {"J1": "18.5,N=1,,", "J2": ",,2400,", "M1": ",E=2|L=3,,1", "M2": "22,,,"}
STAFF_WIDE = "".join(
    line + ("," + OVERRIDES.get(line[:2], ",,,") if i else ",hourly_cost,max_shifts,max_minutes,"
            "min_consecutive_days") + "\n"
    for i, line in enumerate(STAFF.splitlines())
)  # fmt: skip
PER_TIER = {"junior": "300", "mid": "", "senior": "720"}
FORECAST = "start,contacts,tier,aht_seconds\n" + "".join(
    f"{line},,\n" if not line.startswith("2026-12-02T2")
    else "".join(f"{line},{tier},{aht}\n" for tier, aht in PER_TIER.items())
    for line in forecast(3).splitlines()[1:]
)  # fmt: skip

BASE: dict[str, str] = {
    "model.toml": MODEL,
    "instance.toml": INSTANCE,
    "staff.csv": STAFF_WIDE,
    "requests.csv": REQUESTS,
    "forecast.csv": FORECAST,
    "previous.csv": PREVIOUS,
    "history.csv": HISTORY,
    "roster.csv": ROSTER,  # given to `check`; not part of the instance
}
DEMANDS = {"forecast.csv": FORECAST, "requirements.csv": REQUIREMENTS, "cover.csv": COVER}
CSV_FILES = ["staff.csv", "requests.csv", "previous.csv", "history.csv", "roster.csv"]

# -- nasty values ---------------------------------------------------------------------------

NASTY_STRINGS = [
    "", " ", "  \t ", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e308", "-1e308",
    "1e309", "1e-320", str(10**30), str(-(10**30)), "9" * 5000, "0", "-0", "-1", "1.5",
    "0x10", "1_000", "+7", " 12 ", "\u00b2", "\u0661\u0662", "\uff11", "true", "null",
    "\x00", "\ufeff", "\ufeffJ1", "\u00e9", "\u202e", "'", '"', '""', ",", ";", "\n", "\r",
    "\r\n", "\t", "\\", "2026-11-30", "2026-12-01", "2026-W49-1", "20261130", "2026-02-30",
    "2026-11-30T00:00", "2026-11-30T06:00", "2026-11-30T0000Z", "2026-11-30T00+01",
    "2026-11-30T24:00", "2026-11-30 06:00", "9999-12-31", "0001-01-01", "9999-12-31T23:00",
    "0001-01-01T00:00", "  J1  ", "J1 ", "J 1", "J1\x00", "E", "L", "N", "X9", "junior",
    "mid", "senior", "full_time", "on", "off", "unavailable", "fixed", "E=2|N=0", "E=\u00b2",
    "N=9" + "9" * 5000, "X=1", "E=", "=1", "|", "E=-1", "a" * 300, "x" * 140_000,
    "\U0001f600", "\ud800",
]  # fmt: skip
NASTY_TEXT = st.one_of(
    st.sampled_from(NASTY_STRINGS),
    st.text(max_size=12),
    st.text(alphabet="0123456789.-+eE ,\"'\r\n\t\x00", max_size=12),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
)
# plausible-looking mistakes per kind of column
COLUMN_KINDS = {
    "date": ["date", "period_start"],
    "datetime": ["start", "end"],
    "integer": ["required", "min_required", "weight", "nights", "weekends", "minutes",
                "aht_seconds", "max_minutes", "min_consecutive_days", "under_weight",
                "over_weight"],
    "number": ["contacts", "hourly_cost"],
    "ident": ["employee_id", "shift_id", "tier", "contract", "kind", "name"],
    "max_shifts": ["max_shifts"],
}  # fmt: skip
KIND_VALUES = {
    "date": ["2026-W49-1", "20261130", "2026-11-30T00:00", "9999-12-31", "0001-01-01",
             "2026-02-30", "2026-11-31", " 2026-11-30", "\uff12026-11-30", "2026-11-30\x00",
             "1899-12-31", "2016-12-04", "2026-12-03", "2026-11-29", "2026-11-30 "],
    "datetime": ["2026-11-30T0000Z", "2026-11-30T00+01", "2026-11-30T24:00",
                 "2026-11-30 06:00", "2026-11-30T06:00:00", "9999-12-31T23:00",
                 "0001-01-01T00:00", "2026-11-30T06:30", "2026-12-03T00:00",
                 "2026-11-29T23:00", "2026-11-30T06:00Z", "2026-11-30t06:00"],
    "integer": ["-1", "0", str(10**30), "9" * 5000, "1.0", "1e3", "\u00b2", "\u0661\u0662",
                "+1", "1_0", "2147483648", "86400", "86401", "0x1", str(2**63)],
    "number": ["1e308", "-0", "nan", "inf", "1e-320", "1000000", "1000001", "1e6", "1e7",
               "999999.5", "\u00b2", "1_0", "0.0", "5e-324", "-1e-9"],
    "ident": ["J 1", "J1\x00", "-J1", "\u00e9", "J1.", "X9", "", "\ufeffJ1", "junior ",
              "JUNIOR", "e", "J1,J2", "Z" * 300],
    "max_shifts": ["E=\u00b2", "E=\u0661", "E=" + "9" * 5000, "E=2|", "|", "E=2|E=3", "X=1",
                   "E=-1", "e=1", "E = 2 | N = 0", "N=" + "9" * 20, "E=1.5", "E=+1"],
}  # fmt: skip


def column_value(column: str) -> st.SearchStrategy[str]:
    kinds = [kind for kind, columns in COLUMN_KINDS.items() if column in columns]
    pool = [v for kind in kinds for v in KIND_VALUES[kind]]
    return st.sampled_from(pool) | NASTY_TEXT if pool else NASTY_TEXT


KEY_NAMES = st.one_of(
    st.sampled_from(["", " ", "\n", "a\nb", "nmae", "order", "id", "start", "\x00", "\u00e9"]),
    st.text(max_size=8),
)
TOML_SPECIALS = [
    0, -1, 1, 2**31, 2**63 - 1, -(2**63), 10**18, True, False, 1e308, -1e308, 5e-324, 1e-300,
    math.inf, -math.inf, math.nan, -0.0, 0.5, 1.0, 1.5, "", "06:00", "24:00", "junior", "E", [],
    [[]], ["junior"], {}, {"junior": 1}, {"E": 1}, [{}], date(1, 1, 1), date(9999, 12, 31),
    datetime(2026, 11, 30, 6, 0), time(6, 0),
]  # fmt: skip
TOML_VALUES = st.one_of(
    st.sampled_from(TOML_SPECIALS),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    NASTY_TEXT.filter(lambda s: len(s) < 1000),
    st.lists(st.integers(-5, 5) | st.sampled_from(["E", "L", "N", "junior"]), max_size=3),
)

# -- running the CLI ------------------------------------------------------------------------


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang(f"a reader took longer than {SECONDS_PER_INPUT} s")


def write_files(folder: Path, files: dict[str, bytes]) -> tuple[Path, Path]:
    inst = folder / "inst"
    inst.mkdir()
    for name, data in files.items():
        target = folder / name if name == "roster.csv" else inst / name
        target.write_bytes(data)
    return inst, folder / "roster.csv"


def run(test: str, files: dict[str, bytes], command: str = "check") -> Result:
    """Write the files into a fresh folder, run the CLI and check the outcome is clean."""
    RAN[test] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        inst, roster = write_files(folder, files)
        if command == "check":
            args = ["check", str(inst), str(roster)]
        else:
            args = ["staffing", str(inst), "--out", str(folder / "staffing.csv")]
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(SECONDS_PER_INPUT)
        try:
            result = CliRunner().invoke(main, args)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        assert_clean(result, folder)
        if test in EXAMPLES:
            EXITS[result.exit_code] += 1
        return result
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_clean(result: Result, folder: Path) -> None:
    where = f"exit {result.exit_code}\nstderr: {result.stderr[:3000]}"
    assert result.exit_code in (0, 1, 2), where
    assert result.exception is None or isinstance(result.exception, SystemExit), where
    assert "Traceback" not in result.output, where
    assert "internal error" not in result.stderr, where
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        errors = [line for line in lines if not line.startswith("warning: ")]
        assert errors, where
        for line in errors:
            assert line.startswith("error: "), where
            # names a file: everything the CLI reads lives in `folder`, except a site model
            # path that instance.toml makes absolute (e.g. model = "/")
            assert str(folder) in line or line.startswith("error: /"), where


def base_files(demand: str = "forecast.csv") -> dict[str, bytes]:
    files = {name: text.encode("utf-8") for name, text in BASE.items()}
    if demand != "forecast.csv":
        del files["forecast.csv"]
        files[demand] = DEMANDS[demand].encode("utf-8")
    return files


@pytest.fixture(scope="module", autouse=True)
def report_count() -> Iterator[None]:
    yield
    per_test = ", ".join(f"{name} {RAN[name]}" for name in EXAMPLES)
    generated = sum(RAN[name] for name in EXAMPLES)
    exits = ", ".join(f"exit {code}: {n}" for code, n in sorted(EXITS.items()))
    print(f"\nfuzzed readers with {generated} generated inputs ({per_test}); {exits}")


def fuzz(test: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(
        max_examples=EXAMPLES[test],
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


# -- byte-level mutations -------------------------------------------------------------------

ENCODINGS = ["latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"]


def lines_of(data: bytes) -> list[bytes]:
    return data.split(b"\n")


BYTE_OPS = [
    "insert", "delete", "replace", "truncate", "nul", "dup_line", "drop_line", "swap_lines",
    "encode", "bom", "crlf", "cr", "trailing_space", "trailing_comma", "quote_all", "long_line",
    "empty", "blank", "random", "no_final_newline", "dup_all",
]  # fmt: skip


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    op = draw(st.sampled_from(BYTE_OPS), label="op")
    n = len(data)
    pos = draw(st.integers(0, max(n, 0)))
    if op == "insert":
        return data[:pos] + draw(st.binary(min_size=1, max_size=8)) + data[pos:]
    if op == "delete":
        return data[:pos] + data[pos + draw(st.integers(1, 20)) :]
    if op == "replace":
        return data[:pos] + draw(st.binary(min_size=1, max_size=1)) + data[pos + 1 :]
    if op == "truncate":
        return data[:pos]
    if op == "nul":
        return data[:pos] + b"\x00" + data[pos:]
    lines = lines_of(data)
    i = draw(st.integers(0, len(lines) - 1))
    j = draw(st.integers(0, len(lines) - 1))
    if op == "dup_line":
        return b"\n".join(lines[: i + 1] + [lines[i]] + lines[i + 1 :])
    if op == "drop_line":
        return b"\n".join(lines[:i] + lines[i + 1 :])
    if op == "swap_lines":
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines)
    if op == "dup_all":
        return data + b"".join(line + b"\n" for line in lines[1:] if line)
    text = data.decode("utf-8", errors="replace")
    if op == "encode":
        return text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if op == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf"])) + data
    if op == "crlf":
        return data.replace(b"\n", b"\r\n")
    if op == "cr":
        return data.replace(b"\n", b"\r")
    if op == "trailing_space":
        return b"\n".join(line + b" \t" for line in lines)
    if op == "trailing_comma":
        return b"\n".join(line + b"," if line else line for line in lines)
    if op == "quote_all":
        return b"\n".join(b",".join(b'"' + c + b'"' for c in line.split(b",")) for line in lines)
    if op == "long_line":
        filler = draw(st.sampled_from([b"x", b",", b'"', b"9", b" "]))
        return data[:pos] + filler * draw(st.sampled_from([1000, 70_000, 200_000])) + data[pos:]
    if op == "empty":
        return b""
    if op == "blank":
        return draw(st.sampled_from([b"\n", b"\r\n\r\n", b"   \n", b"\xef\xbb\xbf", b","]))
    if op == "random":
        return draw(st.binary(max_size=200))
    assert op == "no_final_newline"
    return data.rstrip(b"\n")


ALL_FILES = [*BASE, "requirements.csv", "cover.csv"]


@fuzz("test_fuzz_bytes")
@given(data=st.data())
def test_fuzz_bytes(data: st.DataObject) -> None:
    """Random bytes, encodings, BOMs, line endings, NULs, long lines in any one file."""
    name = data.draw(st.sampled_from(ALL_FILES), label="file")
    demand = name if name in DEMANDS else "forecast.csv"
    files = base_files(demand)
    content = files[name]
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        content = data.draw(byte_mutation(content), label="mutation")
    files[name] = content
    run("test_fuzz_bytes", files)


# -- cell- and header-level mutations of CSV files ------------------------------------------


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def dump_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8", errors="surrogatepass")


CSV_NAMES = [*CSV_FILES, "forecast.csv", "requirements.csv", "cover.csv"]


@fuzz("test_fuzz_cells")
@given(data=st.data())
def test_fuzz_cells(data: st.DataObject) -> None:
    """Random cells replaced with nasty strings, huge numbers, NaN, empties; rows duplicated."""
    name = data.draw(st.sampled_from(CSV_NAMES), label="file")
    files = base_files(name if name in DEMANDS else "forecast.csv")
    rows = parse_csv(files[name])
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        r = data.draw(st.integers(1, len(rows) - 1), label="row")
        op = data.draw(st.sampled_from(["cell", "cell", "cell", "dup_row", "drop_cell"]))
        if op == "cell":
            c = data.draw(st.integers(0, len(rows[r]) - 1), label="column")
            column = rows[0][c] if c < len(rows[0]) else ""
            rows[r][c] = data.draw(column_value(column), label="value")
        elif op == "dup_row":
            rows.insert(r, list(rows[r]))
        else:
            del rows[r][data.draw(st.integers(0, len(rows[r]) - 1))]
    files[name] = dump_csv(rows)
    run("test_fuzz_cells", files)


OPTIONAL_COLUMNS = {
    "staff.csv": ["name", "hourly_cost", "max_shifts", "max_minutes", "min_consecutive_days",
                  "max_weekends", "absence_credit_minutes", "max_consecutive_nights"],
    "requests.csv": ["shift_id", "weight"],
    "forecast.csv": ["tier", "aht_seconds"],
    "requirements.csv": ["min_required", "agents", "contacts"],
    "cover.csv": ["tier", "min_required", "under_weight", "over_weight"],
    "previous.csv": ["start", "end", "tier"],
    "roster.csv": ["start", "end", "tier"],
    "history.csv": [],
}  # fmt: skip


@fuzz("test_fuzz_header")
@given(data=st.data())
def test_fuzz_header(data: st.DataObject) -> None:
    """Columns dropped, renamed, duplicated, added (unknown or optional), reordered."""
    name = data.draw(st.sampled_from(CSV_NAMES), label="file")
    files = base_files(name if name in DEMANDS else "forecast.csv")
    rows = parse_csv(files[name])
    width = len(rows[0])
    op = data.draw(st.sampled_from(["drop", "rename", "duplicate", "add", "optional", "order"]))
    c = data.draw(st.integers(0, width - 1), label="column")
    if op == "drop":
        keep_cells = data.draw(st.booleans(), label="keep cells")
        rows = [row[:c] + row[c + 1 :] if (i == 0 or not keep_cells) else row
                for i, row in enumerate(rows)]  # fmt: skip
    elif op == "rename":
        rows[0][c] = data.draw(st.sampled_from(rows[0]) | KEY_NAMES | NASTY_TEXT, label="name")
    elif op == "duplicate":
        rows = [row + [row[c]] for row in rows]
    elif op == "add":
        header = data.draw(KEY_NAMES | st.sampled_from(["contract", "date", "tiers"]))
        rows = [rows[0] + [header]] + [row + [data.draw(NASTY_TEXT)] for row in rows[1:]]
    elif op == "optional" and OPTIONAL_COLUMNS[name]:
        header = data.draw(st.sampled_from(OPTIONAL_COLUMNS[name]), label="optional")
        if header in rows[0]:
            rows = [row + [row[rows[0].index(header)]] for row in rows]
        else:
            values = column_value(header)
            rows = [rows[0] + [header]] + [row + [data.draw(values)] for row in rows[1:]]
    else:
        order = data.draw(st.permutations(range(width)), label="order")
        rows = [[row[k] for k in order] for row in rows]
    files[name] = dump_csv(rows)
    result = run("test_fuzz_header", files)
    if op == "order":
        assert result.exit_code in (0, 1), result.stderr  # column order never matters


# -- TOML value and key mutations ----------------------------------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("\ufffd")  # TOML cannot hold lone surrogates
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def dump_toml(doc: dict[str, Any]) -> bytes:
    """A TOML document: one `"key" = value` line per top-level key, tables inline."""
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in doc.items()).encode()


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path in a parsed TOML document (tables, array items and leaves)."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        yield (*prefix, key)
        if isinstance(value, dict | list):
            yield from paths(value, (*prefix, key))


def at(doc: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def toml_mutation(draw: st.DrawFn, doc: dict[str, Any]) -> dict[str, Any]:
    every = list(paths(doc))
    path = draw(st.sampled_from(every), label="path")
    parent = at(doc, path[:-1])
    key = path[-1]
    op = draw(st.sampled_from(["set", "set", "set", "delete", "add", "duplicate"]), label="op")
    if op == "set":
        parent[key] = draw(TOML_VALUES, label="value")
    elif op == "delete":
        del parent[key]
    elif op == "add":
        table = parent if isinstance(parent, dict) else doc
        table[draw(KEY_NAMES, label="key")] = draw(TOML_VALUES, label="value")
    elif isinstance(parent, list):
        parent.insert(key, parent[key])
    else:
        parent[key] = [parent[key], parent[key]]
    return doc


@fuzz("test_fuzz_toml_values")
@given(data=st.data())
def test_fuzz_toml_values(data: st.DataObject) -> None:
    """Site model keys deleted, added, given other types, huge, negative, NaN or inf values."""
    files = base_files(data.draw(st.sampled_from(list(DEMANDS)), label="demand"))
    doc = tomllib.loads(MODEL)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        doc = data.draw(toml_mutation(doc), label="mutation")
    files["model.toml"] = dump_toml(doc)
    run("test_fuzz_toml_values", files)


INSTANCE_VALUES = {
    "model": st.sampled_from(
        [
            "",
            "/",
            ".",
            "..",
            "nope.toml",
            "model.toml\x00x",
            "../" * 50 + "x",
            "a" * 5000,
            "instance.toml",
            "staff.csv",
            "model.toml/",
            "./model.toml",
            " model.toml",
        ]
    ),  # fmt: skip
    "start": st.sampled_from(
        [
            "0001-01-01",
            "0001-01-02",
            "9999-12-31",
            "9999-12-25",
            "2026-11-30T00:00",
            "2026-W49-1",
            "20261130",
            "2026-02-30",
            date(1, 1, 1),
            date(9999, 12, 31),
            date(9999, 12, 20),
            date(1, 1, 8),
            datetime(2026, 11, 30),
            time(0, 0),
            20261130,
        ]
    ),  # fmt: skip
    "days": st.sampled_from([0, -1, 1, 7, 400, 3660, 3661, 10**30, 1.5, True, "3", 1e308])
    | st.integers(-(2**63), 2**63 - 1),
}


@fuzz("test_fuzz_instance_toml")
@given(data=st.data())
def test_fuzz_instance_toml(data: st.DataObject) -> None:
    """instance.toml: odd model paths, dates at the ends of the calendar, absurd lengths."""
    files = base_files()
    doc = tomllib.loads(INSTANCE)
    for key in data.draw(st.lists(st.sampled_from(list(INSTANCE_VALUES)), min_size=1, max_size=2)):
        doc[key] = data.draw(INSTANCE_VALUES[key] | TOML_VALUES, label=key)
    if data.draw(st.booleans(), label="generic mutation"):
        doc = data.draw(toml_mutation(doc), label="mutation")
    text = dump_toml(doc)
    if data.draw(st.booleans(), label="bom and crlf"):
        text = b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n")
    files["instance.toml"] = text
    run("test_fuzz_instance_toml", files)


# -- rosters, previous.csv and history.csv --------------------------------------------------

SHIFT_IDS = list(SHIFTS)


@st.composite
def roster_rows(draw: st.DrawFn, dates: list[str], valid: bool) -> list[list[str]]:
    """Roster rows; `valid` rows name known people and shifts on the given dates (duplicates
    for the same person and day included), otherwise any cell may be nasty."""
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        eid = draw(st.sampled_from(list(EMPLOYEES)))
        day = draw(st.sampled_from(dates))
        sid = draw(st.sampled_from(SHIFT_IDS))
        row = roster_row(eid, day, sid)
        for k in range(3, 6):  # start, end, tier: correct or empty when valid
            if draw(st.booleans()):
                row[k] = ""
        if not valid:
            for _ in range(draw(st.integers(1, 2))):
                row[draw(st.integers(0, 5))] = draw(
                    NASTY_TEXT
                    | st.sampled_from(["X9", "2026-11-29", "2026-12-03", "2016-12-04", "Z"])
                )
        rows.append(row)
        if draw(st.integers(0, 4)) == 0:
            rows.append(list(row))  # a duplicated row
    return rows


def roster_csv(rows: list[list[str]], columns: list[int]) -> bytes:
    header = ["employee_id", "date", "shift_id", "start", "end", "tier"]
    return dump_csv([[header[k] for k in columns]] + [[r[k] for k in columns] for r in rows])


COLUMN_SETS = st.sampled_from([[0, 1, 2], [0, 1, 2, 3, 4, 5], [2, 0, 1, 5], [0, 1, 2, 4]])


@fuzz("test_fuzz_roster")
@given(valid=st.booleans(), data=st.data())
def test_fuzz_roster(valid: bool, data: st.DataObject) -> None:
    """`check` rosters: unknown people, bad dates, start/end/tier mismatches, duplicates.
    A roster of known people, shifts and dates is always read (exit 0 or 1); a second shift
    for the same person and day is a one_shift_per_day violation, not an input error."""
    files = base_files()
    rows = data.draw(roster_rows(DATES, valid), label="rows")
    files["roster.csv"] = roster_csv(rows, data.draw(COLUMN_SETS, label="columns"))
    result = run("test_fuzz_roster", files)
    if valid:
        assert result.exit_code in (0, 1), result.stderr
        if len({(r[0], r[1]) for r in rows}) < len(rows):
            assert result.exit_code == 1 and "one_shift_per_day" in result.stdout


HISTORY_VALUES = st.sampled_from(["0", "3", "2400", "", "-1", str(10**30), "1.5", "nan"])
PAST = ["2026-11-23", "2026-11-29", "2025-01-01", "2016-12-05"]  # previous.csv: <= 3660 days


@fuzz("test_fuzz_previous_and_history")
@given(valid=st.booleans(), data=st.data())
def test_fuzz_previous_and_history(valid: bool, data: st.DataObject) -> None:
    """previous.csv (dates before the start) and history.csv: valid rows are read (people no
    longer in staff.csv are skipped with a warning), anything else is a clean error."""
    files = base_files()
    rows = data.draw(roster_rows(PAST, valid), label="previous")
    if data.draw(st.booleans(), label="stranger"):
        rows.append(["Q7", "2026-11-29", "E", "", "", ""])  # not in staff.csv: a warning
    files["previous.csv"] = roster_csv(rows, data.draw(COLUMN_SETS, label="columns"))
    history = [["employee_id", "period_start", "nights", "weekends", "minutes"]]
    for _ in range(data.draw(st.integers(0, 6), label="history rows")):
        period = data.draw(st.sampled_from([*PAST, "1999-12-31", "0001-01-01"]))
        row = [data.draw(st.sampled_from(list(EMPLOYEES))), period]
        row += [data.draw(st.sampled_from(["0", "1", "3", "2400"])) for _ in range(3)]
        if not valid:
            row[data.draw(st.integers(0, 4))] = data.draw(HISTORY_VALUES | NASTY_TEXT)
        history.append(row)
    files["history.csv"] = dump_csv(history)
    result = run("test_fuzz_previous_and_history", files)
    if valid:
        assert result.exit_code in (0, 1), result.stderr


# -- staffing: forecasts and service targets at the extremes ---------------------------------

EXTREME_NUMBERS = st.sampled_from(
    ["0", "1e-300", "5e-324", "0.0001", "999999", "1000000", "1000001", "1e7", "1e12", "1e30",
     "1e308", str(10**30), "86400", "86401", "3600", "1", "2147483648", "0.5"]
)  # fmt: skip
SERVICE_KEYS = {
    "answer_within_seconds": [0, 5e-324, 0.0001, 0.001, 1e-300, 3600, 3601, 1e308, 10**30],
    "service_level": [1e-300, 0.5, 0.999999, 0.9999999999999999, 1 - 1e-12],
    "max_occupancy": [1e-300, 1e-9, 0.001, 0.01, 1.0],
    "shrinkage": [0.0, 0.9, 0.999999, 0.9999999999999999, 1e-300],
    "patience_seconds": [5e-324, 1e-300, 0.001, 1, 3600, 86400, 1e308, 10**30],
    "max_abandon_rate": [1e-300, 1e-9, 0.5, 0.9999999],
}


@fuzz("test_fuzz_staffing")
@given(data=st.data())
def test_fuzz_staffing(data: st.DataObject) -> None:
    """`staffing` with extreme contacts, handling times and service targets: a clean error
    or a table, in bounded time (the staffing math must never be handed absurd volumes)."""
    files = base_files()
    rows = parse_csv(files["forecast.csv"])
    if data.draw(st.booleans(), label="aht column"):
        rows = [rows[0] + ["aht_seconds"]] + [row + ["300"] for row in rows[1:]]
    for _ in range(data.draw(st.integers(0, 3), label="cells")):
        r = data.draw(st.integers(1, len(rows) - 1), label="row")
        c = data.draw(st.integers(1, len(rows[0]) - 1), label="column")
        rows[r][c] = data.draw(EXTREME_NUMBERS, label="value")
    files["forecast.csv"] = dump_csv(rows)
    doc = tomllib.loads(MODEL)
    for key in data.draw(st.lists(st.sampled_from(list(SERVICE_KEYS)), max_size=3)):
        doc["service"][key] = data.draw(st.sampled_from(SERVICE_KEYS[key]), label=key)
    if data.draw(st.booleans(), label="aht"):
        tier = data.draw(st.sampled_from(["junior", "mid", "senior"]))
        doc["tiers"]["aht_seconds"][tier] = data.draw(
            st.sampled_from([1, 86400, 86401, 10**6, 10**30, 2**63 - 1]), label="aht_seconds"
        )
    if data.draw(st.booleans(), label="interval"):
        doc["interval_minutes"] = data.draw(st.sampled_from([15, 30]))
    files["model.toml"] = dump_toml(doc)
    run("test_fuzz_staffing", files, command="staffing")


# -- fixed cases: valid files in other dress are read; the crashes fuzzing found ----------


@pytest.mark.parametrize("name", [*BASE])
@pytest.mark.parametrize("dress", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_are_read_in_every_file(name: str, dress: str) -> None:
    files = base_files()
    data = files[name]
    if "crlf" in dress:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in dress:
        data = b"\xef\xbb\xbf" + data
    files[name] = data
    result = run("fixed cases", files)
    assert result.exit_code in (0, 1), result.stderr


def replaced(name: str, old: str, new: str, demand: str = "forecast.csv") -> dict[str, bytes]:
    files = base_files(demand)
    text = files[name].decode("utf-8")
    assert old in text, (name, old)
    files[name] = text.replace(old, new, 1).encode("utf-8")
    return files


BIG = str(10**18)
NO_SERVICE = MODEL[MODEL.index("[service]") : MODEL.index("[[shifts]]")]
# what fuzzing found: each used to crash (exit 70), hang, take minutes, print a message over
# several lines, or accept a malformed value; now one clean error line
REGRESSIONS: dict[str, tuple[dict[str, bytes], list[str]]] = {
    "line break in a TOML key": (replaced("model.toml", "[weights]\n", '[weights]\n"a\\nb" = 1\n'),
                                 ["model.toml: weights.a\\nb: unknown key"]),
    "infinite target": (replaced("model.toml", "answer_within_seconds = 30",
                                 "answer_within_seconds = inf"),
                        ["model.toml: service.answer_within_seconds", "finite number"]),
    "time zone in a datetime": (replaced("forecast.csv", "2026-11-30T00:00", "2026-11-30T0000Z"),
                                ["forecast.csv:2: column start", "YYYY-MM-DDTHH:MM"]),
    "ISO week date": (replaced("requests.csv", "2026-12-02", "2026-W49-3"),
                      ["requests.csv:2: column date", "not a date YYYY-MM-DD"]),
    "superscript in max_shifts": (replaced("staff.csv", "N=1", "N=\u00b2"),
                                  ["staff.csv:2: column max_shifts", "N from 0 to 3660"]),
    "5000 digits in max_shifts": (replaced("staff.csv", "N=1", "N=" + "9" * 5000),
                                  ["staff.csv:2: column max_shifts"]),
    "NUL in the model path": (replaced("instance.toml", '"model.toml"', '"model.toml\\u0000"'),
                              ["model.toml\\x00: not a valid file name"]),
    "start at the end of the calendar": (replaced("instance.toml", "2026-11-30", "9999-12-30"),
                                         ["instance.toml: start", "1900-01-01 to 2999-12-31"]),
    "contacts 1e308": (replaced("forecast.csv", "T00:00,2", "T00:00,1e308"),
                       ["forecast.csv:2: column contacts", "maximum 1,000,000"]),
    "contacts 1e12": (replaced("forecast.csv", "T00:00,2", "T00:00,1e12"),
                      ["forecast.csv:2: column contacts", "maximum 1,000,000"]),
    "400-digit aht_seconds": (replaced("forecast.csv", "junior,300", "junior," + "9" * 400),
                              ["forecast.csv:70: column aht_seconds", "above the maximum"]),
    "huge tier aht_seconds": (replaced("model.toml", "mid = 480", "mid = " + BIG),
                              ["model.toml: tiers.aht_seconds.mid", "86400"]),
    "tiny max_occupancy": (replaced("model.toml", "max_occupancy = 0.85", "max_occupancy = 1e-9"),
                           ["forecast.csv:2: column contacts", "100,000 agents"]),
    "previous.csv in year 1": (replaced("previous.csv", "2026-11-28", "0001-01-01"),
                               ["previous.csv:2: column date", "more than 3660 days before"]),
    "forecast without [service]": (replaced("model.toml", NO_SERVICE, ""),
                                   ["forecast.csv: needs a [service] table"]),
    "rest of 10**18 minutes": (replaced("model.toml", "min_rest_minutes = 660",
                                        "min_rest_minutes = " + BIG),
                               ["model.toml: rules.min_rest_minutes", "10080"]),
    "run limit of 10**18 days": (replaced("model.toml", "max_consecutive_days = 5",
                                          "max_consecutive_days = " + BIG),
                                 ["model.toml: contracts.full_time.max_consecutive_days", "3660"]),
    "override of 10**18 days": (replaced("staff.csv", "E=2|L=3,,1", "E=2|L=3,,1" + BIG),
                                ["staff.csv:4: column min_consecutive_days", "maximum 3660"]),
    "weight 10**18": (replaced("requests.csv", "off,,3", "off,," + BIG),
                      ["requests.csv:2: column weight", "maximum 1000000"]),
    "hourly_cost 1e300": (replaced("staff.csv", "18.5", "1e300"),
                          ["staff.csv:2: column hourly_cost", "maximum 1e+06"]),
    "required 10**18": (replaced("requirements.csv", "junior,2,1", f"junior,{BIG},1",
                                 "requirements.csv"),
                        ["requirements.csv:2: column required", "maximum 100000"]),
    "target below a millisecond": (replaced("model.toml", "answer_within_seconds = 30",
                                            "answer_within_seconds = 5e-324"),
                                   ["model.toml: service.answer_within_seconds", "0.001"]),
    "patience of a day": (replaced("model.toml", "answer_within_seconds = 30",
                                   "answer_within_seconds = 30\npatience_seconds = 86400"),
                          ["model.toml: service.patience_seconds", "3600"]),
    "shrinkage 0.9999": (replaced("model.toml", "shrinkage = 0.30", "shrinkage = 0.9999"),
                         ["model.toml: service.shrinkage", "0.9"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(REGRESSIONS))
def test_fuzz_findings_are_one_clean_error(case: str) -> None:
    files, fragments = REGRESSIONS[case]
    result = run("fixed cases", files)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


W = str(MAX_WEIGHT)


def _largest(demand: str) -> dict[str, bytes]:
    files = base_files(demand)
    for name, old, new in [
        ("model.toml", "requests = 2", "requests = 2\ncost = " + W),
        ("model.toml", "under_cover = 100", "under_cover = " + W),
        ("model.toml", "min_rest_minutes = 660", "min_rest_minutes = 10080"),
        ("model.toml", "max_consecutive_days = 5", "max_consecutive_days = 3660"),
        ("model.toml", "shrinkage = 0.30", "shrinkage = 0.9"),
        ("staff.csv", "18.5", W),
        ("requests.csv", "off,,3", "off,," + W),
        ("history.csv", "2400", str(10**9)),
        ("requirements.csv", "junior,2,1", "junior,100000,0"),
        ("cover.csv", "senior,,50,2", f"senior,,{W},{W}"),
    ]:
        if name in files:
            text = files[name].decode()
            assert old in text, (name, old)
            files[name] = text.replace(old, new, 1).encode()
    return files


@pytest.mark.parametrize("demand", list(DEMANDS))
def test_largest_accepted_values_solve(tmp_path: Path, demand: str) -> None:
    """The maxima the readers accept are ones the solver handles (no 64-bit overflow)."""
    inst, _ = write_files(tmp_path, _largest(demand))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["solve", str(inst), "--out", str(out), "--time-limit", "3", "--workers", "1", "-q"]
    )
    assert result.exit_code in (0, 1), result.stderr
    assert "internal error" not in result.stderr


# -- paths, links, FIFOs, devices and sizes -------------------------------------------------

MARKER = "S3CR3T"  # in every line of a file that is not an input: no message may quote it
INPUT_NAMES = ["instance.toml", "model.toml", "staff.csv", "forecast.csv", "requests.csv",
               "previous.csv", "history.csv", "roster.csv"]  # fmt: skip
CELL = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@st.composite
def foreign_file(draw: st.DrawFn) -> bytes:
    """A file that is no input of ours (a system file, someone's config or secrets): CSV-,
    passwd- or TOML-like lines, every key, cell and value carrying the marker."""
    form = draw(st.sampled_from(["separated", "toml", "binary"]))
    if form == "binary":
        return draw(st.binary(max_size=200)) + MARKER.encode() + draw(st.binary(max_size=50))
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        if form == "toml":
            key = MARKER + draw(st.from_regex(r"[A-Za-z0-9_-]{0,8}", fullmatch=True))
            value = draw(st.sampled_from(['"{}"', "{}", "[{}]", '{{ a = "{}" }}']))
            kind = draw(st.sampled_from(["{k} = {v}", "[{k}]", "[[{k}]]", "{k}.{k} = {v}"]))
            lines.append(kind.format(k=key, v=value.format(MARKER + "x")))
        else:
            cells = [MARKER + draw(CELL) for _ in range(draw(st.integers(1, 7)))]
            lines.append(draw(st.sampled_from([",", ":", ";", "\t", " = "])).join(cells))
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def run_prepared(prepare: Callable[[Path, Path], None], *extra: str) -> tuple[Result, Path]:
    """Write the base instance, let `prepare(folder, instance)` change it, run `check`."""
    RAN["paths and special files"] += 1
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        inst, roster = write_files(folder, base_files())
        prepare(folder, inst)
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(SECONDS_PER_INPUT)
        try:
            result = CliRunner().invoke(main, ["check", str(inst), str(roster), *extra])
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        assert_clean(result, folder)
        return result, folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def target_of(folder: Path, inst: Path, name: str) -> Path:
    return folder / name if name == "roster.csv" else inst / name


def replace_with(name: str, make: Callable[[Path], None]) -> Callable[[Path, Path], None]:
    def prepare(folder: Path, inst: Path) -> None:
        target = target_of(folder, inst, name)
        target.unlink()
        make(target)

    return prepare


@settings(max_examples=200, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
@given(name=st.sampled_from(INPUT_NAMES), content=foreign_file())
def test_a_link_to_a_foreign_file_is_never_quoted(name: str, content: bytes) -> None:
    """Any input replaced by a link to a file outside the instance that is no input of ours
    (think /etc/passwd or a TOML of secrets): exit 2, and no message quotes the file."""

    def make(target: Path) -> None:
        secret = target.parent.parent / f"secret-{name}"
        secret.write_bytes(content)
        target.symlink_to(secret)

    result, _ = run_prepared(replace_with(name, make))
    assert result.exit_code == 2, result.stderr
    assert MARKER not in result.stderr and MARKER not in result.stdout, result.stderr


@pytest.mark.parametrize("name", INPUT_NAMES)
def test_system_files_are_not_echoed(name: str) -> None:
    """The issue's case: requests.csv (and every other input) linked to /etc/passwd."""
    passwd = Path("/etc/passwd")
    if not passwd.is_file():  # pragma: no cover - not Linux
        pytest.skip("no /etc/passwd")
    first = passwd.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    result, _ = run_prepared(replace_with(name, lambda t: t.symlink_to(passwd)))
    assert result.exit_code == 2
    assert first not in result.stderr and first.split(":")[0] + ":" not in result.stderr


SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "FIFO": (lambda t: os.mkfifo(t), "a FIFO (named pipe), not a regular file"),
    "folder": (lambda t: t.mkdir(), "a folder, not a regular file"),
    "dangling link": (lambda t: t.symlink_to(t.parent / "gone"),
                      "file not found (a symbolic link to a missing file)"),
    "link to /dev/zero": (lambda t: t.symlink_to("/dev/zero"), "a character device"),
    "link to a FIFO": (lambda t: (os.mkfifo(t.parent / "pipe"), t.symlink_to(t.parent / "pipe")),
                       "a FIFO"),
}  # fmt: skip


@pytest.mark.parametrize("special", list(SPECIAL))
@pytest.mark.parametrize("name", INPUT_NAMES)
def test_only_regular_files_are_read(name: str, special: str) -> None:
    """A FIFO never hangs (O_NONBLOCK, then fstat), a device is never read."""
    make, fragment = SPECIAL[special]
    if name == "model.toml" and special == "link to /dev/zero":
        fragment = "lies outside the instance's folder"  # confinement comes first
    if name == "roster.csv" and special == "folder":
        fragment = "is a directory"  # click's own check of the ROSTER_CSV argument
    result, _ = run_prepared(replace_with(name, make))
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert fragment in lines[0], lines[0]


@pytest.mark.parametrize(
    ("name", "size", "fragment"),
    [
        ("staff.csv", 64 * 2**20 + 1, "files over 64 MiB"),
        ("roster.csv", 64 * 2**20 + 1, "files over 64 MiB"),
        ("forecast.csv", 10**12, "1,000,000,000,000 bytes; files over 64 MiB"),
        ("model.toml", 2**20 + 1, "files over 1 MiB"),
        ("instance.toml", 2**20 + 1, "files over 1 MiB"),
    ],
)
def test_reads_are_capped(name: str, size: int, fragment: str) -> None:
    """Files over the limit are refused from their size, before any read (sparse here)."""

    def make(target: Path) -> None:
        with target.open("wb") as handle:
            handle.truncate(size)

    result, _ = run_prepared(replace_with(name, make))
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, result.stderr
    assert fragment in lines[0], lines[0]


def test_a_file_without_a_size_is_read_up_to_the_cap() -> None:
    """A regular file whose size says 0 yet holds more (as /proc's do) is cut at the cap."""
    from rostering.io import safe

    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:  # pragma: no cover - not Linux
        pytest.skip("no /proc/self/status of size 0")
    with pytest.raises(InputError, match="over 1,000 bytes"):
        safe.read_bytes(status, 1000)
    result, _ = run_prepared(replace_with("staff.csv", lambda t: t.symlink_to(status)))
    assert result.exit_code == 2 and "the header names none of the columns" in result.stderr


def project(tmp_path: Path) -> tuple[Path, Path]:
    """project/instances/w1 with model.toml in project/models and project/other."""
    root = tmp_path / "project"
    inst, _ = write_files(tmp_path, base_files())
    week = root / "instances" / "w1"
    week.parent.mkdir(parents=True)
    inst.rename(week)
    for folder in ("models", "other"):
        (root / folder).mkdir()
        shutil.copy(week / "model.toml", root / folder / "site.toml")
    return week, tmp_path / "roster.csv"


def set_model(week: Path, model: str) -> None:
    (week / "instance.toml").write_text(INSTANCE.replace("model.toml", model), encoding="utf-8")


@pytest.mark.parametrize(
    ("model", "allowed"),
    [
        ("model.toml", True),
        ("../../models/site.toml", True),
        ("../../other/site.toml", False),
        ("../../other/../models/site.toml", True),
        ("../../models/../other/site.toml", False),
        ("/etc/hostname", False),
        ("../w1/model.toml", True),
    ],
)
def test_the_site_model_stays_in_the_instance_or_models(
    tmp_path: Path, model: str, allowed: bool
) -> None:
    week, roster = project(tmp_path)
    set_model(week, model)
    result = CliRunner().invoke(main, ["check", str(week), str(roster)])
    if allowed:
        assert result.exit_code in (0, 1), result.stderr
        return
    line = one_line_error(result)
    assert "lies outside the instance's folder" in line and "--allow-path" in line
    other = tmp_path / "project" / "other"
    allowed_run = CliRunner().invoke(main, ["check", str(week), str(roster),
                                            "--allow-path", str(other)])  # fmt: skip
    if model.startswith("../../"):
        assert allowed_run.exit_code in (0, 1), allowed_run.stderr
    else:
        assert allowed_run.exit_code == 2


def test_a_link_inside_the_instance_cannot_lead_out(tmp_path: Path) -> None:
    week, roster = project(tmp_path)
    (week / "model.toml").unlink()
    (week / "model.toml").symlink_to(tmp_path / "project" / "other" / "site.toml")
    line = one_line_error(CliRunner().invoke(main, ["check", str(week), str(roster)]))
    assert "'model.toml' lies outside" in line
    # a models/ folder that is itself a link is the project's layout: allowed
    models = tmp_path / "project" / "models"
    shutil.move(models, tmp_path / "elsewhere")
    models.symlink_to(tmp_path / "elsewhere")
    set_model(week, "../../models/site.toml")
    result = CliRunner().invoke(main, ["check", str(week), str(roster)])
    assert result.exit_code in (0, 1), result.stderr


def test_dev_zero_as_the_model_is_refused_even_when_allowed(tmp_path: Path) -> None:
    """The issue's case: model = "/dev/zero" read until the kernel killed the process."""
    week, roster = project(tmp_path)
    set_model(week, "/dev/zero")
    line = one_line_error(CliRunner().invoke(main, ["check", str(week), str(roster)]))
    assert "lies outside" in line
    result = CliRunner().invoke(main, ["check", str(week), str(roster), "--allow-path", "/dev"])
    assert "/dev/zero: a character device, not a regular file" in one_line_error(result)


def one_line_error(result: Result) -> str:
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 2 and len(lines) == 1, (result.exit_code, result.stderr)
    assert lines[0].startswith("error: ") and "internal error" not in lines[0]
    return lines[0]
