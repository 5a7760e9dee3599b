"""Customer pages: a fresh insurer and a fresh property centre per test (tests.fixtures.staff_of),
with a manager (customers.manage) and a front-line member who may only view (insurance `agent`,
property `front_desk`), signed in as browser-like clients."""

from __future__ import annotations

import pytest_asyncio

from tests import factories
from tests.fixtures import Client, Staff, staff_of

VIEWERS = {"insurance": "agent", "property": "front_desk"}


class Desk(Staff):
    """A Staff whose client and context default to the manager."""

    async def client(self, who: str = "manager") -> Client:
        return await super().client(who)

    async def ctx(self, who: str = "manager"):
        return await super().ctx(who)


async def _desk(app, kind: str) -> Desk:
    made = await staff_of(kind, {"manager": "admin", "viewer": VIEWERS[kind]},
                          name=f"客户台 {kind} " + factories.unique("d"))
    return Desk(app, made.tenant, made.users, "/customers")


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    desk = await _desk(app, "insurance")
    yield desk
    await desk.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def estate(app):
    desk = await _desk(app, "property")
    yield desk
    await desk.aclose()
