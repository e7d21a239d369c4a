"""Every user mistake: one line naming file, row or key and what is accepted; exit 2."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from tests.instance_files import write_instance


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def write(name: str, text: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


def write_bytes(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


CASES: dict[str, tuple[Callable[[Path], None], list[str]]] = {
    "missing column": (edit("staff.csv", "employee_id,tier,", "employee_id,"),
                       ["staff.csv:1", "missing column 'tier'"]),
    "unknown column": (edit("staff.csv", ",name\n", ",nmae\n"),
                       ["staff.csv:1", "unknown column 'nmae'", "accepted:"]),
    "unknown tier": (edit("staff.csv", "J1,junior", "J1,junoir"),
                     ["staff.csv:2", "unknown tier 'junoir'", "junior, mid, senior"]),
    "unknown contract": (edit("staff.csv", "J2,junior,full_time", "J2,junior,fulltime"),
                         ["staff.csv:3", "unknown contract 'fulltime'", "full_time"]),
    "unknown shift": (edit("requests.csv", "off,,3", "off,X9,3"),
                      ["requests.csv:2", "unknown shift 'X9'", "E, L, N"]),
    "unknown employee": (edit("requests.csv", "J1,2026-12-02", "Z9,2026-12-02"),
                         ["requests.csv:2", "unknown employee 'Z9'"]),
    "negative contacts": (edit("forecast.csv", "2026-11-30T00:00,2", "2026-11-30T00:00,-2"),
                          ["forecast.csv:2", "contacts", "below the minimum 0"]),
    "non-numeric contacts": (edit("forecast.csv", "2026-11-30T00:00,2", "2026-11-30T00:00,many"),
                             ["forecast.csv:2", "contacts", "'many' is not a number"]),
    "NaN contacts": (edit("forecast.csv", "2026-11-30T00:00,2", "2026-11-30T00:00,nan"),
                     ["forecast.csv:2", "not a finite number"]),
    "duplicate employee": (edit("staff.csv", "J2,junior", "J1,junior"),
                           ["staff.csv:3", "'J1' already appears on line 2"]),
    "forecast outside horizon": (edit("forecast.csv", "2026-11-30T00:00", "2026-12-09T00:00"),
                                 ["forecast.csv:2", "past the horizon", "demand may run to"]),
    "off the grid": (edit("forecast.csv", "2026-11-30T00:00", "2026-11-30T00:20"),
                     ["forecast.csv:2", "not on the 60-minute grid"]),
    "malformed TOML": (edit("model.toml", 'name = "Test line"', 'name = "Test line'),
                       ["model.toml", "malformed TOML"]),
    "unknown model key": (edit("model.toml", "[weights]\n", "[weights]\nunder_cvoer = 3\n"),
                          ["model.toml", "weights.under_cvoer", "unknown key", "under_cover"]),
    "bad model value": (edit("model.toml", "shrinkage = 0.30", "shrinkage = 1.5"),
                        ["model.toml", "service.shrinkage"]),
    "bad clock time": (edit("model.toml", 'start = "06:00"', 'start = "6am"'),
                       ["model.toml", "shifts[1]", "'6am' is not a clock time HH:MM"]),
    "two demand files": (write("cover.csv", "date,shift_id,required\n"),
                         ["expected exactly one demand file", "forecast.csv, cover.csv"]),
    "bad identifier": (edit("staff.csv", "J1,junior", "J 1,junior"),
                       ["staff.csv:2", "'J 1' is not an identifier"]),
    "bad date": (edit("requests.csv", "2026-12-02", "02/12/2026"),
                 ["requests.csv:2", "'02/12/2026' is not a date YYYY-MM-DD"]),
    "bad request kind": (edit("requests.csv", ",off,", ",maybe,"),
                         ["requests.csv:2",
                          "'maybe' is not one of: on, off, unavailable, leave, fixed"]),
    "missing instance key": (write("instance.toml", 'model = "model.toml"\ndays = 3\n'),
                             ["instance.toml", "start: required key is missing"]),
    "missing model file": (write("instance.toml",
                                 'model = "nope.toml"\nstart = "2026-11-30"\ndays = 3\n'),
                           ["nope.toml: file not found"]),
    "not UTF-8": (write_bytes("staff.csv", "employee_id,tier,contract\nJö,junior,full_time\n"
                              .encode("latin-1")),
                  ["staff.csv", "not UTF-8"]),
    "ragged row": (edit("staff.csv", "S1,senior,full_time,Sam Berg", "S1,senior,full_time"),
                   ["staff.csv:6", "3 cells, the header has 4"]),
    "empty staff": (write("staff.csv", ""), ["staff.csv", "empty file"]),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    mutate, expected = CASES[case]
    instance = write_instance(tmp_path / "inst")
    mutate(instance)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["solve", str(instance), "--out", str(out)])
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.stdout)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ")
    for fragment in expected:
        assert fragment in lines[0], (fragment, lines[0])
    assert "Traceback" not in result.stderr
    assert not (out / "roster.csv").exists()


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    for name in ("staff.csv", "forecast.csv", "requests.csv"):
        path = instance / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_text(encoding="utf-8").replace(
            "\n", "\r\n").encode("utf-8"))  # fmt: skip
    result = CliRunner().invoke(
        main, ["solve", str(instance), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.stderr


def test_requests_outside_the_horizon_are_a_warning(tmp_path: Path) -> None:
    instance = write_instance(tmp_path / "inst")
    with (instance / "requests.csv").open("a") as f:
        f.write("J2,2027-01-05,off,,1\n")
    result = CliRunner().invoke(
        main, ["solve", str(instance), "--out", str(tmp_path / "out"), "--time-limit", "5"]
    )
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "outside the horizon; ignored" in result.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["solve", str(tmp_path / "missing"), "--out", "x"])
    assert result.exit_code == 2
    result = CliRunner().invoke(main, ["solve", str(tmp_path), "--out", "x"])
    assert result.exit_code == 2 and "instance.toml: file not found" in result.stderr


def test_json_log_format_gives_one_object_per_event(tmp_path: Path) -> None:
    import json

    instance = write_instance(tmp_path / "inst")
    edit("staff.csv", "J1,junior", "J1,junoir")(instance)
    result = CliRunner().invoke(
        main, ["--log-format", "json", "solve", str(instance), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2
    events = [json.loads(line) for line in result.stderr.splitlines()]
    assert len(events) == 1
    assert events[0]["event"] == "error" and events[0]["exit_code"] == 2
    assert "unknown tier 'junoir'" in events[0]["message"]
