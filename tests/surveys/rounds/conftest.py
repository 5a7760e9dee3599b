"""Staff pages of survey rounds: a property centre per test with its supervisor (陈静's position,
relations_supervisor) and a front-desk member who may not manage surveys."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest_asyncio

from kefu.tenancy.services import add_member
from tests import factories
from tests.fixtures import Client

_PEOPLE: dict[str, object] = {}  # users are platform-wide: made once (argon2 is slow)


@dataclass
class Centre:
    app: object
    tenant: object
    users: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}/surveys{path}"

    async def client(self, who: str) -> Client:
        if who not in self.clients:
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]


@pytest_asyncio.fixture(loop_scope="session")
async def centre_pages(app) -> Centre:
    tenant = await factories.tenant(kind="property", name="调查中心物业 " + factories.unique("p"))
    users = {}
    for who, position in (("supervisor", "relations_supervisor"), ("desk", "front_desk")):
        if who not in _PEOPLE:
            _PEOPLE[who] = await factories.user(name=f"{who} 员工", locale="zh_CN")
        users[who] = _PEOPLE[who]
        await add_member(tenant=tenant, user=users[who], positions=[position])
    made = Centre(app, tenant, users)
    yield made
    for c in made.clients.values():
        await c.aclose()
