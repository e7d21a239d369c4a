"""Tests of the Curtois & Qu benchmark reader, converter, grid and reference checker."""

from __future__ import annotations

import csv
import dataclasses
import sys
from datetime import date
from pathlib import Path

import pytest

from rostering.io.curtois import (
    SECTIONS,
    CurtoisCover,
    CurtoisDaysOff,
    CurtoisInstance,
    CurtoisRequest,
    CurtoisShift,
    CurtoisStaff,
    benchmark_objective,
    benchmark_violations,
    read_curtois,
    read_grid,
    roster_grid,
    write_instance_dir,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BENCH = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"
needs_bench = pytest.mark.skipif(
    not (BENCH / "Instance1.txt").exists(), reason=f"benchmark instances not found in {BENCH}"
)


def _csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def inst1() -> CurtoisInstance:
    if not (BENCH / "Instance1.txt").exists():
        pytest.skip(f"benchmark instances not found in {BENCH}")
    return read_curtois(BENCH / "Instance1.txt")


# --------------------------------------------------------------------------- parsing


@needs_bench
def test_all_instances_parse_with_published_sizes() -> None:
    with (BENCH / "best_known.csv").open(newline="") as fh:
        sizes = list(csv.DictReader(fh))
    assert len(sizes) == 24
    for row in sizes:
        inst = read_curtois(BENCH / f"{row['instance']}.txt")
        assert inst.name == row["instance"]
        assert len(inst.staff) == int(row["employees"])
        assert inst.horizon == int(row["days"])
        assert len(inst.shifts) == int(row["shift_types"])
        # FORMAT.md: every (day, shift) pair has a cover row, weights 100 / 1.
        assert len(inst.cover) == inst.horizon * len(inst.shifts)
        assert {(c.weight_under, c.weight_over) for c in inst.cover} == {(100, 1)}


def test_instance1_contents(inst1: CurtoisInstance) -> None:
    assert inst1.horizon == 14
    assert inst1.shifts == (CurtoisShift("D", 480, ()),)
    assert [e.id for e in inst1.staff] == list("ABCDEFGH")
    assert inst1.staff[0] == CurtoisStaff("A", (("D", 14),), 4320, 3360, 5, 2, 2, 1)
    assert inst1.days_off[0] == CurtoisDaysOff("A", (0,))
    assert len(inst1.on_requests) == 21
    assert inst1.on_requests[0] == CurtoisRequest("A", 2, "D", 2)
    assert inst1.off_requests[-1] == CurtoisRequest("H", 3, "D", 3)
    assert inst1.cover[1] == CurtoisCover(1, "D", 7, 100, 1)


TINY = (
    "# comment\r\n"
    f"{SECTIONS[0]}\r\n"
    "# days\r\n"
    "14\r\n"
    "\r\n"
    "SECTION_SHIFTS\r\n"
    "# ShiftID, Length, ForbiddenNext\r\n"
    "D,480,\r\n"
    " N , 600 , D|E \r\n"
    "E,480\r\n"
    "\r\n"
    "SECTION_STAFF\r\n"
    "A,D=14|N=0,4320,0,5,1,1,2,\r\n"
    "B,,4320,0,5,1,1,2\r\n"
    "C,E=3|,4320,0,5,1,1,2\r\n"
    "\r\n\r\n"
    "SECTION_DAYS_OFF\r\n"
    "A,0,3,\r\n"
    "C,\r\n"
    "\r\n"
    "SECTION_SHIFT_ON_REQUESTS\r\n"
    "B,2,N,3\r\n"
    "SECTION_SHIFT_OFF_REQUESTS\r\n"
    "# nothing\r\n"
    "SECTION_COVER\r\n"
    "0,D,1,100,1,\r\n"
    "0,N,2,50,2\r\n"
)


def test_robust_parsing(tmp_path: Path) -> None:
    path = tmp_path / "tiny.txt"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.encode())
    inst = read_curtois(path)
    assert inst.horizon == 14
    assert inst.shifts == (
        CurtoisShift("D", 480, ()),
        CurtoisShift("N", 600, ("D", "E")),
        CurtoisShift("E", 480, ()),
    )
    assert inst.staff[0].max_shifts == (("D", 14), ("N", 0))
    assert inst.staff[1].max_shifts == ()
    assert inst.staff[1].max_shifts_of("N") is None
    assert inst.staff[2].max_shifts == (("E", 3),)
    assert inst.days_off == (CurtoisDaysOff("A", (0, 3)), CurtoisDaysOff("C", ()))
    assert inst.on_requests == (CurtoisRequest("B", 2, "N", 3),)
    assert inst.off_requests == ()
    assert inst.cover == (CurtoisCover(0, "D", 1, 100, 1), CurtoisCover(0, "N", 2, 50, 2))


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ("14\r\n", "fourteen\r\n", 4, "horizon: expected a whole number, found 'fourteen'"),
        ("B,,4320,0,5,1,1,2\r\n", "B,,4320,0,5,1,1\r\n", 14, "expected 8 fields"),
        ("D=14|N=0", "D=14|X=0", 13, "MaxShifts: unknown ID 'X'"),
        ("D=14|N=0", "D14", 13, "MaxShifts: expected ShiftID=max, found 'D14'"),
        (" D|E ", "D|Q", 9, "ForbiddenNext: unknown ID 'Q'"),
        ("A,0,3,", "A,0,14", 19, "day: expected a day from 0 to 13, found 14"),
        ("B,2,N,3", "Z,2,N,3", 23, "EmployeeID: unknown ID 'Z'"),
        ("0,N,2,50,2", "0,D,2,50,2", 28, "cover for day 0 shift D appears twice"),
        ("0,N,2,50,2", "0,N,-2,50,2", 28, "Requirement: expected a whole number >= 0, found -2"),
        ("SECTION_DAYS_OFF", "SECTION_DAY_OFF", 18, "unknown section SECTION_DAY_OFF"),
        ("# comment\r\n", "junk\r\n", 1, f"expected {SECTIONS[0]} before any data"),
        ("B,,4320", "A,,4320", 14, "employee 'A' appears twice"),
        ("C,\r\n", ",\r\n", 20, "expected EmployeeID, day, day"),
    ],
)
def test_malformed_files_name_file_and_line(
    tmp_path: Path, old: str, new: str, line: int, expected: str
) -> None:
    assert old in TINY
    path = tmp_path / "bad.txt"
    path.write_text(TINY.replace(old, new, 1), newline="")
    with pytest.raises(ValueError) as info:
        read_curtois(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert expected in message
    assert "\n" not in message


def test_missing_section(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text(TINY.split("SECTION_COVER")[0], newline="")
    with pytest.raises(ValueError, match=r"cut\.txt:\d+: expected SECTION_COVER, found the end"):
        read_curtois(path)


# --------------------------------------------------------------------------- conversion


def test_write_instance_dir_instance1(inst1: CurtoisInstance, tmp_path: Path) -> None:
    out = tmp_path / "curtois-1"
    write_instance_dir(inst1, out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["model.toml", "instance.toml", "staff.csv", "cover.csv", "requests.csv"]
    )
    assert [p.name for p in tmp_path.iterdir()] == ["curtois-1"]  # no temp dir left behind

    instance = tomllib.loads((out / "instance.toml").read_text())
    assert instance == {"model": "model.toml", "start": "2024-01-01", "days": 14}
    model = tomllib.loads((out / "model.toml").read_text())
    assert model["tiers"] == {"order": ["staff"]}
    assert model["shifts"] == [{"id": "D", "start": "00:00", "minutes": 480}]
    assert model["rules"] == {"min_rest_minutes": 0, "forbidden_successions": []}
    assert model["weights"] == {"under_cover": 100, "over_cover": 1, "requests": 1}
    assert list(model["contracts"]) == ["benchmark"]
    assert model["contracts"]["benchmark"]["max_shifts"] == {}

    header, staff = _csv(out / "staff.csv")
    assert header == [
        "employee_id",
        "tier",
        "contract",
        "max_shifts",
        "max_minutes",
        "min_minutes",
        "max_consecutive_days",
        "min_consecutive_days",
        "min_consecutive_days_off",
        "max_weekends",
    ]
    assert len(staff) == len(inst1.staff) == 8
    assert staff[0] == {
        "employee_id": "A",
        "tier": "staff",
        "contract": "benchmark",
        "max_shifts": "D=14",
        "max_minutes": "4320",
        "min_minutes": "3360",
        "max_consecutive_days": "5",
        "min_consecutive_days": "2",
        "min_consecutive_days_off": "2",
        "max_weekends": "1",
    }

    header, cover = _csv(out / "cover.csv")
    assert header == ["date", "shift_id", "required", "under_weight", "over_weight"]
    assert len(cover) == inst1.horizon * len(inst1.shifts) == 14
    assert cover[0] == {
        "date": "2024-01-01",
        "shift_id": "D",
        "required": "5",
        "under_weight": "100",
        "over_weight": "1",
    }
    assert cover[-1]["date"] == "2024-01-14"

    header, requests = _csv(out / "requests.csv")
    assert header == ["employee_id", "date", "kind", "shift_id", "weight"]
    kinds = [r["kind"] for r in requests]
    assert kinds.count("unavailable") == sum(len(d.days) for d in inst1.days_off) == 8
    assert kinds.count("on") == len(inst1.on_requests) == 21
    assert kinds.count("off") == len(inst1.off_requests) == 5
    assert requests[0] == {
        "employee_id": "A",
        "date": "2024-01-01",
        "kind": "unavailable",
        "shift_id": "",
        "weight": "",
    }
    assert {"employee_id": "H", "date": "2024-01-04", "kind": "off", "shift_id": "D"}.items() <= (
        requests[-1].items()
    )
    assert (out / "staff.csv").read_bytes().count(b"\r") == 0


@needs_bench
def test_forbidden_successions_and_other_start(tmp_path: Path) -> None:
    inst = read_curtois(BENCH / "Instance12.txt")
    out = tmp_path / "i12"
    write_instance_dir(inst, out, start=date(2025, 1, 6), name="twelve")
    model = tomllib.loads((out / "model.toml").read_text())
    assert model["name"] == "twelve"
    pairs = [[s.id, t] for s in inst.shifts for t in s.forbidden_next]
    assert model["rules"]["forbidden_successions"] == pairs
    assert ["n1", "a1"] in pairs
    assert tomllib.loads((out / "instance.toml").read_text())["start"] == "2025-01-06"
    _, cover = _csv(out / "cover.csv")
    assert cover[0]["date"] == "2025-01-06"
    assert [c["shift_id"] for c in cover[:10]] == [s.id for s in inst.shifts]


def test_start_must_be_monday(inst1: CurtoisInstance, tmp_path: Path) -> None:
    out = tmp_path / "x"
    with pytest.raises(ValueError, match="--start must be a Monday"):
        write_instance_dir(inst1, out, start=date(2024, 1, 2))
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_rewrite_and_foreign_files(inst1: CurtoisInstance, tmp_path: Path) -> None:
    out = tmp_path / "x"
    write_instance_dir(inst1, out)
    write_instance_dir(inst1, out, name="again")  # a rerun replaces our own files
    assert 'name = "again"' in (out / "model.toml").read_text()
    assert [p.name for p in tmp_path.iterdir()] == ["x"]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ValueError, match="notes.txt"):
        write_instance_dir(inst1, out)
    assert (out / "notes.txt").read_text() == "mine"


def test_site_model_reader_accepts_model(inst1: CurtoisInstance, tmp_path: Path) -> None:
    site_model = pytest.importorskip("rostering.io.site_model")
    write_instance_dir(inst1, tmp_path / "x")
    model = site_model.read_site_model(tmp_path / "x" / "model.toml")
    assert [s.id for s in model.shifts] == ["D"]


# --------------------------------------------------------------------------- grid


def test_grid_round_trip(inst1: CurtoisInstance) -> None:
    assignment = {("A", 1): "D", ("A", 2): "D", ("C", 13): "D", ("H", 0): "D"}
    grid = roster_grid(inst1, assignment)
    lines = grid.split("\n")
    assert lines[-1] == "" and len(lines) == 9
    assert all(line.count("\t") == 13 for line in lines[:-1])
    assert lines[0] == "\tD\tD" + "\t" * 11
    assert lines[3] == "\t" * 13  # D: all days off
    assert read_grid(inst1, grid) == assignment
    assert read_grid(inst1, grid.replace("\n", "\t\r\n")) == assignment
    with pytest.raises(ValueError, match="expected 8 lines"):
        read_grid(inst1, "\n".join(lines[:6]))
    with pytest.raises(ValueError, match="unknown shift 'X'"):
        read_grid(inst1, grid.replace("\tD", "\tX", 1))
    with pytest.raises(ValueError, match="unknown employee"):
        roster_grid(inst1, {("Z", 0): "D"})


# --------------------------------------------------------------------------- objective


def test_objective_all_off(inst1: CurtoisInstance) -> None:
    expected = sum(100 * c.requirement for c in inst1.cover) + sum(
        r.weight for r in inst1.on_requests
    )
    assert expected == 100 * 71 + 37
    assert benchmark_objective(inst1, {}) == expected


def test_objective_hand_computed(inst1: CurtoisInstance) -> None:
    assignment = {
        ("A", 2): "D",  # grants A's on-request (weight 2) of day 2
        ("B", 0): "D",  # grants B's on-request (weight 3) of day 0
        ("C", 12): "D",  # breaks C's off-request (weight 1) of day 12
        ("D", 10): "D",  # day 10 requires 2: three on duty, one over
        ("E", 10): "D",
        ("F", 10): "D",
    }
    # Requirements add up to 71; covered: day 0: 1, day 2: 1, day 12: 1, day 10: 2 of 2 -> 66
    # missing = 6600. Over: 1. On-requests: 37 - 2 - 3 = 32. Off-requests: 1.
    assert benchmark_objective(inst1, assignment) == 6600 + 1 + 32 + 1
    # The same as rows.
    rows = [(e, d, s) for (e, d), s in assignment.items()]
    assert benchmark_objective(inst1, rows) == 6634
    with pytest.raises(ValueError, match="unknown employee"):
        benchmark_objective(inst1, {("Z", 0): "D"})


# --------------------------------------------------------------------------- hard rules


def _tiny(days_off: tuple[int, ...] = (), **limits: object) -> CurtoisInstance:
    """One employee A, 14 days, shifts D (480) and N (600); N may not be followed by D."""
    employee = CurtoisStaff(
        id="A",
        max_shifts=(("D", 14),),  # N unlisted: unlimited
        max_total_minutes=14 * 600,
        min_total_minutes=0,
        max_consecutive_shifts=14,
        min_consecutive_shifts=1,
        min_consecutive_days_off=1,
        max_weekends=2,
    )
    employee = dataclasses.replace(employee, **limits)  # type: ignore[arg-type]
    return CurtoisInstance(
        horizon=14,
        shifts=(CurtoisShift("D", 480, ()), CurtoisShift("N", 600, ("D",))),
        staff=(employee,),
        days_off=(CurtoisDaysOff("A", days_off),) if days_off else (),
        on_requests=(),
        off_requests=(),
        cover=tuple(CurtoisCover(d, s, 0, 100, 1) for d in range(14) for s in ("D", "N")),
        name="tiny",
    )


def _days(*days: int, shift: str = "D") -> dict[tuple[str, int], str]:
    return {("A", d): shift for d in days}


@pytest.mark.parametrize(
    ("inst", "assignment", "expected"),
    [
        pytest.param(
            _tiny(),
            [("A", 3, "D"), ("A", 3, "N")],
            "A: 2 shifts on day 3 (D, N), max 1",
            id="1-one-shift-per-day",
        ),
        pytest.param(
            _tiny(max_shifts=(("D", 1),)),
            {**_days(3, 4), **_days(8, 9, 10, shift="N")},
            "A: 2 D shifts, max 1",
            id="2-max-shifts",
        ),
        pytest.param(
            _tiny(max_total_minutes=900),
            _days(3, 4),
            "A: 960 minutes worked, max 900",
            id="3-max-minutes",
        ),
        pytest.param(
            _tiny(min_total_minutes=1000),
            _days(3, 4),
            "A: 960 minutes worked, min 1000",
            id="4-min-minutes",
        ),
        pytest.param(
            _tiny(max_consecutive_shifts=5),
            _days(3, 4, 5, 6, 7, 8),
            "A: 6 consecutive shifts on days 3-8, max 5",
            id="5-max-consecutive",
        ),
        pytest.param(
            _tiny(max_consecutive_shifts=5),
            _days(0, 1, 2, 3, 4, 5),
            "A: 6 consecutive shifts on days 0-5, max 5",
            id="5-max-consecutive-at-day-0",
        ),
        pytest.param(
            _tiny(min_consecutive_shifts=2),
            _days(5),
            "A: 1 consecutive shifts on day 5, min 2",
            id="6-min-consecutive",
        ),
        pytest.param(
            _tiny(min_consecutive_days_off=2),
            _days(3, 4, 6, 7),
            "A: 1 consecutive days off on day 5, min 2",
            id="7-min-days-off",
        ),
        pytest.param(
            _tiny(max_weekends=1),
            _days(5, 13),
            "A: 2 weekends worked (weekends 0, 1), max 1",
            id="8-max-weekends",
        ),
        pytest.param(
            _tiny(days_off=(4,)),
            _days(4),
            "A: works D on day 4, a day off",
            id="9-days-off",
        ),
        pytest.param(
            _tiny(),
            {("A", 3): "N", ("A", 4): "D"},
            "A: N on day 3 followed by D on day 4, a forbidden succession",
            id="10-forbidden-succession",
        ),
    ],
)
def test_each_hard_rule(
    inst: CurtoisInstance, assignment: dict[tuple[str, int], str], expected: str
) -> None:
    assert benchmark_violations(inst, assignment) == [expected]


@pytest.mark.parametrize(
    ("limits", "assignment"),
    [
        pytest.param({}, {}, id="empty"),
        pytest.param({"min_consecutive_shifts": 2}, _days(0), id="1-day-run-at-day-0"),
        pytest.param({"min_consecutive_shifts": 2}, _days(13), id="1-day-run-at-day-13"),
        pytest.param({"min_consecutive_days_off": 2}, _days(1, 2, 3), id="1-day-off-at-day-0"),
        pytest.param({"min_consecutive_days_off": 2}, _days(*range(13)), id="1-day-off-at-13"),
        pytest.param({"max_shifts": (("D", 0),)}, _days(*range(14), shift="N"), id="unlisted"),
        pytest.param({}, {("A", 3): "D", ("A", 4): "N"}, id="D-then-N-allowed"),
        pytest.param({}, {("A", 13): "N"}, id="nothing-after-the-horizon"),
        pytest.param({"max_weekends": 1}, _days(5, 6), id="sat-and-sun-one-weekend"),
    ],
)
def test_legal_assignments(limits: dict[str, object], assignment: dict) -> None:
    assert benchmark_violations(_tiny(**limits), assignment) == []


def test_min_consecutive_in_the_middle_only() -> None:
    inst = _tiny(min_consecutive_shifts=2)
    assert benchmark_violations(inst, _days(0, 7, 13)) == [
        "A: 1 consecutive shifts on day 7, min 2"
    ]


def test_malformed_rows_are_reported() -> None:
    assert benchmark_violations(_tiny(), [("Z", 0, "D"), ("A", 14, "D"), ("A", 1, "X")]) == [
        "Z: unknown employee (day 0, shift D)",
        "A: day 14 is outside the horizon 0-13",
        "A: unknown shift 'X' on day 1",
    ]
