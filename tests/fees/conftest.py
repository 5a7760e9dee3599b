"""Fee pages: a fresh property centre per test (tests.fixtures.staff_of) with a manager (every
fees permission), a front-desk member (fees.view and fees.collect) and an insurer whose pack
grants no fees permission."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Staff, staff_of


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await staff_of("property", {"manager": "manager", "desk": "front_desk"},
                          name="物业收费 " + factories.unique("f"))
    staff = Staff(app, made.tenant, made.users, "/fees")
    yield staff
    await staff.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await staff_of("insurance", {"manager": "admin"}, name="保险 " + factories.unique("f"))
    staff = Staff(app, made.tenant, made.users, "/fees")
    yield staff
    await staff.aclose()
