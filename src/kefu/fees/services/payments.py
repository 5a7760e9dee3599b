"""Payments against bills: part payments add up on the locked bill and never pass its amount,
each with a receipt number from the tenant's yearly counter."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import is_postgres, transaction
from kefu.fees import policy, schemas
from kefu.fees.tables import Bill, Payment, ReceiptCounter

# One statement on both engines, as complaints number theirs: the row lock queues concurrent
# payments of one tenant, so receipt numbers never repeat.
_NEXT_RECEIPT = (
    "INSERT INTO receipt_counter (tenant_id, year, value) VALUES ({}, {}, 1) "
    "ON CONFLICT (tenant_id, year) DO UPDATE SET value = receipt_counter.value + 1 "
    "RETURNING value"
)


async def _next_receipt(tenant_id: int, year: int) -> str:
    rows = await ReceiptCounter.raw(_NEXT_RECEIPT, tenant_id, year)
    return policy.receipt_number(year, int(rows[0]["value"]))


async def _lock_bill(tenant_id: int, bill_id: int) -> Bill:
    """The bill, locked for this transaction (PostgreSQL; SQLite write transactions are
    IMMEDIATE, so writers are serialised already). 404 for another tenant's id."""
    if not is_postgres():
        return await get_in_tenant(Bill, tenant_id, bill_id)
    await get_in_tenant(Bill, tenant_id, bill_id)
    row = await scoped_objects(Bill, tenant_id).where(Bill.id == bill_id).lock_rows().first()
    assert row is not None
    return row


async def record_payment(ctx: TenantContext, bill_id: int, form: Form) -> Payment:
    """Raises FieldErrors (every bad field), Refused("settled"), 403 without fees.collect, 404."""
    ctx.require("fees.collect")
    async with transaction(ctx.tenant_id, write=True):
        bill = await _lock_bill(ctx.tenant_id, bill_id)
        amount, paid = policy.money(bill.amount), policy.money(bill.paid)
        refused = policy.refuse_payment(amount, paid)
        if refused:
            raise refused
        today = clock.today_in(ctx.tenant.timezone)
        methods = policy.fees_pack(ctx.tenant.kind).codes("methods")
        data = schemas.payment_input(form, methods, amount - paid, today)
        form.check()
        assert data is not None
        bill.paid = paid + data.amount
        await bill.save([Bill.paid])
        payment = Payment(tenant=ctx.tenant_id, bill=bill.id, amount=data.amount, method=data.method,
                          paid_on=data.paid_on, reference=data.reference,
                          receipt_no=await _next_receipt(ctx.tenant_id, today.year), recorded_by=ctx.user.id)
        await payment.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="payment.record",
                           object_type="bill", object_id=bill.id,
                           after={"amount": str(data.amount), "method": data.method,
                                  "receipt_no": payment.receipt_no})
    return payment
