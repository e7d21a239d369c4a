"""Shared fixtures: the bundled week solved once per test run (reports, exports)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from tests.builders import HOTLINE


@pytest.fixture(scope="session")
def hotline_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A solve's --out folder for instances/hotline-2026-w49 (a legal roster; column
    generation proves the week's optimum in a few seconds, the limit is a safety net)."""
    out = tmp_path_factory.mktemp("hotline") / "out"
    result = CliRunner().invoke(
        main, ["solve", str(HOTLINE), "--out", str(out), "--time-limit", "30", "--quiet"]
    )
    assert result.exit_code == 0, result.stderr
    return out
