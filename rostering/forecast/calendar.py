"""Holiday calendars: a user's list of dates (`--holidays FILE`) and/or a country's public
holidays (`--country CC`, from the `holidays` package)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rostering.io.csvfile import read_csv
from rostering.io.errors import InputError

Holidays = dict[date, str]  # date -> name ("" when the file gives none)


def read_holiday_file(path: Path) -> Holidays:
    """`date` and optionally `name` per row; a date may appear once."""
    result: Holidays = {}
    lines: dict[date, int] = {}
    for row in read_csv(path, ("date",), ("name",)):
        day = row.date("date")
        if day in lines:
            raise row.fail("date", f"{day} already appears on line {lines[day]}")
        lines[day] = row.line
        result[day] = row.get("name")
    return result


def country_holidays(country: str, first: date, last: date) -> Holidays:
    """The public holidays of `country` (ISO 3166 code, e.g. US, GB, DE) from first to last."""
    try:
        import holidays
    except ImportError:
        raise InputError(
            "--country needs the holidays package: pip install 'rostering[forecast]' "
            "(or give the dates with --holidays FILE)"
        ) from None
    try:
        calendar = holidays.country_holidays(
            country.upper(), years=range(first.year, last.year + 1)
        )
    except NotImplementedError:
        raise InputError(
            f"--country {country!r}: not a country code the holidays package knows "
            "(ISO 3166 alpha-2, e.g. US, GB, DE, FR)"
        ) from None
    return {d: str(name) for d, name in sorted(calendar.items()) if first <= d <= last}


def holiday_calendar(path: Path | None, country: str | None, first: date, last: date) -> Holidays:
    """The union of the file's dates and the country's holidays (the file's names first)."""
    result: Holidays = {}
    if country:
        result.update(country_holidays(country, first, last))
    if path is not None:
        result.update(read_holiday_file(path))
    return result
