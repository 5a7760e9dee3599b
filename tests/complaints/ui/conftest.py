"""Staff pages of complaints: a fresh insurer per test, its staff signed in as browser-like
clients, and a frozen clock (Monday 2026-03-02, 10:00 in Shanghai).

Staff (positions of tenants/insurance/positions.toml): agent (客服岗: view, register), head
(客服处负责人: review, handle, approve extensions), handler (客服管理岗: handle), qa (质检岗:
view only). The standing cast (alice, bob, carol of tests/fixtures.py) is used where a test
is about another tenant.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import pytest
import pytest_asyncio

from kefu.core import clock
from kefu.tenancy.services import add_member
from tests import factories
from tests.complaints.ui.support import context
from tests.fixtures import Client

TODAY = date(2026, 3, 2)  # a Monday
POSITIONS = {"agent": "agent", "head": "cs_head", "handler": "cs_manager", "qa": "qa"}


def at(day: date) -> datetime:
    return datetime.combine(day, time(2, 0), UTC)  # 10:00 Asia/Shanghai


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield


@pytest.fixture
def travel():
    """travel(day): move the frozen clock to `day` (10:00 Shanghai) for the rest of the test."""
    stack: list = []

    def go(day: date) -> None:
        cm = clock.frozen(at(day))
        cm.__enter__()
        stack.append(cm)

    yield go
    for cm in reversed(stack):
        cm.__exit__(None, None, None)


_PEOPLE: dict[str, object] = {}  # users are platform-wide: made once (argon2 is slow)


@dataclass
class Office:
    """One insurer's customer-service office."""

    app: object
    tenant: object
    users: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}/complaints{path}"

    async def client(self, who: str) -> Client:
        if who not in self.clients:
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]

    async def ctx(self, who: str):
        return await context(self.tenant, self.users[who])


@pytest_asyncio.fixture(loop_scope="session")
async def office(app) -> Office:
    tenant = await factories.tenant(kind="insurance", name="投诉办公室 Office " + factories.unique("o"))
    users = {}
    for who, position in POSITIONS.items():
        if who not in _PEOPLE:
            _PEOPLE[who] = await factories.user(name=f"{who.title()} 员工", locale="en")
        users[who] = _PEOPLE[who]
        await add_member(tenant=tenant, user=users[who], positions=[position])
    made = Office(app, tenant, users)
    yield made
    for c in made.clients.values():
        await c.aclose()
