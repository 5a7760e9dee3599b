"""Survey template pages: a fresh property centre per test with its staff signed in.

Staff (tenants/property/positions.toml): supervisor (客户关系主管: surveys.view and
surveys.manage), front_desk (前台: neither). An insurer's qa (质检岗: surveys.view only) and agent
(客服岗: neither) check the view-only and refused cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest_asyncio

from kefu.tenancy.services import add_member
from tests import factories
from tests.complaints.ui.support import context
from tests.fixtures import Client

_PEOPLE: dict[str, object] = {}  # users are platform-wide: made once (argon2 is slow)
POSITIONS = {"supervisor": "relations_supervisor", "front_desk": "front_desk"}
INSURER_POSITIONS = {"qa": "qa", "agent": "agent", "head": "cs_head"}


@dataclass
class Centre:
    app: object
    tenant: object
    users: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}/surveys/templates{path}"

    async def client(self, who: str) -> Client:
        if who not in self.clients:
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]

    async def ctx(self, who: str):
        return await context(self.tenant, self.users[who])


async def _centre(app, kind: str, positions: dict[str, str]) -> Centre:
    tenant = await factories.tenant(kind=kind, name=f"问卷中心 Centre {factories.unique('c')}")
    users = {}
    for who, position in positions.items():
        if who not in _PEOPLE:
            _PEOPLE[who] = await factories.user(name=f"{who.title()} 员工", locale="zh_CN")
        users[who] = _PEOPLE[who]
        await add_member(tenant=tenant, user=users[who], positions=[position])
    return Centre(app, tenant, users)


@pytest_asyncio.fixture(loop_scope="session")
async def centre(app):
    made = await _centre(app, "property", POSITIONS)
    yield made
    for c in made.clients.values():
        await c.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def insurer(app):
    made = await _centre(app, "insurance", INSURER_POSITIONS)
    yield made
    for c in made.clients.values():
        await c.aclose()


# The browser test of the editor runs on the e2e harness: `kefu serve` and Debian's chromium.
from tests.e2e.conftest import browser, journey, live_server, page  # noqa: E402, F401
