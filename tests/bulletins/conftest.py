"""Bulletin pages: a fresh property centre per test with a manager (bulletins.manage) and a
front-desk member (bulletins.view only), and an insurer whose pack grants no bulletin permission."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of


@pytest_asyncio.fixture(loop_scope="session")
async def estate(app):
    made = await staff_of("property", {"manager": "manager", "desk": "front_desk"},
                          name="公告小区 " + factories.unique("b"))
    staff = Staff(app, made.tenant, made.users, "/bulletins")
    yield staff
    await staff.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await staff_of("insurance", {"manager": "admin"}, name="保险 " + factories.unique("b"))
    staff = Staff(app, made.tenant, made.users, "/bulletins")
    yield staff
    await staff.aclose()
