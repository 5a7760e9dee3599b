"""Demo fees: a property centre gets the pack's items, units if it had none, two months of
bills, payments (some partial) and arrears with reasons; loading twice adds nothing; an insurer
gets none."""

from __future__ import annotations

from datetime import date

from kefu.customers import demo as customer_demo
from kefu.fees import demo
from kefu.fees.tables import Bill, FeeItem, LateReason, Payment
from tests import factories
from tests.fees.support import count, rows


async def test_property_demo_fees(app, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    tenant = await factories.tenant(kind="property")
    await customer_demo.load_demo(tenant)
    await demo.load_demo(tenant)
    made = {t: await count(tenant, t) for t in (FeeItem, Bill, Payment, LateReason)}
    await demo.load_demo(tenant)
    assert {t: await count(tenant, t) for t in made} == made
    assert made[FeeItem] == 3 and made[Bill] > 20 and made[Payment] > 5 and made[LateReason] >= 1
    bills = await rows(tenant)
    assert {b.period for b in bills} == {date(2026, 11, 1), date(2026, 12, 1)}
    november = [b for b in bills if b.period == date(2026, 11, 1)]
    assert any(b.paid == 0 for b in november) and any(0 < b.paid < b.amount for b in november)


async def test_an_insurer_gets_no_demo_fees(app):
    tenant = await factories.tenant(kind="insurance")
    await demo.load_demo(tenant)
    assert await count(tenant, Bill) == 0 and await count(tenant, FeeItem) == 0
