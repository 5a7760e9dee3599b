"""The tenant is resolved once, at the edge, from `/t/{slug}/…` or `/api/t/{slug}/…`.

A non-member and an unknown slug get the same 404. The dependency opens the request's
transaction with the tenant set (RLS on PostgreSQL) and checks the handler's declared
permission (`opt={"permission": ...}`), so handlers receive a tenant they may act in.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from typing import cast

from litestar import Request
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.params import FromPath

from kefu.accounts.tables import User
from kefu.core import clock
from kefu.core.packs import Pack, get_pack
from kefu.db import transaction
from kefu.tenancy.queries import SignedIn, member_tenant
from kefu.tenancy.services import hash_token, token_tenant_id
from kefu.tenancy.tables import ApiToken, Membership, Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class TenantContext:
    tenant: Tenant
    user: User
    membership: Membership
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


async def _active_tenant(slug: str) -> Tenant:
    tenant = await Tenant.objects().where(Tenant.slug == slug, Tenant.is_active.eq(True)).first()
    if tenant is None:
        raise NotFoundException()
    return tenant


async def _membership(tenant: Tenant, user_id: int) -> Membership:
    membership = (
        await Membership.objects()
        .where(
            Membership.tenant == tenant.id,
            Membership.user == user_id,
            Membership.is_active.eq(True),
        )
        .first()
    )
    if membership is None:
        raise NotFoundException()
    return membership


def _context(request: Request, tenant: Tenant, user: User, membership: Membership) -> TenantContext:
    pack = get_pack(tenant.kind)
    ctx = TenantContext(
        tenant=tenant,
        user=user,
        membership=membership,
        pack=pack,
        permissions=pack.permissions_of(membership.positions_list()),
    )
    needed = request.route_handler.opt.get("permission")
    if needed:
        ctx.require(needed)
    request.scope["kefu_tenant_ctx"] = ctx  # type: ignore[typeddict-unknown-key]
    return ctx


async def provide_tenant_context(
    request: Request, slug: FromPath[str]
) -> AsyncGenerator[TenantContext, None]:
    user = request.scope.get("kefu_user")  # type: ignore[call-overload]
    if user is None:
        raise NotAuthorizedException()
    signed = cast("SignedIn | None", request.scope.get("kefu_signed_in"))  # type: ignore[call-overload]
    # load_user has read the user's memberships and their tenants already: no query here.
    found = signed.member_tenant(slug) if signed is not None else await member_tenant(slug, user.id)
    if found is None:
        raise NotFoundException()
    tenant, membership = found
    async with transaction(tenant.id, write=request.method not in SAFE_METHODS):
        yield _context(request, tenant, user, membership)


async def provide_api_context(
    request: Request, slug: FromPath[str]
) -> AsyncGenerator[TenantContext, None]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    token_tenant = token_tenant_id(token.strip()) if scheme.lower() == "bearer" else None
    if token_tenant is None:
        raise NotAuthorizedException(detail="bearer token required")
    # The token is checked before the slug is looked at: an invalid token gets 401 whatever the
    # slug, so nobody without a token learns which slugs exist or which tenant id a slug has.
    # A valid token for another tenant than the slug's gets the 404 of an unknown slug.
    # Always a write transaction: the token's last use is recorded, and on SQLite a read
    # transaction that later writes fails at once ("database is locked") if a writer is active.
    async with transaction(token_tenant, write=True):
        row = (
            await ApiToken.objects()
            .where(
                ApiToken.tenant == token_tenant,
                ApiToken.token_hash == hash_token(token.strip()),
                ApiToken.revoked_at.is_null(),
            )
            .first()
        )
        if row is None:
            raise NotAuthorizedException(detail="bearer token required")
        user = await User.objects().where(User.id == row.user, User.is_active.eq(True)).first()
        if user is None:
            raise NotAuthorizedException(detail="bearer token required")
        tenant = await _active_tenant(slug)
        if tenant.id != token_tenant:
            raise NotFoundException()
        membership = await _membership(tenant, user.id)
        await ApiToken.update({ApiToken.last_used_at: clock.now()}).where(ApiToken.id == row.id)
        yield _context(request, tenant, user, membership)
