"""The tenant a request acts in, as handlers and services see it.

The tenancy module resolves it at the edge (its guards, `kefu.tenancy.context`) and hands it to
the handler; core only defines its shape, typed with Protocols so core imports no module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from litestar.exceptions import PermissionDeniedException

from kefu.core.packs import Pack

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class HasId(Protocol):
    """What a write needs of a tenant whose row it has not read: its id."""

    @property
    def id(self) -> int: ...


class TenantRow(Protocol):
    id: int
    slug: Any
    name: Any
    kind: Any
    timezone: Any
    locale: Any
    settings: Any
    password_signin: Any
    created_at: Any


class UserRow(Protocol):
    id: Any
    email: Any
    name: Any
    locale: Any


class MembershipRow(Protocol):
    id: Any

    def positions_list(self) -> list[str]: ...

    def held_positions(self) -> list[str]: ...


@dataclass
class TenantContext:
    tenant: TenantRow
    user: UserRow
    membership: MembershipRow
    pack: Pack
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def tenant_id(self) -> int:
        return self.tenant.id

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        if permission not in self.permissions:
            raise PermissionDeniedException(detail=f"permission:{permission}")
