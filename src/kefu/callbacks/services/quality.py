"""QA scores of callback records (A art. 27): a QA member scores a submitted record, once, on
the pack's scoring sheet; nobody scores their own record. The score counts for the record's
writer on the performance scorecard (kefu.callbacks.scorecard)."""

from __future__ import annotations

import json

from kefu.audit import services as audit
from kefu.callbacks.policy import quality as rules
from kefu.callbacks.tables import CallbackRecord, CallbackScore
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.scoping import get_in_tenant, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

SCORE = "callbacks.score"


async def score_record(ctx: TenantContext, record_id: int, points: dict[str, int], comment: str) -> CallbackScore:
    """Raises Refused (record_not_submitted, own_record, already_scored), 403, 404."""
    ctx.require(SCORE)
    pack = rules.quality_for(ctx.tenant.kind)
    async with transaction(ctx.tenant_id):
        record = await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
        if record.status != "submitted":
            raise Refused("record_not_submitted", "Only a submitted record can be scored.")
        if record.written_by == ctx.user.id:
            raise Refused("own_record", "Nobody scores their own callback record.")
        if await scoped_count(CallbackScore, ctx.tenant_id).where(CallbackScore.record == record_id):
            raise Refused("already_scored", "This record is already scored.")
        total, max_total = rules.score_total(pack, points)
        row = CallbackScore(tenant=ctx.tenant_id, record=record_id, agent=record.written_by,
                            items=json.dumps(points), total=total, max_total=max_total, comment=comment,
                            scored_on=clock.today_in(ctx.tenant.timezone), by=ctx.user.id, created_at=clock.now())
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_record.score",
                           object_type="callback_record", object_id=record_id,
                           after={"items": points, "total": total, "max": max_total, "comment": comment})
    return row
