"""Reading contact history: finer rows summed, AHT weighted, every bad input named."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rostering.forecast.history import read_history
from rostering.io.errors import InputError
from tests.forecast_data import FIRST, history_rows, write_history


def test_finer_rows_are_summed_onto_the_grid(tmp_path: Path) -> None:
    fine = read_history(write_history(tmp_path / "h5.csv", history_rows(3, step=5)), 30)
    coarse = read_history(write_history(tmp_path / "h30.csv", history_rows(3)), 30)
    assert fine.interval == 30 and fine.days == 19 and fine.first_day == FIRST  # to a Friday
    # the 5-minute rows are rounded to 0.001 each
    np.testing.assert_allclose(fine.series[0].contacts, coarse.series[0].contacts, rtol=1e-4)
    # a closed hour has no row: NaN, not a zero
    assert np.isnan(fine.series[0].contacts[0, 0]) and np.isnan(fine.series[0].contacts[5, 20])
    assert fine.series[0].contacts[0, 14] > 0  # Monday 07:00


def test_default_interval_is_the_history_step(tmp_path: Path) -> None:
    history = read_history(write_history(tmp_path / "h.csv", history_rows(3, step=15)))
    assert history.interval == 15 and history.slots == 96


def test_aht_is_weighted_by_contacts(tmp_path: Path) -> None:
    special = {  # Monday 09:00-10:00 of a 15-minute export
        "2026-01-05T09:00": "10,100",
        "2026-01-05T09:15": "30,500",
        "2026-01-05T09:30": "0,",
        "2026-01-05T09:45": "0,",
    }
    lines = ["start,contacts,aht_seconds"] + [
        f"{s},{special.get(s, f'{c:g},300')}" for s, c in history_rows(3, step=15)
    ]
    path = tmp_path / "aht.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    series = read_history(path, 30).series[0]
    assert series.aht is not None
    assert series.contacts[0, 18] == 40 and series.aht[0, 18] == pytest.approx(400.0)
    assert series.contacts[0, 19] == 0 and np.isnan(series.aht[0, 19])  # no contacts: unknown
    assert series.aht[1, 18] == 300


def test_tiers_are_separate_queues(tmp_path: Path) -> None:
    rows = history_rows(3)
    lines = ["start,tier,contacts"]
    for s, c in rows:
        lines += [f"{s},junior,{c:g}", f"{s},senior,{c / 10:g}"]
    path = tmp_path / "tiers.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    history = read_history(path, 60)
    assert [s.tier for s in history.series] == ["junior", "senior"]
    np.testing.assert_allclose(
        history.series[0].contacts[~np.isnan(history.series[0].contacts)],
        10 * history.series[1].contacts[~np.isnan(history.series[1].contacts)],
    )


def lines_of(rows: list[tuple[str, float]]) -> list[str]:
    return ["start,contacts"] + [f"{s},{c:g}" for s, c in rows]


def bad(tmp_path: Path, lines: list[str], interval: int | None = 30) -> str:
    path = tmp_path / "history.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_history(path, interval)
    assert len(info.value.lines) == 1
    return info.value.lines[0]


def test_unsorted_rows_name_the_row(tmp_path: Path) -> None:
    lines = lines_of(history_rows(3))
    lines[5], lines[6] = lines[6], lines[5]
    message = bad(tmp_path, lines)
    assert "history.csv:7: column start" in message
    assert "comes before line 6's" in message and "sorted" in message


def test_duplicated_timestamp_names_the_row(tmp_path: Path) -> None:
    lines = lines_of(history_rows(3))
    lines.insert(4, lines[3])
    message = bad(tmp_path, lines)
    assert "history.csv:5: column start" in message and "repeats line 4's" in message


def test_negative_count_names_the_row(tmp_path: Path) -> None:
    lines = lines_of(history_rows(3))
    lines[3] = lines[3].split(",")[0] + ",-4"
    assert "history.csv:4: column contacts: -4 is below the minimum 0" in bad(tmp_path, lines)


def test_history_shorter_than_two_weeks(tmp_path: Path) -> None:
    message = bad(tmp_path, lines_of(history_rows(days=13)))
    assert (
        "covers 12 days (2026-01-05 to 2026-01-16)" in message
    )  # to a Friday and "at least 14" in message


def test_off_grid_row_names_the_row(tmp_path: Path) -> None:
    lines = lines_of(history_rows(3))
    stamp, count = lines[10].split(",")
    lines[10] = f"{stamp[:14]}07,{count}"  # HH:07 between HH:00 and HH:30
    message = bad(tmp_path, lines)
    assert "history.csv:11: column start" in message
    assert "not on the history's 30-minute step" in message


def test_history_coarser_than_the_interval(tmp_path: Path) -> None:
    message = bad(tmp_path, lines_of(history_rows(3, step=60)), 30)
    assert "rows are 60 minutes apart, coarser than --interval 30" in message


def test_step_that_does_not_divide_the_interval(tmp_path: Path) -> None:
    message = bad(tmp_path, lines_of(history_rows(3, step=20)), 30)
    assert "20 minutes apart, which does not divide --interval 30" in message


def test_not_a_datetime(tmp_path: Path) -> None:
    lines = lines_of(history_rows(3))
    lines[2] = "05/01/2026 07:30," + lines[2].split(",")[1]
    message = bad(tmp_path, lines)
    assert "history.csv:3: column start: '05/01/2026 07:30' is not a datetime" in message


def test_mixed_tier_rows(tmp_path: Path) -> None:
    rows = history_rows(3)
    lines = ["start,tier,contacts"] + [f"{s},junior,{c:g}" for s, c in rows]
    lines[4] = lines[4].replace(",junior,", ",,")
    assert "history.csv:5: column tier: empty" in bad(tmp_path, lines)


def test_space_separated_stamps_with_seconds_are_read(tmp_path: Path) -> None:
    rows = [(s.replace("T", " ") + ":00", c) for s, c in history_rows(3)]
    history = read_history(write_history(tmp_path / "h.csv", rows), 30)
    assert history.days == 19
