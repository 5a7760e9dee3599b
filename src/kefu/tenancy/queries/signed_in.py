"""Reads on every signed-in request: the user with their tenants, and the tenant of a URL with
the user's membership in it. One round trip reads the user, every active membership in an
active tenant and those tenants' rows (they were four queries), so a tenant page finds its
tenant and membership without another query; the rows become the same Piccolo objects the
separate queries returned.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from piccolo.table import Table

from kefu.accounts.tables import User
from kefu.db import fetch_raw
from kefu.tenancy.services import MembershipView
from kefu.tenancy.tables import Membership, Tenant


def _columns(table: type[Table], alias: str, prefix: str) -> str:
    return ", ".join(
        f'{alias}."{c._meta.db_column_name}" AS "{prefix}{c._meta.db_column_name}"'
        for c in table._meta.columns
    )


def _object(table: type[Table], row: dict[str, Any], prefix: str) -> Any:
    values = {c._meta.db_column_name: row[f"{prefix}{c._meta.db_column_name}"] for c in table._meta.columns}
    return table(**values, _exists_in_db=True)


def _positions(value: Any) -> list[str]:
    if isinstance(value, str):  # JSON is text on both engines unless a codec says otherwise
        value = json.loads(value or "[]")
    return list(value or [])


# The LEFT JOIN keeps the user's row when they belong to no (active) tenant.
_SIGNED_IN = f"""
SELECT {_columns(User, "u", "u_")}, {_columns(Tenant, "t", "t_")}, {_columns(Membership, "m", "m_")}
FROM "kefu_user" u
LEFT JOIN ("membership" m JOIN "tenant" t ON t."id" = m."tenant_id" AND t."is_active" = {{}})
  ON m."user_id" = u."id" AND m."is_active" = {{}}
WHERE u."id" = {{}} AND u."is_active" = {{}}
ORDER BY t."name"
"""  # noqa: S608 — only column names of the tables are interpolated; values are bind parameters

_MEMBER_TENANT = f"""
SELECT {_columns(Tenant, "t", "t_")}, {_columns(Membership, "m", "m_")}
FROM "tenant" t JOIN "membership" m ON m."tenant_id" = t."id"
WHERE t."slug" = {{}} AND t."is_active" = {{}} AND m."user_id" = {{}} AND m."is_active" = {{}}
"""  # noqa: S608 — only column names of the tables are interpolated; values are bind parameters


@dataclass(frozen=True)
class SignedIn:
    """The signed-in user, their tenants for the switcher, and each membership's rows."""

    user: User | None
    memberships: list[MembershipView]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)  # by tenant slug

    def member_tenant(self, slug: str) -> tuple[Tenant, Membership] | None:
        """What `member_tenant(slug, user.id)` returns, from the rows already read."""
        row = self.rows.get(slug)
        if row is None:
            return None
        return _object(Tenant, row, "t_"), _object(Membership, row, "m_")

    def entered_by(self, auth_tenant: Any) -> SignedIn:
        """The tenants this session may enter: a session made through a tenant's identity
        provider enters that tenant only; a password session, the tenants that allow passwords."""
        keep = {m.slug for m in self.memberships if may_enter(m.tenant_id, m.password_signin, auth_tenant)}
        return SignedIn(
            self.user, [m for m in self.memberships if m.slug in keep],
            {slug: row for slug, row in self.rows.items() if slug in keep},
        )


def may_enter(tenant_id: int, password_signin: bool, auth_tenant: Any) -> bool:
    """Whether a session (auth_tenant: the tenant whose provider made it, or None for a
    password sign-in) may enter a tenant."""
    if isinstance(auth_tenant, int):
        return auth_tenant == tenant_id
    return password_signin


async def signed_in(user_id: int) -> SignedIn:
    """The active user with their active memberships in active tenants, by tenant name (what
    `User.objects()` returned, and their tenants for the switcher); no user if there is no active one."""
    rows = await fetch_raw(User, _SIGNED_IN, True, True, user_id, True)
    if not rows:
        return SignedIn(None, [])
    members = [r for r in rows if r["t_slug"] is not None]
    return SignedIn(
        _object(User, rows[0], "u_"),
        [MembershipView(r["t_slug"], r["t_name"], r["t_kind"], _positions(r["m_positions"]),
                        r["t_id"], bool(r["t_password_signin"])) for r in members],
        {r["t_slug"]: r for r in members},
    )


async def member_tenant(slug: str, user_id: int) -> tuple[Tenant, Membership] | None:
    """The active tenant of `slug` and the user's active membership in it, or None when either
    is missing (the caller answers both with the same 404)."""
    rows = await fetch_raw(Tenant, _MEMBER_TENANT, slug, True, user_id, True)
    if not rows:
        return None
    return _object(Tenant, rows[0], "t_"), _object(Membership, rows[0], "m_")
