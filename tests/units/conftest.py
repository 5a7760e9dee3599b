"""Unit pages: a fresh property centre per test (tests.fixtures.staff_of) with a manager
(units.manage), a front-desk member (units.view and units.desk, no units.manage), and an
insurer whose pack grants no units permission."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of


class Desk(Staff):
    """A Staff whose client and context default to the manager."""

    async def client(self, who: str = "manager"):
        return await super().client(who)

    async def ctx(self, who: str = "manager"):
        return await super().ctx(who)


@pytest_asyncio.fixture(loop_scope="session")
async def estate(app):
    made = await staff_of("property", {"manager": "manager", "desk": "front_desk"},
                          name="物业前台 " + factories.unique("u"))
    desk = Desk(app, made.tenant, made.users, "/units")
    yield desk
    await desk.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await staff_of("insurance", {"manager": "admin"}, name="保险 " + factories.unique("u"))
    desk = Desk(app, made.tenant, made.users, "/units")
    yield desk
    await desk.aclose()
