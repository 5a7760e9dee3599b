"""C.j: the desk records why a resident pays late or refuses (a category from the pack, a note)."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.fees import policy, schemas
from kefu.fees.tables import LateReason
from kefu.units import queries as units


async def record_reason(ctx: TenantContext, unit_id: int, form: Form) -> LateReason:
    """Raises FieldErrors, 403 without fees.collect, 404 for another tenant's unit."""
    ctx.require("fees.collect")
    async with transaction(ctx.tenant_id, write=True):
        await units.get_unit(ctx, unit_id)
        data = schemas.reason_input(form, policy.fees_pack(ctx.tenant.kind).codes("reasons"))
        form.check()
        assert data is not None
        row = LateReason(tenant=ctx.tenant_id, unit=unit_id, category=data.category, note=data.note,
                         recorded_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="late_reason.record",
                           object_type="unit", object_id=unit_id,
                           after={"category": data.category, "note": data.note})
    return row
