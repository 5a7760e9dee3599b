"""Reads of tenants and memberships for other modules: one tenant by id, the active tenants a
sweep walks, and the members of a tenant (who holds a permission, who may own a task).

The rows are typed with kefu.core.tenancy's Protocols where a caller only reads them.
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from typing import Any

from kefu.accounts import queries as accounts
from kefu.core.packs import Pack
from kefu.core.scoping import scoped, scoped_count
from kefu.core.tenancy import UserRow
from kefu.tenancy.queries.positions import pack_of_tenant
from kefu.tenancy.tables import Membership, Tenant

log = logging.getLogger("kefu.tenancy")


async def get_tenant(tenant_id: int) -> Tenant | None:
    return await Tenant.objects().where(Tenant.id == tenant_id).first()


async def active_tenants() -> list[Tenant]:
    """Every active tenant, by id: what a periodic sweep walks, one tenant at a time (RLS). The
    deactivated ones are left out, and the log says so: their jobs stop."""
    tenants = await Tenant.objects().order_by(Tenant.id)
    _log_skipped([t.id for t in tenants if not t.is_active])
    return [t for t in tenants if t.is_active]


async def active_tenant_ids() -> list[int]:
    rows = await Tenant.select(Tenant.id, Tenant.is_active).order_by(Tenant.id)
    _log_skipped([r["id"] for r in rows if not r["is_active"]])
    return [r["id"] for r in rows if r["is_active"]]


def _log_skipped(ids: list[int]) -> None:
    if ids:
        log.info("sweep skips deactivated tenants %s", ids)


async def tenant_is_active(tenant_id: int) -> bool:
    return await Tenant.exists().where(Tenant.id == tenant_id, Tenant.is_active.eq(True))


async def tenant_timezone(tenant_id: int) -> str | None:
    row = await Tenant.select(Tenant.timezone).where(Tenant.id == tenant_id).first()
    return row["timezone"] if row else None


async def all_tenants() -> list[dict[str, Any]]:
    """Every tenant, active or not, by slug: the platform administrator's list."""
    return await Tenant.select().order_by(Tenant.slug)


async def members_with(tenant_id: int, pack: Pack, permission: str) -> list[UserRow]:
    """Active members whose positions grant `permission` (e.g. complaints.handle), by user id."""
    return await members_holding(tenant_id, pack, permission=permission)


async def members_holding(
    tenant_id: int, pack: Pack, *, permission: str = "", positions: Collection[str] = ()
) -> list[UserRow]:
    """Active members whose positions grant `permission` or who hold one of `positions` (the
    pack's senior positions an escalation reaches), by user id. What a position grants is the
    tenant's (its own permissions where it edited them), whichever pack the caller passes."""
    pack = await pack_of_tenant(tenant_id) or pack
    rows = await scoped(
        Membership, tenant_id, Membership.user.as_alias("user"), Membership.positions, Membership.granted
    ).where(
        Membership.is_active.eq(True)
    ).output(load_json=True)
    wanted = set(positions)

    def fits(held: list[str]) -> bool:
        return bool(wanted & set(held)) or bool(permission and permission in pack.permissions_of(held))

    # Positions held by assignment (duties: acting and deputy holders) count as held.
    ids = [r["user"] for r in rows if fits([*(r["positions"] or []), *(r["granted"] or [])])]
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


async def has_active_membership(tenant_id: int, membership_id: int) -> bool:
    """Whether the id is an active membership of the tenant (another tenant's is not)."""
    return bool(await scoped_count(Membership, tenant_id).where(
        Membership.id == membership_id, Membership.is_active.eq(True)))


async def api_tokens(tenant_id: int) -> list[dict[str, Any]]:
    """The tokens page: every token of the tenant (never its secret), newest first."""
    from kefu.tenancy.tables import ApiToken

    return await scoped(
        ApiToken, tenant_id, ApiToken.id, ApiToken.label, ApiToken.created_at, ApiToken.last_used_at,
        ApiToken.revoked_at, ApiToken.user.name.as_alias("user_name"),
    ).order_by(ApiToken.id, ascending=False)
