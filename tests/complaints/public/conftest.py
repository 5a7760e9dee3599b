"""Public complaint pages and the complaints JSON API.

Each module gets its own insurer ("shop": an admin, an agent, a viewer, an API token each), so
counts and lists are not disturbed by other tests; the standing cast (alice, bob, carol) is
used where the test is about who may do what. The clock is frozen on Monday 2026-03-02, 10:00
in Shanghai.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import pytest_asyncio

from kefu.complaints.tables import Complaint
from kefu.core import clock
from kefu.core.scoping import scoped, scoped_count
from kefu.db import transaction
from tests import factories
from tests.fixtures import Client

TODAY = date(2026, 3, 2)


def at(day: date, hour_utc: int = 2) -> datetime:
    return datetime.combine(day, time(hour_utc, 0), UTC)  # 02:00 UTC = 10:00 Shanghai


@pytest.fixture(autouse=True)
def frozen_today() -> Iterator[None]:
    with clock.frozen(at(TODAY)):
        yield


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
    tenant = await factories.tenant(kind=kind, name=f"投诉测试 Shop {factories.unique('s')}")
    admin = await factories.member(tenant, ["admin"], name="Admin 管理员")
    agent = await factories.member(tenant, ["agent" if kind == "insurance" else "front_desk"], name="Agent 坐席")
    viewer = await factories.member(tenant, ["qa" if kind == "insurance" else "front_desk"], name="QA 质检")
    return Shop(
        tenant, admin, agent, viewer,
        await factories.api_token(tenant, admin), await factories.api_token(tenant, agent),
        await factories.api_token(tenant, viewer),
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
    data = {
        "channel": "hotline",
        "complainant": {"name": "张三", "phone": "13800138000", "email": "zhang@example.test",
                        "relation": "consumer"},
        "subject": "理赔款迟迟未到账",
        "description": "三月初报案，至今未收到理赔款。",
        "category": "claims",
        "materials_complete": True,
    }
    for key, value in over.items():
        if key.startswith("complainant_"):
            data["complainant"] = {**data["complainant"], key[len("complainant_"):]: value}
        else:
            data[key] = value
    return data


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


async def staff(tenant, user):
    """The TenantContext a service call takes, for a member of `tenant`."""
    from kefu.core.packs import get_pack
    from kefu.core.scoping import scoped_objects
    from kefu.core.tenancy import TenantContext
    from kefu.tenancy.tables import Membership

    async with transaction(tenant.id, write=False):
        membership = await scoped_objects(Membership, tenant.id).where(
            Membership.user == user.id
        ).first()
    pack = get_pack(tenant.kind)
    return TenantContext(tenant=tenant, user=user, membership=membership, pack=pack,
                         permissions=pack.permissions_of(membership.positions_list()))
