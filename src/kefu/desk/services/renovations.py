"""Renovations (装修, C.m): an application per unit with its contractor, period and deposit;
approval raises the deposit bill (fees) and makes the unit 'under renovation' (units);
inspections by the pack's departments; completion after a passed inspection refunds the paid
deposit (fees) and gives the unit back the occupancy it had. Rejection ends an application."""

from __future__ import annotations

from decimal import Decimal

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant, scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.desk import policy, schemas
from kefu.desk.services.common import pack_of, unit_of
from kefu.desk.tables import Inspection, Renovation
from kefu.fees import queries as fee_queries
from kefu.fees import services as fees
from kefu.units import services as units

DEPOSIT_CODE = "reno-deposit"
DEPOSIT_NAME = i18n.lazy("Renovation deposit")


class DepositUnpaid(Refused):
    def __init__(self) -> None:
        super().__init__("renovation_deposit_unpaid",
                         i18n.lazy("The deposit is not paid in full yet: record its payment first."))


async def apply_renovation(ctx: TenantContext, form: Form) -> Renovation:
    """The application as the desk takes it. FieldErrors, 403 without desk.work."""
    ctx.require("desk.work")
    pack = pack_of(ctx)
    async with transaction(ctx.tenant_id, write=True):
        data = schemas.renovation_input(form, pack)
        unit_id = await unit_of(ctx, form, form.text("unit", max_length=60))
        form.check()
        assert data is not None and unit_id is not None
        row = Renovation(
            tenant=ctx.tenant_id, unit=unit_id, applicant=data.applicant, phone=data.phone,
            contractor=data.contractor, contractor_phone=data.contractor_phone, scope=data.scope,
            starts_on=data.starts_on, ends_on=data.ends_on, deposit=data.deposit, created_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="renovation.apply",
                           object_type="renovation", object_id=row.id,
                           after={"unit": unit_id, "contractor": data.contractor, "deposit": str(data.deposit),
                                  "starts_on": str(data.starts_on), "ends_on": str(data.ends_on)})
    return row


async def _take(ctx: TenantContext, renovation_id: int, action: str) -> Renovation:
    row = await get_in_tenant(Renovation, ctx.tenant_id, renovation_id)
    policy.check("renovation", action, row.state)
    return row


async def approve_renovation(ctx: TenantContext, renovation_id: int, form: Form) -> Renovation:
    """Approved: the deposit bill is raised and the unit is under renovation, together.
    Refused (409) when the unit is under renovation already. 403 without desk.approve."""
    ctx.require("desk.approve")
    async with transaction(ctx.tenant_id, write=True):
        row = await _take(ctx, renovation_id, "approve")
        note = schemas.note(form)
        form.check()
        today = clock.today_in(ctx.tenant.timezone)
        row.prior_occupancy = await units.begin_renovation(
            ctx.tenant_id, ctx.user.id, row.unit, i18n.gettext("Renovation #%(n)s approved", n=row.id))
        deposit = Decimal(str(row.deposit))
        if deposit > 0:
            row.deposit_bill_id = await fees.charge_unit(
                ctx.tenant_id, ctx.user.id, row.unit, code=DEPOSIT_CODE, name=i18n.gettext(DEPOSIT_NAME),
                amount=deposit, period=today, kind=ctx.tenant.kind, due=today)
        row.state, row.decision_note = policy.APPROVED, note
        row.decided_by, row.decided_at = ctx.user.id, clock.now()
        await row.save([Renovation.state, Renovation.decision_note, Renovation.decided_by, Renovation.decided_at,
                        Renovation.prior_occupancy, Renovation.deposit_bill_id])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="renovation.approve",
                           object_type="renovation", object_id=row.id,
                           after={"deposit_bill_id": row.deposit_bill_id, "prior": row.prior_occupancy})
    return row


async def reject_renovation(ctx: TenantContext, renovation_id: int, form: Form) -> Renovation:
    """Rejected with the reason given to the applicant. 403 without desk.approve."""
    ctx.require("desk.approve")
    async with transaction(ctx.tenant_id, write=True):
        row = await _take(ctx, renovation_id, "reject")
        reason = schemas.note(form, required=True, max_length=500)
        form.check()
        row.state, row.decision_note = policy.REJECTED, reason
        row.decided_by, row.decided_at = ctx.user.id, clock.now()
        await row.save([Renovation.state, Renovation.decision_note, Renovation.decided_by, Renovation.decided_at])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="renovation.reject",
                           object_type="renovation", object_id=row.id, after={"reason": reason})
    return row


async def record_inspection(ctx: TenantContext, renovation_id: int, form: Form) -> Inspection:
    """A department's inspection of an approved renovation. FieldErrors, Refused, 403."""
    ctx.require("desk.work")
    async with transaction(ctx.tenant_id, write=True):
        row = await _take(ctx, renovation_id, "inspect")
        data = schemas.inspection_input(form, pack_of(ctx), clock.today_in(ctx.tenant.timezone))
        form.check()
        assert data is not None
        made = Inspection(tenant=ctx.tenant_id, renovation=row.id, department=data.department,
                          inspected_on=data.inspected_on, result=data.result, note=data.note,
                          inspector=ctx.user.id)
        await made.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="renovation.inspect",
                           object_type="renovation", object_id=row.id,
                           after={"department": data.department, "result": data.result})
    return made


async def _refund_deposit(ctx: TenantContext, row: Renovation) -> Decimal:
    if row.deposit_bill_id is None:
        return Decimal(0)
    totals = (await fee_queries.bill_totals(ctx.tenant_id, [row.deposit_bill_id]))[row.deposit_bill_id]
    if totals["paid"] < totals["amount"]:
        raise DepositUnpaid()
    amount = min(Decimal(str(row.deposit)), totals["paid"] - totals["refunded"])
    await fees.refund_bill(ctx.tenant_id, ctx.user.id, row.deposit_bill_id, amount,
                           reason=i18n.gettext("Renovation #%(n)s completed", n=row.id))
    return amount


async def complete_renovation(ctx: TenantContext, renovation_id: int, form: Form) -> Renovation:
    """Completed after its last inspection passed and its deposit was paid: the deposit is
    refunded and the unit has its occupancy back, together. Refused otherwise; 403."""
    ctx.require("desk.approve")
    async with transaction(ctx.tenant_id, write=True):
        row = await _take(ctx, renovation_id, "complete")
        note = schemas.note(form)
        form.check()
        results = await scoped(Inspection, ctx.tenant_id, Inspection.result).where(
            Inspection.renovation == row.id).order_by(Inspection.inspected_on).order_by(Inspection.id)
        policy.check_completion([r["result"] for r in results])
        row.refunded = await _refund_deposit(ctx, row)
        await units.end_renovation(ctx.tenant_id, ctx.user.id, row.unit, row.prior_occupancy or "vacant",
                                   i18n.gettext("Renovation #%(n)s completed", n=row.id))
        row.state, row.completed_at = policy.COMPLETED, clock.now()
        if note:
            row.decision_note = note
        await row.save([Renovation.state, Renovation.completed_at, Renovation.refunded, Renovation.decision_note])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="renovation.complete",
                           object_type="renovation", object_id=row.id, after={"refunded": str(row.refunded)})
    return row
