"""Public complaint pages and the complaints JSON API.

Each module gets its own insurer ("shop": an admin, an agent, a viewer, an API token each), so
counts and lists are not disturbed by other tests; the standing cast (alice, bob, carol) is
used where the test is about who may do what. The shared frozen clock stands on Monday
2026-03-02, 10:00 in Shanghai.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

import pytest
import pytest_asyncio

from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped, scoped_count
from kefu.db import transaction
from tests import factories
from tests.complaints.payloads import DROP, complaint_payload
from tests.fixtures import Client, staff_of
from tests.fixtures import context as staff  # noqa: F401  (tests import staff(tenant, user) from here)

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock) -> None:
    frozen_clock.travel(TODAY)


@dataclass
class Shop:
    tenant: object
    admin: object
    agent: object
    viewer: object
    admin_token: str
    agent_token: str
    viewer_token: str

    def api(self, suffix: str = "") -> str:
        return f"/api/t/{self.tenant.slug}/complaints{suffix}"


async def make_shop(kind: str = "insurance") -> Shop:
    front = "agent" if kind == "insurance" else "front_desk"
    made = await staff_of(kind, {"admin": "admin", "agent": front, "viewer": "qa" if kind == "insurance" else front},
                          name=f"投诉测试 Shop {factories.unique('s')}", fresh=True)
    admin, agent, viewer = (made.users[who] for who in ("admin", "agent", "viewer"))
    return Shop(
        made.tenant, admin, agent, viewer,
        await factories.api_token(made.tenant, admin), await factories.api_token(made.tenant, agent),
        await factories.api_token(made.tenant, viewer),
    )


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def shop() -> Shop:
    return await make_shop()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def other_shop() -> Shop:
    return await make_shop()


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_shop() -> Shop:
    return await make_shop()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def payload(**over) -> dict:
    """A valid API body; `complainant_x=` sets complainant.x."""
    return complaint_payload(**{"customer_ref": DROP, "materials_complete": True, **over})


async def complaint_count(tenant_id: int) -> int:
    async with transaction(tenant_id, write=False):
        return await scoped_count(Complaint, tenant_id)


async def complaints(tenant_id: int) -> list[dict]:
    async with transaction(tenant_id, write=False):
        return await scoped(Complaint, tenant_id).order_by(Complaint.id)


def form_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's form (CSRF token, nonce)."""
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    return {name: html.unescape(value) for name, value in found}


async def open_form(client: Client, slug: str) -> dict[str, str]:
    response = await client.get(f"/p/{slug}/complain")
    assert response.status_code == 200, response.text
    hidden = form_fields(response.text)
    hidden.pop("next", None)
    hidden.pop("locale", None)
    return hidden


def public_form(**over) -> dict[str, str]:
    data = {
        "complainant.name": "李四",
        "complainant.phone": "139 0013 9000",
        "complainant.email": "",
        "complainant.relation": "consumer",
        "category": "claims",
        "customer_ref": "P-2026-0042",
        "subject": "退保手续费不合理",
        "description": "办理退保时被收取了高额手续费，事先没有告知。",
    }
    data.update(over)
    return data


async def submit(client: Client, slug: str, hidden: dict[str, str], **over):
    """Post the public form as a browser would: the CSRF token as a form field, no header."""
    return await client.http.post(f"/p/{slug}/complain", data={**hidden, **public_form(**over)})
