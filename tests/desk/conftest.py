"""Desk pages: a fresh property centre per test with a manager (every desk permission), a
front-desk member (desk.view and desk.work, no desk.approve) and an insurer whose pack has
no desk at all."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await staff_of("property", {"manager": "manager", "desk": "front_desk"},
                          name="物业前台 " + factories.unique("d"), names={"manager": "王经理", "desk": "刘洋"})
    staff = Staff(app, made.tenant, made.users, "/desk")
    yield staff
    await staff.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await staff_of("insurance", {"manager": "admin"}, name="保险 " + factories.unique("d"))
    staff = Staff(app, made.tenant, made.users, "/desk")
    yield staff
    await staff.aclose()
