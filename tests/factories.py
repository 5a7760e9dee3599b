"""Objects for tests, each unique per call so tests never collide in the shared database."""

from __future__ import annotations

import uuid

from kefu.accounts.services import create_user
from kefu.audit import services as audit
from kefu.db import transaction
from kefu.tenancy.services import add_member, create_api_token, create_tenant

PASSWORD = "correct-horse-battery"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


async def tenant(kind: str = "insurance", name: str | None = None):
    slug = unique("t")
    return await create_tenant(slug=slug, name=name or f"Tenant {slug}", kind=kind)


async def user(name: str = "Test User", superuser: bool = False, locale: str = "en"):
    email = f"{unique('u')}@example.test"
    return await create_user(email=email, name=name, password=PASSWORD, is_superuser=superuser, locale=locale)


async def member(tenant_row, positions: list[str], name: str = "Member", locale: str = "en", *,
                 cleared: bool = True):
    """A new user holding `positions`; `cleared`: with the training those positions require
    (A art. 8), so they may take service work (kefu.duties' gate)."""
    person = await user(name=name, locale=locale)
    await add_member(tenant=tenant_row, user=person, positions=positions)
    if cleared:
        await clear_training(tenant_row, person, positions)
    return person


async def clear_training(tenant_row, person, positions: list[str]) -> None:
    """Passed, long-valid results of every course `positions` require in the tenant's pack."""
    from datetime import date

    from kefu.duties.policy.pack import duties_for
    from kefu.duties.tables import TrainingRecord

    courses = duties_for(tenant_row.kind).training_of(positions)
    if not courses:
        return
    async with transaction(tenant_row.id):
        for course in courses:
            await TrainingRecord(tenant=tenant_row.id, user=person.id, course=course, session_on=date(2000, 1, 1),
                                 result="passed", certificate_no="TEST", expires_on=date(2099, 12, 31)).save()


async def audit_event(tenant_row, marker: str = "", actor_id: int | None = None) -> int:
    from kefu.audit.tables import AuditEvent

    async with transaction(tenant_row.id):
        await audit.record(
            tenant_id=tenant_row.id, actor_id=actor_id, action="test.marker",
            object_type="test", after={"marker": marker or unique("marker")},
        )
        row = await AuditEvent.select(AuditEvent.id).where(AuditEvent.tenant == tenant_row.id).order_by(
            AuditEvent.id, ascending=False
        ).first()
    return row["id"]


async def api_token(tenant_row, user_row, label: str = "test") -> str:
    """A bearer token for `user_row` in `tenant_row` (the user must be a member)."""
    return await create_api_token(tenant=tenant_row, user=user_row, label=label)
