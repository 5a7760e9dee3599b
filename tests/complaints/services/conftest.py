"""A fresh insurer (or property centre) per test, its staff as TenantContexts, a frozen clock.

Staff of the insurer (positions from tenants/insurance/positions.toml):
agent (view, register), head (cs_head: review, handle, approve_extension), handler
(cs_manager: handle), ops (ops_head: approve_extension only), qa (view only).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
import pytest_asyncio

from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications.tables import Notice
from kefu.tenancy.tables import Membership
from tests import factories

# 2026-03-02 is a Monday; 10:00 in Shanghai.
TODAY = date(2026, 3, 2)


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


async def context(tenant, user) -> TenantContext:
    async with transaction(tenant.id, write=False):
        membership = await scoped_objects(Membership, tenant.id).where(
            Membership.user == user.id
        ).first()
    pack = get_pack(tenant.kind)
    return TenantContext(
        tenant=tenant, user=user, membership=membership, pack=pack,
        permissions=pack.permissions_of(membership.positions_list()),
    )


@dataclass
class Desk:
    tenant: object
    agent: TenantContext
    head: TenantContext
    handler: TenantContext
    ops: TenantContext
    qa: TenantContext


_PEOPLE: list = []  # users are platform-wide: made once (argon2 is slow), members of each desk


async def _people(n: int) -> list:
    while len(_PEOPLE) < n:
        _PEOPLE.append(await factories.user(name=f"Staff {len(_PEOPLE)}"))
    return _PEOPLE[:n]


async def make_desk(kind: str = "insurance") -> Desk:
    from kefu.tenancy.services import add_member

    tenant = await factories.tenant(kind=kind)
    positions = {
        "insurance": ["agent", "cs_head", "cs_manager", "ops_head", "qa"],
        "property": ["front_desk", "manager", "relations_supervisor", "manager", "front_desk"],
    }[kind]
    ctxs = []
    for user, position in zip(await _people(len(positions)), positions, strict=True):
        await add_member(tenant=tenant, user=user, positions=[position])
        ctxs.append(await context(tenant, user))
    return Desk(tenant, *ctxs)


@pytest_asyncio.fixture(loop_scope="session")
async def desk() -> Desk:
    return await make_desk("insurance")


@pytest_asyncio.fixture(loop_scope="session")
async def other_desk() -> Desk:
    return await make_desk("insurance")


def complaint_data(**over) -> dict:
    data = {
        "channel": "hotline",
        "complainant": {"name": "张三", "phone": "138 0013 8000", "email": "zhang@example.test",
                        "relation": "consumer"},
        "customer_ref": "P-2026-0001",
        "subject": "理赔款迟迟未到账",
        "description": "三月初报案，至今未收到理赔款。",
        "category": "claims",
        "materials_complete": False,
    }
    for key, value in over.items():
        if key.startswith("complainant_"):
            data["complainant"] = {**data["complainant"], key[len("complainant_"):]: value}
        else:
            data[key] = value
    return data


async def notices(tenant_id: int, complaint_id: int | None = None) -> list[dict]:
    async with transaction(tenant_id, write=False):
        query = scoped(Notice, tenant_id, Notice.id, Notice.kind, Notice.due_on, Notice.unique_key,
                       Notice.channel, Notice.recipient_email, Notice.data, Notice.subject_id)
        if complaint_id is not None:
            query = query.where(Notice.subject_type == "complaint", Notice.subject_id == complaint_id)
        return await query.order_by(Notice.id).output(load_json=True)


def days(n: int) -> timedelta:
    return timedelta(days=n)


async def under_review(desk: Desk, **over):
    from kefu.complaints import services

    return await services.register_complaint(desk.agent, complaint_data(materials_complete=True, **over))


async def accepted(desk: Desk, **over):
    from kefu.complaints import services

    c = await under_review(desk, **over)
    return await services.review_complaint(desk.head, c.id, outcome="accept")


async def investigating(desk: Desk, **over):
    from kefu.complaints import services

    c = await accepted(desk, **over)
    return await services.assign_handler(desk.head, c.id, handler_id=desk.handler.user.id)


async def reload(desk: Desk, complaint_id: int):
    from kefu.complaints.tables import Complaint
    from kefu.core.scoping import get_in_tenant

    async with transaction(desk.tenant.id, write=False):
        return await get_in_tenant(Complaint, desk.tenant.id, complaint_id)
