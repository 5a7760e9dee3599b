"""A fresh insurer (or property centre) per test, its staff as TenantContexts (tests.fixtures.staff_of),
the shared frozen clock on Monday 2026-03-02.

Staff of the insurer (positions from tenants/insurance/positions.toml):
agent (view, register), head (cs_head: review, handle, approve_extension), handler
(cs_manager: handle), ops (ops_head: approve_extension only), qa (view only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import pytest_asyncio

from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.complaints.payloads import complaint_payload
from tests.fixtures import context, staff_of  # noqa: F401  (context: imported by tests)

# 2026-03-02 is a Monday; 10:00 in Shanghai.
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock) -> None:
    frozen_clock.travel(TODAY)


@pytest.fixture
def travel(frozen_clock):
    """travel(day): move the frozen clock to `day` (10:00 Shanghai) for the rest of the test."""
    return frozen_clock.travel


ROLES = {
    "insurance": {"agent": "agent", "head": "cs_head", "handler": "cs_manager", "ops": "ops_head", "qa": "qa"},
    "property": {"agent": "front_desk", "head": "manager", "handler": "relations_supervisor",
                 "ops": "manager", "qa": "front_desk"},
}


@dataclass
class Desk:
    tenant: object
    agent: TenantContext
    head: TenantContext
    handler: TenantContext
    ops: TenantContext
    qa: TenantContext


async def make_desk(kind: str = "insurance") -> Desk:
    staff = await staff_of(kind, ROLES[kind])
    return Desk(staff.tenant, **await staff.contexts())


@pytest_asyncio.fixture(loop_scope="session")
async def desk() -> Desk:
    return await make_desk("insurance")


@pytest_asyncio.fixture(loop_scope="session")
async def other_desk() -> Desk:
    return await make_desk("insurance")


def complaint_data(**over) -> dict:
    # A phone as a caller dictates it, with spaces: the service normalises it.
    return complaint_payload(**{"complainant_phone": "138 0013 8000", **over})


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
