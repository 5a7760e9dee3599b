"""Paid-service orders (有偿服务, C.c): taken at the desk for a unit at the catalogue's price,
given to a member, done — and then charged on the unit's next bill through the fees module —
or cancelled with a reason."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.desk import policy, schemas
from kefu.desk.services.common import pack_of, unit_of, worker_ids
from kefu.desk.tables import ServiceOrder
from kefu.fees import services as fees

CHARGE_PREFIX = "svc-"  # the fee item code of a service's charges: "svc-cleaning"


def _snapshot(o: ServiceOrder) -> dict[str, object]:
    return {"service": o.service, "unit": o.unit, "quantity": o.quantity, "amount": str(o.amount),
            "state": o.state}


async def create_order(ctx: TenantContext, form: Form) -> ServiceOrder:
    """Raises FieldErrors (every bad field), 403 without desk.work."""
    ctx.require("desk.work")
    pack = pack_of(ctx)
    async with transaction(ctx.tenant_id, write=True):
        data = schemas.order_input(form, pack)
        unit_id = await unit_of(ctx, form, form.text("unit", max_length=60))
        form.check()
        assert data is not None and unit_id is not None
        service = pack.service(data.service)
        assert service is not None
        order = ServiceOrder(
            tenant=ctx.tenant_id, unit=unit_id, service=service.code, contact=data.contact, phone=data.phone,
            quantity=data.quantity, price=service.amount,
            amount=policy.order_amount(service.amount, data.quantity),
            wanted_on=data.wanted_on, notes=data.notes, created_by=ctx.user.id)
        await order.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="service_order.create",
                           object_type="service_order", object_id=order.id, after=_snapshot(order))
    return order


async def _open(ctx: TenantContext, order_id: int, action: str) -> ServiceOrder:
    order = await get_in_tenant(ServiceOrder, ctx.tenant_id, order_id)
    policy.check("order", action, order.state)
    return order


async def assign_order(ctx: TenantContext, order_id: int, form: Form) -> ServiceOrder:
    """Give the order to a member who does desk work. FieldErrors, Refused (done or cancelled)."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        order = await _open(ctx, order_id, "assign")
        who = schemas.assignee(form, await worker_ids(ctx))
        form.check()
        before = order.assignee
        order.assignee, order.state = who, policy.ASSIGNED
        await order.save([ServiceOrder.assignee, ServiceOrder.state])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="service_order.assign",
                           object_type="service_order", object_id=order.id,
                           before={"assignee": before}, after={"assignee": who})
    return order


async def complete_order(ctx: TenantContext, order_id: int, form: Form) -> ServiceOrder:
    """Done: the amount goes on the unit's bill of next month (fees.charge_unit), in the same
    transaction. Refused unless the order is assigned."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        order = await _open(ctx, order_id, "complete")
        note = schemas.note(form)
        form.check()
        service = pack_of(ctx).service(order.service)
        today = clock.today_in(ctx.tenant.timezone)
        order.bill_id = await fees.charge_unit(
            ctx.tenant_id, ctx.user.id, order.unit, code=f"{CHARGE_PREFIX}{order.service}",
            name=service.name if service else order.service, amount=order.amount,
            period=policy.charge_period(today), kind=ctx.tenant.kind)
        order.state, order.done_note, order.done_at = policy.DONE, note, clock.now()
        await order.save([ServiceOrder.state, ServiceOrder.done_note, ServiceOrder.done_at, ServiceOrder.bill_id])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="service_order.complete",
                           object_type="service_order", object_id=order.id,
                           after={"bill_id": order.bill_id, "amount": str(order.amount)})
    return order


async def cancel_order(ctx: TenantContext, order_id: int, form: Form) -> ServiceOrder:
    """Cancelled with a reason; nothing is charged. Refused once done or cancelled."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        order = await _open(ctx, order_id, "cancel")
        reason = schemas.note(form, "reason", required=True, max_length=500)
        form.check()
        order.state, order.done_note, order.done_at = policy.CANCELLED, reason, clock.now()
        await order.save([ServiceOrder.state, ServiceOrder.done_note, ServiceOrder.done_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="service_order.cancel",
                           object_type="service_order", object_id=order.id, after={"reason": reason})
    return order
