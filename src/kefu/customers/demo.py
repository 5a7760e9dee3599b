"""Demo customers for `kefu demo`: owners and residents of 1栋–4栋 for a property centre,
policyholders and the people on their policies for an insurer. Each has a fixed number
(external_ref), so loading twice adds nothing.
"""

from __future__ import annotations

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.customers import policy
from kefu.customers.tables import Customer, CustomerTag
from kefu.db import transaction

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明",
         "超", "秀英", "华", "慧"]


def _name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


def _phone(i: int, base: int) -> str:
    return f"1{base}{i:08d}"


def property_people() -> list[dict]:
    """40 people: an owner per flat across 1栋–4栋, a resident in every third flat."""
    people = []
    for i in range(30):
        building = f"{i % 4 + 1}栋"
        unit = f"{i % 3 + 1}单元{(i % 9 + 1) * 100 + i % 4 + 1}"
        tags = ["VIP"] if i % 7 == 0 else []
        if i % 5 == 0:
            tags.append("老年客户")
        if i % 11 == 3:
            tags.append("商铺")
        people.append({
            "kind": "owner", "name": _name(i), "phone": _phone(i, 39), "building": building,
            "unit": unit, "external_ref": f"YZ-{i + 1:04d}", "consent": i % 6 != 5, "tags": tags,
            "email": f"owner{i + 1}@demo-property.test" if i % 4 == 0 else "",
        })
        if i % 3 == 0 and len(people) < 40:
            people.append({
                "kind": "resident", "name": _name(i + 40), "phone": _phone(i, 58),
                "building": building, "unit": unit, "external_ref": f"ZH-{i + 1:04d}",
                "consent": True, "tags": ["租户"], "email": "",
            })
    return people


def insurance_people() -> list[dict]:
    """30 people: policyholders, insured persons and beneficiaries on their policies, agents."""
    kinds = ["policyholder"] * 16 + ["insured"] * 7 + ["beneficiary"] * 4 + ["agent"] * 3
    people = []
    for i, kind in enumerate(kinds):
        tags = []
        if i % 5 == 0:
            tags.append("VIP")
        if i % 4 == 1:
            tags.append("老年客户")
        if kind == "policyholder" and i % 3 == 0:
            tags.append("车险")
        elif kind == "policyholder":
            tags.append("健康险")
        people.append({
            "kind": kind, "name": _name(i + 3), "phone": _phone(i, 37),
            "email": f"kehu{i + 1}@demo-insurance.test" if i % 2 == 0 else "",
            "building": "", "unit": "", "external_ref": f"P-2026-{i + 1:04d}",
            "consent": i % 8 != 7, "tags": tags,
            "postal_address": f"上海市浦东新区世纪大道{100 + i}号" if i % 3 == 0 else "",
        })
    return people


PEOPLE = {"property": property_people, "insurance": insurance_people}


async def load_demo(tenant: TenantRow) -> int:
    """Add the demo customers this tenant's kind has, skipping numbers it has already.
    Returns how many were added."""
    make = PEOPLE.get(tenant.kind)
    if make is None:
        return 0
    people = make()
    added = 0
    async with transaction(tenant.id, write=True):
        have = {r["external_ref"] for r in await scoped(Customer, tenant.id, Customer.external_ref).where(
            Customer.external_ref.is_in([p["external_ref"] for p in people])
        )}
        for p in people:
            if p["external_ref"] in have:
                continue
            c = Customer(
                tenant=tenant.id, kind=p["kind"], name=p["name"], phone=p["phone"],
                email=p["email"], postal_address=p.get("postal_address", ""),
                external_ref=p["external_ref"], building=p["building"], unit=p["unit"],
                consent_contact=p["consent"], consent_at=clock.now() if p["consent"] else None,
                preferred_channel="sms",
            )
            await c.save()
            c.household = policy.household_key(c.kind, c.building, c.unit, c.id)
            await c.save([Customer.household])
            for tag in p["tags"]:
                await CustomerTag(tenant=tenant.id, customer=c.id, tag=tag).save()
            added += 1
    return added
