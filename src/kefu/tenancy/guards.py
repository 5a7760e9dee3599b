"""What a tenant route (/t/{slug}/…, /api/t/{slug}/…) requires, declared on the handler:

    @get("/", guards=[requires("complaints.view")])    # a member holding the permission
    @get("/", guards=[requires_member()])               # any member of the tenant

The guard resolves the tenant and the membership (kefu.tenancy.context) and decides before the
handler runs: 401 (or the sign-in redirect) when nobody is signed in or the token is invalid,
the same 404 for an unknown slug and a non-member, 403 without the permission. Services still
check their own permission (`ctx.require`): a guard guards a route, not a write.
"""

from __future__ import annotations

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler
from litestar.types import Guard

from kefu.tenancy.context import resolve_member

# Set on every guard made here, so a test can tell from the route table that a route has one.
GUARD_MARK = "kefu_tenant_guard"


def requires(permission: str) -> Guard:
    """A member of the slug's tenant whose positions grant `permission`."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        ctx = await resolve_member(connection)
        ctx.require(permission)

    setattr(guard, GUARD_MARK, permission)
    guard.__qualname__ = f"requires({permission!r})"
    return guard


def requires_member() -> Guard:
    """Any active member of the slug's tenant, whatever their positions."""

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        await resolve_member(connection)

    setattr(guard, GUARD_MARK, "")
    guard.__qualname__ = "requires_member()"
    return guard


def declared_requirement(route_handler: BaseRouteHandler) -> str | None:
    """The permission a handler's tenancy guard requires ("" for membership only), or None
    when it has no such guard."""
    for layer in route_handler.ownership_layers:
        for guard in layer.guards or []:
            if hasattr(guard, GUARD_MARK):
                return getattr(guard, GUARD_MARK)
    return None
