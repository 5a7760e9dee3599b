"""The platform admin's holiday page: a load says whether the year is final or stays
provisional (and what a final schedule still has to name); a conflict is a 422 naming both
lines, loading nothing."""

from __future__ import annotations

from datetime import date

import pytest
import pytest_asyncio

from kefu.db import transaction
from kefu.holidays.tables import HolidayOverride, HolidayYear
from tests import factories
from tests.complaints.services.test_provisional import FINAL_2027

URL = "/admin/holidays/"


@pytest_asyncio.fixture(loop_scope="session")
async def root(make_client):
    person = await factories.user(name="Root 节假日管理员", superuser=True)
    c = make_client()
    await c.signin(person.email)
    return c


@pytest.fixture
async def clean_2027():
    yield
    async with transaction():
        await HolidayOverride.delete().where(HolidayOverride.day >= date(2027, 1, 1))
        await HolidayYear.delete().where(HolidayYear.year == 2027)


async def _load(root, **data):
    response = await root.post(URL, {"year": "2027", **data})
    if response.status_code in (302, 303):
        response = await root.get(URL)
    return response


async def test_a_partial_year_stays_provisional_and_the_page_says_so(root, clean_2027):
    page = await _load(root, schedule="2027-01-01 off 元旦", final="1")
    assert page.status_code == 200, page.text[:500]
    assert 'id="provisional-years"' in page.text and "2027" in page.text.split('id="provisional-years"')[1][:300]
    assert "春节" in page.text  # what a final schedule still has to name
    assert not await HolidayYear.exists().where(HolidayYear.year == 2027)


async def test_a_complete_final_year_is_final(root, clean_2027):
    page = await _load(root, schedule=FINAL_2027)
    assert page.status_code == 200
    assert 'id="provisional-years"' not in page.text
    assert "2027" in page.text.split('id="final-years"')[1][:200]
    assert await HolidayYear.exists().where(HolidayYear.year == 2027)


async def test_conflicting_lines_are_a_422_naming_both(root, clean_2027):
    response = await root.post(URL, {"year": "2027", "schedule": "2027-01-01 off\n2027-01-01 work"})
    assert response.status_code == 422
    assert "2027-01-01" in response.text
    assert "第 1 行与第 2 行" in response.text or "Lines 1 and 2" in response.text
    assert not await HolidayOverride.exists().where(HolidayOverride.day >= date(2027, 1, 1))
