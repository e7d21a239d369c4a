"""report.html in a real browser: headless Chromium, network off, over the DevTools pipe.

Asserts no console error, no request leaving the file, and the grid and the charts in the
rendered DOM; keeps a screenshot in out/test-artifacts/report.png. Without chromium the
test fails in CI (CI=true: .ci/run installs it) and is skipped elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.pipeline import load
from tests.browser import find_browser, visit
from tests.builders import HOTLINE

ARTIFACTS = Path(__file__).resolve().parents[1] / "out" / "test-artifacts"


def need_browser() -> None:
    if find_browser() is not None:
        return
    why = "chromium is not installed (Debian: apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}; .ci/run installs it, so CI must have it")
    pytest.skip(why)


def test_report_renders_offline_without_errors(hotline_out: Path, tmp_path: Path) -> None:
    need_browser()
    page = tmp_path / "report.html"
    result = CliRunner().invoke(
        main, ["report", str(HOTLINE), str(hotline_out), "--out", str(page)]
    )
    assert result.exit_code == 0, result.stderr
    seen = visit(
        page,
        [
            "document.querySelectorAll('table.grid tbody tr').length",
            "document.querySelectorAll('table.grid td.k-night').length",
            "document.querySelectorAll('#charts .uplot').length",
            "document.querySelectorAll('#charts .uplot canvas').length",
            "Array.from(document.querySelectorAll('#charts .u-title')).map(e => e.textContent)",
            "document.querySelectorAll('#days button').length",
            "document.querySelectorAll('#violations, #fairness, #requests, #headline').length",
        ],
        height=2100,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.png").write_bytes(seen.screenshot)
    assert seen.errors == []
    assert seen.requests == []
    v = list(seen.values.values())
    assert v[0] == len(load(HOTLINE).employees)
    assert v[1] > 0
    assert v[2] == 4 and v[3] >= 4  # three tier levels and the service level
    assert v[4] == [
        "people on duty: junior or higher",
        "people on duty: mid or higher",
        "people on duty: senior",
        "predicted service level per interval (%)",
    ]
    assert v[5] == 8  # the week and each of its 7 days
    assert v[6] == 4
    assert seen.ready_ms is not None
    assert seen.screenshot.startswith(b"\x89PNG")


def test_a_script_error_would_be_seen(tmp_path: Path) -> None:
    """The harness itself: a page that throws and fetches is caught doing both."""
    need_browser()
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><body><img src='http://example.invalid/x.png'>"
        "<script>console.error('boom'); document.body.dataset.ready = '1';"
        "undefinedFunction();</script></body></html>",
        encoding="utf-8",
    )
    seen = visit(page, ["1 + 1"])
    assert any("boom" in e for e in seen.errors)
    assert any("undefinedFunction" in e for e in seen.errors)
    assert any("example.invalid" in r for r in seen.requests)
    assert seen.values["1 + 1"] == 2


def test_two_rosters_render_against_each_other(hotline_out: Path, tmp_path: Path) -> None:
    need_browser()
    other = tmp_path / "other.csv"
    lines = (hotline_out / "roster.csv").read_text(encoding="utf-8").splitlines()
    other.write_text("\n".join(lines[:-20]) + "\n", encoding="utf-8")
    page = tmp_path / "compare.html"
    args = ["report", str(HOTLINE), str(hotline_out), "--out", str(page), "--compare", str(other)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.stderr
    legend = (
        "Array.from(document.querySelectorAll('#chart-level-mid .u-legend th'))"
        ".map(e => e.textContent)"
    )
    seen = visit(page, [legend, "document.querySelectorAll('#compare tbody tr').length"])
    assert seen.errors == [] and seen.requests == []
    assert seen.values[legend] == ["time", "required", "on duty", "on duty (other)"]
    assert seen.values["document.querySelectorAll('#compare tbody tr').length"] == 12
