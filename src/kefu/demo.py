"""`kefu demo`: two demo tenants built from the packs, with the staff from PERSONAS.md."""

from __future__ import annotations

from collections.abc import Callable

from kefu.accounts.services import create_user
from kefu.accounts.tables import User
from kefu.complaints.demo import load_demo as load_demo_complaints
from kefu.core.packs import ADMIN_POSITION, get_pack
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.customers.demo import load_demo as load_demo_customers
from kefu.db import transaction
from kefu.duties.demo import load_demo as load_demo_duties
from kefu.fees.demo import load_demo as load_demo_fees
from kefu.notifications.demo import load_demo as load_demo_notices
from kefu.settings import get_settings
from kefu.surveys.demo import load_demo as load_demo_surveys
from kefu.tenancy.queries import member_tenant, members_holding
from kefu.tenancy.services import add_member, create_tenant
from kefu.tenancy.tables import Tenant
from kefu.units.demo import load_demo as load_demo_units

DEMO_PASSWORD = "kefu-demo-2026"

TENANTS = [
    ("demo-insurance", "安和保险 客户服务中心（演示）", "insurance"),
    ("demo-property", "翠湖花园 物管中心（演示）", "property"),
]

# (email, name, superuser, {tenant slug: position})
STAFF = [
    ("admin@kefu.test", "平台管理员", True, {"demo-insurance": "admin", "demo-property": "admin"}),
    ("wangli@demo-insurance.test", "王丽", False, {"demo-insurance": "agent"}),
    ("zhaoqiang@demo-insurance.test", "赵强", False, {"demo-insurance": "cs_head"}),
    ("chenjing@demo-property.test", "陈静", False, {"demo-property": "relations_supervisor"}),
    ("liuyang@demo-property.test", "刘洋", False, {"demo-property": "front_desk"}),
    ("sun@demo-property.test", "孙经理", False, {"demo-property": "manager"}),
]


async def acting_admin(tenant: TenantRow) -> TenantContext | None:
    """The tenant's administrator as a member acting on its pages (every permission)."""
    pack = get_pack(tenant.kind)
    async with transaction(tenant.id, write=False):
        admins = await members_holding(tenant.id, pack, positions=[ADMIN_POSITION])
        found = await member_tenant(tenant.slug, admins[0].id) if admins else None
    if found is None:
        return None
    membership = found[1]
    return TenantContext(tenant=tenant, user=admins[0], membership=membership, pack=pack,
                         permissions=pack.permissions_of(membership.held_positions()))


async def load_demo(say: Callable[[str], None]) -> None:
    tenants: dict[str, Tenant] = {}
    for slug, name, kind in TENANTS:
        tenant = await Tenant.objects().where(Tenant.slug == slug).first()
        tenants[slug] = tenant or await create_tenant(slug=slug, name=name, kind=kind)
    for email, name, superuser, places in STAFF:
        user = await User.objects().where(User.email == email).first()
        if user is None:
            user = await create_user(email=email, name=name, password=DEMO_PASSWORD, is_superuser=superuser)
        for slug, position in places.items():
            await add_member(tenant=tenants[slug], user=user, positions=[position])
    for tenant in tenants.values():
        acting = await acting_admin(tenant)
        await load_demo_customers(tenant)
        await load_demo_units(tenant)
        await load_demo_surveys(tenant, acting)
        await load_demo_duties(tenant)
        await load_demo_fees(tenant)
        await load_demo_complaints(tenant)
        await load_demo_notices(tenant, acting)
    settings = get_settings()
    say(f"Demo tenants are ready. Sign in at http://{settings.host}:{settings.port}/signin with:")
    for email, name, _, places in STAFF:
        where = ", ".join(f"{slug}/{pos}" for slug, pos in places.items())
        say(f"  {email:<32} {DEMO_PASSWORD}   {name} — {where}")
