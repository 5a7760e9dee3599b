"""Demo customers: owners and residents of 1栋–4栋, policyholders and their people; loading
twice adds nothing."""

from __future__ import annotations

from kefu.core.scoping import scoped
from kefu.customers import demo
from kefu.customers.tables import Customer, CustomerTag
from kefu.db import transaction
from tests import factories


async def _rows(tenant):
    async with transaction(tenant.id, write=False):
        people = await scoped(Customer, tenant.id, Customer.kind, Customer.building,
                              Customer.household, Customer.consent_contact)
        tags = await scoped(CustomerTag, tenant.id, CustomerTag.tag)
    return people, {t["tag"] for t in tags}


async def test_property_demo_customers(app):
    tenant = await factories.tenant(kind="property")
    assert await demo.load_demo(tenant) == 40
    assert await demo.load_demo(tenant) == 0
    people, tags = await _rows(tenant)
    assert len(people) == 40
    assert {p["kind"] for p in people} == {"owner", "resident"}
    assert {p["building"] for p in people} == {"1栋", "2栋", "3栋", "4栋"}
    assert all("|" in p["household"] for p in people)
    # A resident shares the household of the owner of the same flat.
    assert len({p["household"] for p in people}) < len(people)
    assert {"VIP", "老年客户"} <= tags
    assert any(p["consent_contact"] for p in people) and not all(p["consent_contact"] for p in people)


async def test_insurance_demo_customers(app):
    tenant = await factories.tenant(kind="insurance")
    assert await demo.load_demo(tenant) == 30
    assert await demo.load_demo(tenant) == 0
    people, tags = await _rows(tenant)
    assert {p["kind"] for p in people} == {"policyholder", "insured", "beneficiary", "agent"}
    assert all(p["household"].startswith("c:") for p in people)
    assert {"VIP", "健康险"} <= tags
