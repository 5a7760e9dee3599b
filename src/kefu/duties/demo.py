"""Demo data for duties: every demo member passed the pre-job training their position requires
(A art. 8) a month ago, so the demo staff may take service work; then one sweep makes this
period's duty tasks. Run again, it adds nothing."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.core.scoping import scoped_count
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.duties.policy import training as rules
from kefu.duties.queries.config import pack_of
from kefu.duties.queries.holders import holders_on
from kefu.duties.services.sweep import sweep_tenant
from kefu.duties.tables import TrainingRecord


async def load_demo(tenant: TenantRow) -> None:
    pack = await pack_of(tenant.id, tenant.kind)
    today = clock.today_in(tenant.timezone)
    session_on = today - timedelta(days=30)
    held = await holders_on(tenant.id, pack, today)
    async with transaction(tenant.id):
        for user_id in held.people:
            for course in pack.training_of(held.positions_of(user_id)):
                if await scoped_count(TrainingRecord, tenant.id).where(
                        TrainingRecord.user == user_id, TrainingRecord.course == course):
                    continue
                await TrainingRecord(
                    tenant=tenant.id, user=user_id, course=course, session_on=session_on, trainer="客服处",
                    result="passed", score=90, certificate_no=f"DEMO-{course}-{user_id}",
                    expires_on=rules.expiry(session_on, pack.courses[course].valid_months),
                ).save()
    await sweep_tenant(tenant)
