"""The search's tuning as data: defaults, overrides from a file, and errors naming the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.io.errors import InputError
from rostering.search.params import SearchParams
from tests.builders import HOTLINE


def params_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "search.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_overrides_only_the_keys_it_names(tmp_path: Path) -> None:
    text = "[columns]\npick_seconds = 5\n[count_plan]\npasses = [0.3, 0.1]\n"
    params = SearchParams.from_file(params_file(tmp_path, text))
    assert params.columns.pick_seconds == 5.0 and isinstance(params.columns.pick_seconds, float)
    assert params.count_plan.passes == (0.3, 0.1)
    assert params.columns.pick_workers == SearchParams().columns.pick_workers
    assert params.windows == SearchParams().windows


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[colums]\npick_seconds = 5\n", "colums: unknown group; accepted: sizes, workers"),
        ("[columns]\npick_second = 5\n", "columns.pick_second: unknown key; accepted: share"),
        ("[columns]\nshare = 1.5\n", "columns.share: 1.5 out of range; accepted 0 to 1"),
        ("[columns]\npick_workers = 2.5\n", "columns.pick_workers: expected a whole number"),
        ('[windows]\ndays = "5"\n', "windows.days: expected a number, got str"),
        ("[columns]\nshare = nan\n", "columns.share: nan out of range"),
        ("[count_plan]\npasses = []\n", "count_plan.passes: expected a non-empty list"),
        ("columns = 3\n", "columns: expected a table of keys"),
        ("[columns\n", "malformed TOML"),
    ],
)
def test_a_bad_file_is_an_error_naming_the_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        SearchParams.from_file(params_file(tmp_path, text))


def test_solve_with_a_bad_file_exits_2_with_one_line(tmp_path: Path) -> None:
    path = params_file(tmp_path, "[windows]\ntries = 0\n")
    args = ["solve", str(HOTLINE), "--out", str(tmp_path / "out"), "--search-params", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.strip().endswith("windows.tries: 0 out of range; accepted 1 to 1000")
    assert not (tmp_path / "out" / "roster.csv").exists()
