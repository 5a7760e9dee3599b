"""Customer pages: a fresh insurer and a fresh property centre per test, with a manager
(customers.manage) and a front-line member who may only view (insurance `agent`, property
`front_desk`), signed in as browser-like clients."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest_asyncio

from kefu.tenancy.services import add_member
from tests import factories
from tests.complaints.ui.support import context
from tests.fixtures import Client

_PEOPLE: dict[str, object] = {}  # users are platform-wide: made once (argon2 is slow)
VIEWERS = {"insurance": "agent", "property": "front_desk"}


@dataclass
class Desk:
    app: object
    tenant: object
    users: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}/customers{path}"

    async def client(self, who: str = "manager") -> Client:
        if who not in self.clients:
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]

    async def ctx(self, who: str = "manager"):
        return await context(self.tenant, self.users[who])


async def _desk(app, kind: str) -> Desk:
    tenant = await factories.tenant(kind=kind, name=f"客户台 {kind} " + factories.unique("d"))
    users = {}
    for who, position in (("manager", "admin"), ("viewer", VIEWERS[kind])):
        key = f"{kind}-{who}"
        if key not in _PEOPLE:
            _PEOPLE[key] = await factories.user(name=f"{who.title()} 员工", locale="en")
        users[who] = _PEOPLE[key]
        await add_member(tenant=tenant, user=users[who], positions=[position])
    return Desk(app, tenant, users)


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    desk = await _desk(app, "insurance")
    yield desk
    for c in desk.clients.values():
        await c.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def estate(app):
    desk = await _desk(app, "property")
    yield desk
    for c in desk.clients.values():
        await c.aclose()
