"""`rostering report`: the page's content, figures and inputs (the browser test is apart)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from rostering.check import request_outcomes
from rostering.cli import main
from rostering.figures import judge, run_figures
from rostering.io.roster import read_roster
from rostering.pipeline import load
from tests.builders import HOTLINE


def run(*args: object) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def report_of(instance: Path, roster_rows: str, tmp_path: Path) -> str:
    """The page `rostering report` writes for a roster of these rows, kept as tmp_path/r.csv
    (exit 0 asserted)."""
    roster = tmp_path / "r.csv"
    roster.write_text("employee_id,date,shift_id\n" + roster_rows, encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", instance, roster, "--out", out)
    assert result.exit_code == 0, result.stderr
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def page(hotline_out: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = run("report", HOTLINE, hotline_out, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert f"wrote {out}" in result.stdout
    return out.read_text(encoding="utf-8")


def test_page_is_self_contained(page: str) -> None:
    # no resource is fetched from anywhere: no src/href to another place, no @import
    assert not re.search(r"""(src|href)\s*=\s*["']?[a-z]+:""", page, re.I)
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", page)
    assert "@import" not in page
    assert page.count("<script") == 3  # the data, uPlot, the page's own drawing code
    assert "uPlot" in page


def test_grid_has_every_person_and_day_coloured_by_kind(page: str, hotline_out: Path) -> None:
    problem = load(HOTLINE)
    roster = read_roster(hotline_out / "roster.csv", problem)
    grid = page[
        page.index('<table class="grid">') : page.index(
            "</table>", page.index('<table class="grid">')
        )
    ]
    assert grid.count("<tr>") == len(problem.employees) + 1
    for e in problem.employees:
        assert f'<th class="who">{e.id}</th>' in grid
    for kind in ("early", "day", "late", "night"):
        assert f"k-{kind}" in grid
    cells = re.findall(r'<td class="k-[a-z]+[^"]*" title="[^"]*">([A-Z0-9|]+)</td>', grid)
    assert len(cells) == len(roster.assignments)


def test_chart_data_matches_evaluate(page: str, hotline_out: Path) -> None:
    problem = load(HOTLINE)
    judged = judge(problem, read_roster(hotline_out / "roster.csv", problem))
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    charts = {c["id"]: c for c in data["charts"]}
    assert set(charts) == {"level-junior", "level-mid", "level-senior", "service"}
    assert len(charts["level-junior"]["x"]) == 7 * 24 + 7  # and the next Monday, 00-07
    rows = list(csv.DictReader((hotline_out / "coverage.csv").open(encoding="utf-8")))
    junior = [r for r in rows if r["tier"] == "junior"]
    on_duty = [v for v in charts["level-junior"]["lines"][1]["values"] if v is not None]
    assert on_duty == [int(r["on_duty"]) for r in junior]
    assert len(data["days"]) == 8
    sl = [v for v in charts["service"]["lines"][0]["values"] if v is not None]
    assert judged.service is not None
    assert sl == [round(iv.service_level * 100, 2) for iv in judged.service.intervals]


def test_headline_figures_are_evaluates(page: str, hotline_out: Path) -> None:
    problem = load(HOTLINE)
    judged = judge(problem, read_roster(hotline_out / "roster.csv", problem))
    figures = run_figures(judged)
    summary = json.loads((hotline_out / "summary.json").read_text())
    assert f"{summary['status']} ({summary['stop_reason']})" in page
    assert f'<div class="v">{figures.objective:,}</div>' in page
    assert figures.objective == summary["objective"]
    # unmet person-hours: per interval the largest shortfall over tier levels, x 1 h
    rows = list(csv.DictReader((hotline_out / "coverage.csv").open(encoding="utf-8")))
    unmet: dict[str, int] = {}
    for r in rows:
        unmet[r["start"]] = max(unmet.get(r["start"], 0), int(r["shortfall"]))
    assert figures.unmet_person_hours == sum(unmet.values())
    assert f'<div class="v">{figures.unmet_person_hours:,.1f}</div>' in page
    assert judged.service is not None
    assert f"{judged.service.horizon.service_level:.2%}" in page
    granted = sum(ok for _, ok in request_outcomes(problem, judged.roster))
    total = len(request_outcomes(problem, judged.roster))
    assert f"Requests: {granted} of {total} granted" in page
    assert "No violation." in page


def test_violations_in_words_and_other_roster(hotline_out: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.csv"
    lines = (hotline_out / "roster.csv").read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    # the same person works a second shift on the same day
    extra = [first[0], first[1], "N1" if first[2] != "N1" else "E1", "", "", ""]
    edited.write_text("\n".join(lines + [",".join(extra)]) + "\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = run("report", HOTLINE, edited, "--out", out, "--compare", hotline_out)
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "checked roster" in page  # no summary.json of this roster
    assert "one_shift_per_day</b>: " + first[0] in page
    assert "Against the other roster" in page
    assert "on duty (other)" in page


def test_summary_of_another_roster_is_not_shown(hotline_out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "run"
    shutil.copytree(hotline_out, folder)
    with (folder / "roster.csv").open("a", encoding="utf-8") as handle:
        handle.write("E01,2026-12-06,N1,,,\n")
    out = tmp_path / "r.html"
    assert run("report", HOTLINE, folder, "--out", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert "checked roster" in page and "from the run's summary.json" not in page


def test_roster_of_another_instance_is_exit_2_and_writes_nothing(
    hotline_out: Path, tmp_path: Path
) -> None:
    other = HOTLINE.parent / "tiny"
    out = tmp_path / "r.html"
    result = run("report", other, hotline_out, "--out", out)
    assert result.exit_code == 2
    assert "unknown employee" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()
    result = run("report", HOTLINE, tmp_path, "--out", out)
    assert result.exit_code == 2 and "no roster.csv in this folder" in result.stderr


def test_service_per_day_table(page: str, hotline_out: Path) -> None:
    problem = load(HOTLINE)
    judged = judge(problem, read_roster(hotline_out / "roster.csv", problem))
    assert judged.service is not None
    table = page[
        page.index('id="service-days"') : page.index("</table>", page.index('id="service-days"'))
    ]
    cells = re.findall(
        r"<tr><td>([^<]+)</td><td class=num>([^<]+)</td><td class=num>([^<]+)</td>", table
    )
    expected = [
        (str(d), f"{t.contacts:,.0f}", f"{t.service_level:.2%}")
        for d, t in [*judged.service.by_day.items(), ("whole period", judged.service.horizon)]
    ]
    assert cells == expected
    worst = judged.service.worst
    assert worst is not None
    assert f"Worst interval: {worst.start:%Y-%m-%d %H:%M} at {worst.service_level:.2%}" in page


def test_headcount_demand_has_no_service_figures(tmp_path: Path) -> None:
    tiny = HOTLINE.parent / "tiny"  # requirements.csv: headcount, no contacts
    page = report_of(tiny, "J1,2026-11-30,E\n", tmp_path)
    assert "service level" not in page.lower() and 'id="service-days"' not in page
    assert "unmet person-hours" in page.lower()


def test_shift_slot_demand_charts_one_shift_per_day(tmp_path: Path) -> None:
    bench = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "curtois"
    instance = tmp_path / "c1"
    assert run("convert", "curtois", bench / "Instance1.txt", instance).exit_code == 0
    page = report_of(instance, "A,2024-01-01,D\nB,2024-01-02,D\n", tmp_path)
    data = json.loads(re.search(r'id="report-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    (chart,) = data["charts"]
    assert chart["id"] == "slot-D" and len(chart["x"]) == 14
    assigned = chart["lines"][1]["values"]
    assert assigned[:3] == [1, 1, 0]
    problem = load(instance)
    judged = judge(problem, read_roster(tmp_path / "r.csv", problem))
    required = {r.date: r.required for r in judged.evaluation.coverage}
    assert chart["lines"][0]["values"] == [required[problem.date_of(d)] for d in range(14)]
    assert data["days"] == []


def test_text_from_files_is_escaped(tmp_path: Path) -> None:
    instance = tmp_path / "instances" / "week"
    shutil.copytree(HOTLINE, instance)
    shutil.copytree(HOTLINE.parents[1] / "models", tmp_path / "models")
    staff = (instance / "staff.csv").read_text(encoding="utf-8")
    hostile = '<img src=x onerror="alert(1)"></script>'
    staff = staff.replace("Zoë Müller", f'"{hostile.replace(chr(34), chr(34) * 2)}"')
    (instance / "staff.csv").write_text(staff, encoding="utf-8")
    page = report_of(instance, "E01,2026-11-30,E1\n", tmp_path)
    assert hostile not in page and "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&lt;/script&gt;" in page
