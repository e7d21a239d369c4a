"""`rostering forecast` and `rostering forecast backtest` from the command line."""

from __future__ import annotations

import builtins
import csv
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from rostering.cli import main
from rostering.io.instance import load_problem
from tests.forecast_data import FIRST, history_rows, write_history
from tests.instance_files import MODEL, STAFF

NEXT = FIRST + timedelta(weeks=6)


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_forecast_writes_a_forecast_csv_that_staffing_reads(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv", history_rows(6, step=15, noise=True))
    folder = tmp_path / "week"
    result = run("forecast", str(history), "--start", str(NEXT), "--days", "3",
                 "--interval", "60", "--out", str(folder / "forecast.csv"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "wrote 42 rows" in result.stdout and "method mstl" in result.stdout
    with open(folder / "forecast.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["start", "contacts", "contacts_low", "contacts_high"]
    assert rows[0]["start"] == f"{NEXT}T07:00" and len(rows) == 3 * 14
    total = sum(float(r["contacts"]) for r in rows)
    assert f"{total:,.0f} contacts" in result.stdout
    # the instance reader takes the file as it is, prediction interval ignored
    (folder / "model.toml").write_text(MODEL, encoding="utf-8")
    (folder / "staff.csv").write_text(STAFF, encoding="utf-8")
    (folder / "instance.toml").write_text(
        f'model = "model.toml"\nstart = "{NEXT}"\ndays = 3\n', encoding="utf-8"
    )
    problem = load_problem(folder)
    assert problem.forecast is not None and len(problem.forecast) == 42 * 3  # split by tiers.mix
    staffing = run("staffing", str(folder), "--out", str(tmp_path / "staffing.csv"))
    assert staffing.exit_code == 0, staffing.output


def test_backtest_prints_one_table_and_writes_csv(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv", history_rows(8))
    out = tmp_path / "scores.csv"
    result = run("forecast", "backtest", str(history), "--days", "7", "--origins", "3",
                 "--methods", "last_week,mean_4_weeks", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"backtest of {history}: 3 origins, 7 days ahead each")
    assert "scored 420 intervals on 15 queue-days" in lines[0]
    assert lines[1].split()[:4] == ["method", "WAPE", "interval", "WAPE"]
    # a noiseless weekly pattern: both baselines are exact
    assert lines[2].split()[:3] == ["last_week", "0.00", "%"]
    assert lines[3].split()[:3] == ["mean_4_weeks", "0.00", "%"]
    with open(out, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["origin"] for r in rows].count("all") == 2 and len(rows) == 3 * 2 + 2


def test_backtest_scores_a_known_error(tmp_path: Path) -> None:
    """The last week at 110 %: last_week, one origin, is 10 % low on the next... and the
    week itself is forecast from the normal weeks, 1/1.1 of the actual."""
    last = FIRST + timedelta(weeks=5)
    scale = {last + timedelta(days=d): 1.1 for d in range(7)}
    history = write_history(tmp_path / "history.csv", history_rows(6, scale=scale))
    out = tmp_path / "scores.csv"
    result = run("forecast", "backtest", str(history), "--origins", "1",
                 "--methods", "last_week", "--out", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    wape = 1 - 1 / 1.1
    assert f"{wape * 100:.2f} %" in result.stdout.splitlines()[2]
    assert f"-{wape * 100:.2f} %" in result.stdout.splitlines()[2]  # bias: too low
    with open(out, encoding="utf-8") as fh:
        overall = [r for r in csv.DictReader(fh) if r["origin"] == "all"][0]
    assert float(overall["bias"]) == pytest.approx(-wape, abs=1e-6)
    assert float(overall["wape_daily"]) == pytest.approx(wape, abs=1e-6)


def test_backtest_with_mstl(tmp_path: Path) -> None:
    history = write_history(tmp_path / "history.csv", history_rows(7, noise=True))
    result = run("forecast", "backtest", str(history), "--origins", "2", "--interval", "30")
    assert result.exit_code == 0, result.output
    methods = [line.split()[0] for line in result.stdout.splitlines()[2:]]
    assert methods == ["mstl", "last_week", "mean_4_weeks"]


def error_of(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda ls: ls.insert(3, ls[2]), "history.csv:4: column start"),
        (
            lambda ls: ls.__setitem__(2, ls[2].split(",")[0] + ",-1"),
            "history.csv:3: column contacts",
        ),
        (lambda ls: ls.__setitem__(slice(2, 4), [ls[3], ls[2]]), "history.csv:4: column start"),
        (lambda ls: ls.__setitem__(slice(200, None), []), "at least 14 days"),
    ],
    ids=["duplicate", "negative", "unsorted", "short"],
)
def test_bad_history_exits_2_with_one_line(tmp_path: Path, edit: Any, expected: str) -> None:
    lines = ["start,contacts"] + [f"{s},{c:g}" for s, c in history_rows(3)]
    edit(lines)
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = error_of("forecast", str(path), "--start", "2026-03-02", "--days", "7",
                       "--interval", "30", "--out", str(tmp_path / "f.csv"))  # fmt: skip
    assert message.startswith("error: ") and expected in message
    assert not (tmp_path / "f.csv").exists()


def test_usage_errors(tmp_path: Path) -> None:
    history = str(write_history(tmp_path / "history.csv", history_rows(3)))
    out = str(tmp_path / "f.csv")
    assert "--start: '2026-3-2' is not a date YYYY-MM-DD" in error_of(
        "forecast", history, "--start", "2026-3-2", "--days", "7", "--interval", "30", "--out", out
    )
    assert "--origins 5: the earliest origin" in error_of(
        "forecast", "backtest", history, "--origins", "5"
    )
    assert "--methods: unknown prophet" in error_of(
        "forecast", "backtest", history, "--origins", "1", "--methods", "prophet"
    )
    assert "file not found" in error_of(
        "forecast", str(tmp_path / "nope.csv"), "--start", "2026-03-02", "--days", "7",
        "--interval", "30", "--out", out,
    )  # fmt: skip


def test_missing_statsforecast_is_one_clear_line(tmp_path: Path, monkeypatch: Any) -> None:
    real_import = builtins.__import__

    def no_statsforecast(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("statsforecast"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_statsforecast)
    history = str(write_history(tmp_path / "history.csv", history_rows(3)))
    args = ["forecast", history, "--start", "2026-01-26", "--days", "7", "--interval", "30",
            "--out", str(tmp_path / "f.csv")]  # fmt: skip
    message = error_of(*args)
    assert "pip install 'rostering[forecast]'" in message
    assert run(*args, "--method", "mean_4_weeks").exit_code == 0


def test_help_of_both_forms() -> None:
    assert "Example: rostering forecast history.csv --start" in run("forecast", "--help").stdout
    assert "Example: rostering forecast backtest" in run("forecast", "backtest", "--help").stdout


def test_holidays_file_and_factor_on_the_command_line(tmp_path: Path) -> None:
    history = str(write_history(tmp_path / "history.csv", history_rows(6, noise=True)))
    holidays = tmp_path / "holidays.csv"
    holidays.write_text(f"date,name\n{NEXT + timedelta(days=2)},Founders Day\n", encoding="utf-8")
    out = tmp_path / "f.csv"
    args = ["forecast", history, "--start", str(NEXT), "--days", "7", "--interval", "30",
            "--out", str(out), "--method", "mean_4_weeks", "--holidays", str(holidays)]  # fmt: skip
    closed = run(*args)
    assert closed.exit_code == 0, closed.output
    assert "wrote 112 rows" in closed.stdout  # four weekdays: the holiday is not forecast
    assert f"holiday {NEXT + timedelta(days=2)} (Founders Day): no holiday" in closed.stderr
    half = run(*args, "--holiday-factor", "0.5", "--level", "95")
    assert half.exit_code == 0 and "wrote 140 rows" in half.stdout
    assert "forecast at 0.50 x a normal day (--holiday-factor)" in half.stderr
    with open(out, encoding="utf-8") as fh:
        rows = {r["start"]: r for r in csv.DictReader(fh)}
    wednesday, monday = rows[f"{NEXT + timedelta(days=2)}T10:00"], rows[f"{NEXT}T10:00"]
    ratio = float(wednesday["contacts"]) / float(monday["contacts"])
    assert ratio == pytest.approx(0.5 * 1.0 / 1.3, rel=0.1)  # Wednesday 1.0, Monday 1.3
    assert (
        float(monday["contacts_low"]) < float(monday["contacts"]) < float(monday["contacts_high"])
    )
