"""A fresh insurer per module with complaints and notices inserted directly (fast, exact dates),
its admin and agent signed in (tests.fixtures.staff_of), and the shared frozen clock on 2026-04-15
10:00 in Shanghai.

The seeded data (see `seed`): March 2026 is the period under test, February the previous one.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest
import pytest_asyncio

from kefu.complaints.tables import Complaint
from kefu.db import transaction
from kefu.notifications.services import Recipient, owe_notice
from kefu.notifications.tables import Notice
from tests.fixtures import Client, staff_of
from tests.fixtures import at as at  # noqa: PLC0414  (10:00 Shanghai of a day; tests import it from here)

TODAY = date(2026, 4, 15)


@pytest.fixture(autouse=True)
def frozen_today(frozen_clock) -> None:
    frozen_clock.travel(TODAY)


async def insert_complaint(tenant, **over) -> Complaint:
    """A complaint row as the services would leave it, with the given fields."""
    received = over.pop("received_on", TODAY)
    values = dict(
        tenant=tenant.id, number=f"TS{received.year}-{uuid.uuid4().int % 10**6:06d}",
        channel="hotline", received_on=received, complainant_name="张三", complainant_phone="",
        complainant_email="", subject="理赔款迟迟未到账", description="三月初报案，至今未收到理赔款。",
        category="claims", status="registered", period_start_on=received,
        public_token=secrets.token_urlsafe(24),
    )
    values.update(over)
    row = Complaint(**values)
    async with transaction(tenant.id):
        await row.save()
    return row


async def insert_notice(
    tenant, complaint: Complaint, kind: str, due_on: date | None, sent_on: date | None = None,
) -> int:
    """A notice owed on `complaint`; sent (state sent, sent_on) when `sent_on` is given."""
    async with transaction(tenant.id):
        notice_id = await owe_notice(
            tenant_id=tenant.id, kind=kind, subject_type="complaint", subject_id=complaint.id,
            recipient=Recipient(name=complaint.complainant_name, email="x@example.test"),
            channel="email", data={"complaint_number": complaint.number}, due_on=due_on,
            unique_key=f"complaint:{complaint.id}:{kind}:{uuid.uuid4().hex[:8]}",
        )
        if sent_on is not None:
            await Notice.update({
                Notice.state: "sent", Notice.sent_on: sent_on, Notice.sent_at: at(sent_on),
            }).where(Notice.tenant == tenant.id, Notice.id == notice_id)
    return notice_id


@dataclass
class Seeded:
    tenant: object
    admin: object
    agent: object
    complaints: dict[str, Complaint] = field(default_factory=dict)


async def seed(tenant) -> dict[str, Complaint]:
    """March 2026 (received): c1, c2, c3 from one person (phone / phone+email / email), c4 and c5
    from another; c6 on 1 April; c7 and c8 in February. Notices due in March: decision c1 on time,
    decision c2 late, acceptance c3 on time, materials c9 overdue; c3's decision (due 25 March)
    not written yet; c5's rejection falls due in April."""
    d = date
    c = {}
    c["c1"] = await insert_complaint(
        tenant, received_on=d(2026, 3, 2), status="closed", decision="upheld",
        decided_on=d(2026, 3, 12), closed_on=d(2026, 3, 12), complainant_phone="13800000001",
        decision_due=d(2026, 3, 17),
    )
    c["c2"] = await insert_complaint(
        tenant, received_on=d(2026, 3, 5), status="closed", decision="not_upheld",
        decided_on=d(2026, 3, 25), closed_on=d(2026, 3, 25), complainant_phone="138 0000 0001",
        complainant_email="li@example.test", decision_due=d(2026, 3, 20),
    )
    c["c3"] = await insert_complaint(
        tenant, received_on=d(2026, 3, 10), channel="email", category="sales", status="investigating",
        complainant_email="LI@example.test", materials_complete_on=d(2026, 3, 10),
        acceptance_notice_due=d(2026, 3, 24), decision_due=d(2026, 3, 25),
    )
    c["c4"] = await insert_complaint(
        tenant, received_on=d(2026, 3, 20), channel="regulator", status="transferred_internal",
        department="理赔部", closed_on=d(2026, 3, 23), complainant_phone="13900000002",
        complainant_name="王五",
    )
    c["c5"] = await insert_complaint(
        tenant, received_on=d(2026, 3, 31), channel="online", category="conduct", status="not_accepted",
        closed_on=d(2026, 4, 2), complainant_phone="+8613900000002", complainant_name="王五",
        acceptance_notice_due=d(2026, 4, 14),
    )
    c["c6"] = await insert_complaint(
        tenant, received_on=d(2026, 4, 1), channel="letter", status="under_review",
        complainant_phone="13900000002", acceptance_notice_due=d(2026, 4, 16),
        decision_due=d(2026, 4, 16),
    )
    c["c7"] = await insert_complaint(
        tenant, received_on=d(2026, 2, 10), status="closed", decision="partly",
        decided_on=d(2026, 3, 3), closed_on=d(2026, 3, 3), complainant_phone="13700000003",
    )
    c["c8"] = await insert_complaint(
        tenant, received_on=d(2026, 2, 28), channel="fax", category="premium", status="withdrawn",
        closed_on=d(2026, 3, 1), complainant_phone="13600000004",
    )
    c["c9"] = await insert_complaint(
        tenant, received_on=d(2026, 1, 20), status="materials_incomplete", materials_incomplete=True,
        materials_notice_due=d(2026, 3, 30), complainant_phone="13500000005",
    )
    await insert_notice(tenant, c["c1"], "decision_notice", d(2026, 3, 17), d(2026, 3, 12))
    await insert_notice(tenant, c["c2"], "decision_notice", d(2026, 3, 20), d(2026, 3, 25))
    await insert_notice(tenant, c["c3"], "acceptance_notice", d(2026, 3, 24), d(2026, 3, 20))
    await insert_notice(tenant, c["c9"], "materials_notice", d(2026, 3, 30))
    await insert_notice(tenant, c["c5"], "rejection_notice", d(2026, 4, 14), d(2026, 4, 2))
    return c


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def seeded(app) -> Seeded:
    staff = await staff_of("insurance", {"admin": "admin", "agent": "agent"},
                           name="丙保险 Report Insurance " + uuid.uuid4().hex[:6], fresh=True)
    data = Seeded(staff.tenant, staff.users["admin"], staff.users["agent"])
    data.complaints = await seed(staff.tenant)
    return data


@pytest_asyncio.fixture(loop_scope="session")
async def as_admin(app, seeded):
    client = Client(app)
    await client.signin(seeded.admin.email)
    yield client
    await client.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def as_agent(app, seeded):
    client = Client(app)
    await client.signin(seeded.agent.email)
    yield client
    await client.aclose()


def base(seeded) -> str:
    return f"/t/{seeded.tenant.slug}/complaints/reports"
