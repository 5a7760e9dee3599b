"""Charges other modules put on a unit's bills (a paid service, a renovation deposit) and money
given back (the deposit at completion). Called inside the caller's transaction: the caller's
change and the bill are written together or not at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import Refused
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.fees import policy
from kefu.fees.tables import Bill, FeeItem, Refund

# An item made for charges is for no unit use, so a bulk run never bills it by itself.
CHARGE_ITEMS_FROM = date(2000, 1, 1)


class RefundTooLarge(Refused):
    def __init__(self, available: Decimal) -> None:
        super().__init__("refund_too_large", i18n.lazy("At most %(amount)s can be refunded on this bill."),
                         amount=str(available))


async def _charge_item(tenant_id: int, code: str, name: str, period: date) -> int:
    rows = await scoped(FeeItem, tenant_id, FeeItem.id).where(
        FeeItem.code == code, FeeItem.valid_from <= period,
        (FeeItem.valid_until.is_null()) | (FeeItem.valid_until >= period)).limit(1)
    if rows:
        return int(rows[0]["id"])
    item = FeeItem(tenant=tenant_id, code=code, name=name, basis="fixed", rate=Decimal(0), uses="",
                   valid_from=CHARGE_ITEMS_FROM)
    await item.save()
    return int(item.id)


async def charge_unit(tenant_id: int, actor_id: int | None, unit_id: int, *, code: str, name: str,
                      amount: Decimal, period: date, kind: str, due: date | None = None) -> int:
    """Add `amount` to the unit's bill of item `code` (made when the tenant has none) for
    `period`'s month, making the bill when missing (due on `due`, else on the due day of the
    tenant `kind`'s pack); the bill's id. Two charges of one code in
    one month are one bill of their sum (a bill is unique per unit, item and month)."""
    period = period.replace(day=1)
    item_id = await _charge_item(tenant_id, code, name, period)
    bill = await scoped_objects(Bill, tenant_id).where(
        Bill.unit == unit_id, Bill.item == item_id, Bill.period == period).first()
    if bill is None:
        bill = Bill(tenant=tenant_id, unit=unit_id, item=item_id, period=period, days=0, quantity=Decimal(1),
                    amount=amount, paid=Decimal(0),
                    due_on=due or policy.due_on(period, policy.fees_pack(kind).due_day))
        await bill.save()
    else:
        bill.amount = policy.money(bill.amount) + amount
        await bill.save([Bill.amount])
    await audit.record(tenant_id=tenant_id, actor_id=actor_id, action="bill.charge", object_type="bill",
                       object_id=bill.id, after={"code": code, "amount": str(amount),
                                                 "period": period.isoformat()[:7]})
    return int(bill.id)


async def refundable(tenant_id: int, bill_id: int) -> Decimal:
    """What was paid on the bill and not given back yet."""
    bill = await get_in_tenant(Bill, tenant_id, bill_id)
    back = await scoped(Refund, tenant_id, Refund.amount).where(Refund.bill == bill_id)
    return policy.money(bill.paid) - sum((policy.money(r["amount"]) for r in back), Decimal(0))


async def refund_bill(tenant_id: int, actor_id: int | None, bill_id: int, amount: Decimal, *,
                      reason: str, on: date | None = None) -> Refund | None:
    """Give back `amount` of what was paid on the bill (None when the amount is 0). Raises
    RefundTooLarge past what was paid and not refunded."""
    available = await refundable(tenant_id, bill_id)
    if amount > available:
        raise RefundTooLarge(available)
    if amount <= 0:
        return None
    row = Refund(tenant=tenant_id, bill=bill_id, amount=amount, refunded_on=on or clock.now().date(),
                 reason=reason[:200], recorded_by=actor_id)
    await row.save()
    await audit.record(tenant_id=tenant_id, actor_id=actor_id, action="bill.refund", object_type="bill",
                       object_id=bill_id, after={"amount": str(amount), "reason": reason[:200]})
    return row
