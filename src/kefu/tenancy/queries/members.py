"""Reads of tenants and memberships for other modules: one tenant by id, the active tenants a
sweep walks, and the members of a tenant (who holds a permission, who may own a task).

The rows are typed with kefu.core.tenancy's Protocols where a caller only reads them.
"""

from __future__ import annotations

from typing import Any

from kefu.accounts import queries as accounts
from kefu.core.packs import Pack
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import UserRow
from kefu.tenancy.tables import Membership, Tenant


async def get_tenant(tenant_id: int) -> Tenant | None:
    return await Tenant.objects().where(Tenant.id == tenant_id).first()


async def active_tenants() -> list[Tenant]:
    """Every active tenant, by id: what a periodic sweep walks, one tenant at a time (RLS)."""
    return await Tenant.objects().where(Tenant.is_active.eq(True)).order_by(Tenant.id)


async def active_tenant_ids() -> list[int]:
    rows = await Tenant.select(Tenant.id).where(Tenant.is_active.eq(True)).order_by(Tenant.id)
    return [r["id"] for r in rows]


async def tenant_timezone(tenant_id: int) -> str | None:
    row = await Tenant.select(Tenant.timezone).where(Tenant.id == tenant_id).first()
    return row["timezone"] if row else None


async def all_tenants() -> list[dict[str, Any]]:
    """Every tenant, active or not, by slug: the platform administrator's list."""
    return await Tenant.select().order_by(Tenant.slug)


async def members_with(tenant_id: int, pack: Pack, permission: str) -> list[UserRow]:
    """Active members whose positions grant `permission` (e.g. complaints.handle), by user id."""
    rows = await scoped(
        Membership, tenant_id, Membership.user.as_alias("user"), Membership.positions
    ).where(
        Membership.is_active.eq(True)
    ).output(load_json=True)
    ids = [r["user"] for r in rows if permission in pack.permissions_of(list(r["positions"] or []))]
    return list(await accounts.active_users(ids))  # a new list[UserRow] (list is invariant)


async def active_members(tenant_id: int) -> list[dict[str, Any]]:
    """The tenant's active members with an active account, by name: id (the user's), name."""
    rows = await scoped(Membership, tenant_id, Membership.user.id.as_alias("id"),
                        Membership.user.name.as_alias("name")).where(
        Membership.is_active.eq(True), Membership.user._.is_active.eq(True))
    return sorted(rows, key=lambda r: (r["name"], r["id"]))


async def is_active_member(tenant_id: int, user_id: int) -> bool:
    return bool(await scoped_count(Membership, tenant_id).where(
        Membership.user == user_id, Membership.is_active.eq(True)))


async def active_member_count(tenant_id: int) -> int:
    return await scoped_count(Membership, tenant_id).where(Membership.is_active.eq(True))


async def member_list(tenant_id: int) -> list[dict[str, Any]]:
    """The members page: each active membership by the user's name: id, positions, name, email."""
    return await (
        scoped(
            Membership, tenant_id, Membership.id, Membership.positions,
            Membership.user.name.as_alias("name"), Membership.user.email.as_alias("email"),
        )
        .where(Membership.is_active.eq(True))
        .order_by(Membership.user.name)
        .output(load_json=True)
    )
