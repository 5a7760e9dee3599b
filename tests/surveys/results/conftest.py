"""Results pages: an insurer per module (survey pages read the same on both kinds) with its
customer-service manager (客服管理岗: surveys.view and surveys.actions) and a quality inspector
(质检岗: surveys.view only), signed in as browser-like clients. Rounds and responses are
inserted directly (tests/survey_factories.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest_asyncio

from kefu.tenancy.services import add_member
from tests import factories
from tests.complaints.ui.support import context
from tests.fixtures import Client

POSITIONS = {"manager": "cs_manager", "qa": "qa"}


@dataclass
class Office:
    app: object
    tenant: object
    users: dict[str, object]
    clients: dict[str, Client] = field(default_factory=dict)

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}/surveys{path}"

    def round_url(self, round_id: int, path: str = "/results") -> str:
        return self.url(f"/rounds/{round_id}{path}")

    async def client(self, who: str) -> Client:
        if who not in self.clients:
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]

    async def ctx(self, who: str):
        return await context(self.tenant, self.users[who])


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def office(app) -> Office:
    tenant = await factories.tenant(kind="insurance", name="调查结果 Results " + factories.unique("r"))
    users = {}
    for who, position in POSITIONS.items():
        users[who] = await factories.user(name=f"{who.title()} 员工", locale="en")
        await add_member(tenant=tenant, user=users[who], positions=[position])
    made = Office(app, tenant, users)
    yield made
    for c in made.clients.values():
        await c.aclose()
