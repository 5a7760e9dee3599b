"""Enquiries (咨询, C.b): what a resident asked at the desk and what they were told. Answered
at once it is closed as it is logged; otherwise it stays open with a member to find the answer."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.desk import policy, schemas
from kefu.desk.services.common import pack_of, unit_of, worker_ids
from kefu.desk.tables import Enquiry


async def log_enquiry(ctx: TenantContext, form: Form) -> Enquiry:
    """Raises FieldErrors (every bad field), 403 without desk.work."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        data = schemas.enquiry_input(form, pack_of(ctx), await worker_ids(ctx))
        unit_id = await unit_of(ctx, form, form.text("unit", max_length=60, required=False))
        form.check()
        assert data is not None
        answered = bool(data.answer)
        row = Enquiry(tenant=ctx.tenant_id, unit=unit_id, contact=data.contact, phone=data.phone,
                      topic=data.topic, question=data.question, answer=data.answer,
                      state=policy.CLOSED if answered else policy.OPEN,
                      assignee=None if answered else data.assignee, created_by=ctx.user.id,
                      answered_by=ctx.user.id if answered else None,
                      answered_at=clock.now() if answered else None)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="enquiry.log",
                           object_type="enquiry", object_id=row.id,
                           after={"topic": data.topic, "state": row.state, "assignee": row.assignee})
    return row


async def assign_enquiry(ctx: TenantContext, enquiry_id: int, form: Form) -> Enquiry:
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        row = await get_in_tenant(Enquiry, ctx.tenant_id, enquiry_id)
        policy.check("enquiry", "assign", row.state)
        who = schemas.assignee(form, await worker_ids(ctx))
        form.check()
        before, row.assignee = row.assignee, who
        await row.save([Enquiry.assignee])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="enquiry.assign",
                           object_type="enquiry", object_id=row.id, before={"assignee": before},
                           after={"assignee": who})
    return row


async def answer_enquiry(ctx: TenantContext, enquiry_id: int, form: Form) -> Enquiry:
    """What the resident was told; closes the enquiry. Refused once closed."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        row = await get_in_tenant(Enquiry, ctx.tenant_id, enquiry_id)
        policy.check("enquiry", "answer", row.state)
        answer = form.text("answer", max_length=schemas.TEXT_MAX, multiline=True)
        form.check()
        row.answer, row.state = answer, policy.CLOSED
        row.answered_by, row.answered_at = ctx.user.id, clock.now()
        await row.save([Enquiry.answer, Enquiry.state, Enquiry.answered_by, Enquiry.answered_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="enquiry.answer",
                           object_type="enquiry", object_id=row.id, after={"state": row.state})
    return row
