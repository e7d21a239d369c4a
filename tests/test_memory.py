"""The memory guard's inputs: the model size counted without building it, sizes as written
on the command line, and the refusal itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from ortools.sat.python import cp_model

from rostering.io.errors import InputError
from rostering.memory import check_memory, estimate_bytes, model_size, parse_size
from rostering.model.variables import build_variables
from rostering.pipeline import load
from tests.builders import HOTLINE
from tests.instance_files import write_instance


def variables_built(instance: Path) -> int:
    problem = load(instance)
    return len(build_variables(problem, cp_model.CpModel()).x)


def test_model_size_counts_the_shift_variables_the_build_makes(tmp_path: Path) -> None:
    """Shift types on some weekdays only (the hotline's) and max_shifts 0 in staff.csv."""
    tiny = write_instance(tmp_path / "tiny")
    (tiny / "staff.csv").write_text(
        "employee_id,tier,contract,max_shifts\n"
        "J1,junior,full_time,\nJ2,junior,full_time,\nM1,mid,full_time,\n"
        "M2,mid,full_time,\nS1,senior,full_time,N=0|E=0\n",
        encoding="utf-8",
    )
    for instance in (tiny, HOTLINE):
        variables, terms = model_size(load(instance))
        assert variables == variables_built(instance)
        assert terms > variables  # each shift is on duty in several hourly intervals
    variables, terms = model_size(load(tiny))
    assert variables == 5 * 3 * 3 - 2 * 3  # S1 works neither N nor E
    assert terms == variables * 8  # 8-hour shifts on a 60-minute grid


@pytest.mark.parametrize(
    ("text", "size"),
    [("4G", 4 * 2**30), ("512M", 512 * 2**20), ("1.5GiB", 3 * 2**29), ("2048", 2**31),
     ("100k", 100 * 2**10), ("1T", 2**40), ("0", 0), (" 3 gb ", 3 * 2**30)],
)  # fmt: skip
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "G", "-1G", "1X", "nan", "1e9", "4 G B"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(InputError, match="--max-memory"):
        parse_size(text)


def test_the_guard_compares_the_estimate_with_the_budget(tmp_path: Path) -> None:
    problem = load(write_instance(tmp_path / "tiny"))
    variables, terms = model_size(problem)
    need = estimate_bytes(variables, terms, 4)
    assert estimate_bytes(variables, terms, 8) > need  # each worker copies the model
    check_memory(problem, 4, need, "tiny")  # exactly enough
    check_memory(problem, 4, 0, "tiny")  # no limit
    with pytest.raises(InputError, match="tiny: too large for the memory allowed"):
        check_memory(problem, 4, need - 1, "tiny")
