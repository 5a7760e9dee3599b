"""`kefu holidays load --year Y [--final] FILE` and `kefu holidays set DAY off|work`: what the
command says it did is what the schedule now holds; a conflicting file is refused naming both
lines and loads nothing."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.db import transaction
from kefu.holidays.tables import HolidayOverride, HolidayYear
from tests.cli.test_cli import cli  # noqa: F401  (the fixture)
from tests.complaints.services.test_provisional import FINAL_2027


@pytest.fixture
async def clean_2027():
    yield
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day >= date(2027, 1, 1))
        await HolidayYear.delete().where(HolidayYear.year == 2027)


async def _days_2027() -> dict[date, bool]:
    rows = await HolidayOverride.select(HolidayOverride.day, HolidayOverride.is_workday).where(
        HolidayOverride.day >= date(2027, 1, 1))
    return {r["day"]: r["is_workday"] for r in rows}


async def test_load_a_final_year_then_a_partial_one_stays_provisional(cli, tmp_path, clean_2027):  # noqa: F811
    full = tmp_path / "2027.txt"
    full.write_text(FINAL_2027.replace("final\n", ""), encoding="utf-8")
    result = await cli("holidays", "load", "--year", "2027", "--final", str(full))
    assert result.code == 0, result.err
    assert "loaded 16 days for 2027 (final)" in result.out
    assert await HolidayYear.exists().where(HolidayYear.year == 2027)

    partial = tmp_path / "partial.txt"
    partial.write_text("2027-01-01 off 元旦\n", encoding="utf-8")
    result = await cli("holidays", "load", "--year", "2027", "--final", str(partial))
    assert result.code == 0, result.err
    assert "(provisional)" in result.out and "春节" in result.out
    assert not await HolidayYear.exists().where(HolidayYear.year == 2027)
    assert await _days_2027() == {date(2027, 1, 1): False}


async def test_conflicting_lines_are_refused_and_nothing_is_loaded(cli, tmp_path, clean_2027):  # noqa: F811
    bad = tmp_path / "bad.txt"
    bad.write_text("2027-01-01 off 元旦\n2027-02-06 off 春节\n2027-01-01 work\n", encoding="utf-8")
    result = await cli("holidays", "load", "--year", "2027", str(bad))
    line = result.one_error_line("schedule")
    assert "1" in line and "3" in line and "2027-01-01" in line
    assert await _days_2027() == {}


async def test_set_one_day(cli, clean_2027):  # noqa: F811
    result = await cli("holidays", "set", "2027-03-01", "off", "--note", "调整")
    assert result.code == 0 and "2027-03-01 is now a day off (changed)" in result.out
    result = await cli("holidays", "set", "2027-03-01", "off")
    assert "(unchanged)" in result.out
    assert await _days_2027() == {date(2027, 3, 1): False}
    result = await cli("holidays", "set", "2027-02-30", "off")
    result.one_error_line("day")
