"""Who holds which position by membership: for the duties module, which adds dated assignments
on top (kefu.duties.queries.holders). And what each position grants in a tenant: the pack's
permissions, or the tenant's own where it has edited them."""

from __future__ import annotations

from typing import Any

from kefu.core.packs import Pack, get_pack, own_permissions
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantRow
from kefu.tenancy.tables import Membership, Tenant


async def member_positions(tenant_id: int) -> list[dict[str, Any]]:
    """Every active membership of an active user: user (id), name, email, locale, positions
    (codes), joined_at (when the membership began), ordered by user id."""
    rows = await scoped(
        Membership, tenant_id, Membership.user.id.as_alias("user"), Membership.user.name.as_alias("name"),
        Membership.user.email.as_alias("email"), Membership.user.locale.as_alias("locale"), Membership.positions,
        Membership.created_at.as_alias("joined_at"),
    ).where(
        Membership.is_active.eq(True), Membership.user._.is_active.eq(True)
    ).order_by(Membership.user.id).output(load_json=True)
    for row in rows:
        row["positions"] = list(row["positions"] or [])
    return rows


def tenant_pack(tenant: TenantRow) -> Pack:
    """The tenant's pack: its kind's, with the permissions the tenant gave its positions."""
    return get_pack(tenant.kind).with_permissions(own_permissions(tenant.settings))


async def pack_of_tenant(tenant_id: int) -> Pack | None:
    """`tenant_pack` by the tenant's id (a sweep or a job has no request's tenant row)."""
    row = await Tenant.select(Tenant.kind, Tenant.settings).where(Tenant.id == tenant_id).first()
    if row is None:
        return None
    return get_pack(row["kind"]).with_permissions(own_permissions(row["settings"]))
