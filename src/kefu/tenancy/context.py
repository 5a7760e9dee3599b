"""The tenant is resolved once, at the edge, from `/t/{slug}/…` or `/api/t/{slug}/…`.

A route's guard (`kefu.tenancy.guards`) calls `resolve_member` before the handler runs: the
signed-in user's (or the bearer token's) active membership of the slug's active tenant, or the
same 404 for an unknown slug and a non-member. The result stays in the connection scope; the
`ctx` dependency then opens the request's transaction with the tenant set (RLS on PostgreSQL)
and hands it to the handler.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.exceptions import (
    ImproperlyConfiguredException,
    NotAuthorizedException,
    NotFoundException,
)

from kefu import i18n
from kefu.accounts.queries import active_user
from kefu.core import clock
from kefu.core.requests import scope_extras
from kefu.core.sessions import GENERATION_KEY
from kefu.core.tenancy import SAFE_METHODS, TenantContext, UserRow
from kefu.db import transaction
from kefu.tenancy.queries import SignedIn, may_enter, member_tenant, signed_in, tenant_pack
from kefu.tenancy.services import hash_token, token_tenant_id
from kefu.tenancy.tables import ApiToken, Membership, Tenant

API_PREFIX = "/api/"
MEMBER_KEY = "kefu_member"  # the resolved context, before the handler's transaction opens
TOKEN_KEY = "kefu_api_token_id"
CTX_KEY = "kefu_tenant_ctx"  # the context handed to the handler (pages show it)
SIGNED_IN_KEY = "kefu_signed_in"  # the user, their memberships and tenants, read once
# In the session: the tenant whose identity provider signed the user in (absent: a password).
AUTH_TENANT_KEY = "auth_tenant"


async def load_user(connection: ASGIConnection) -> None:
    """Put the signed-in user and their tenants in the scope, once per request.

    The app's before_request hook; a tenant route's guard runs before that hook and calls it
    first, so its 401/403/404 pages show the user and their tenants like every other page.
    One round trip reads the user, their memberships and those tenants (queries.signed_in), so
    a tenant page then finds its tenant and membership without another query.
    """
    if "session" not in connection.scope or "kefu_user" in connection.scope:
        return
    user_id = connection.session.get("user_id")
    extras = scope_extras(connection.scope)
    if not isinstance(user_id, int):
        extras["kefu_user"] = None
        return
    found = (await signed_in(user_id)).entered_by(connection.session.get(AUTH_TENANT_KEY))
    extras["kefu_user"] = found.user
    if found.user is not None and connection.session.get(GENERATION_KEY, 0) != found.user.session_generation:
        extras["kefu_user"] = None  # the password was reset since this session began
        connection.clear_session()
        return
    if found.user is None:
        connection.clear_session()
        return
    i18n.set_locale(found.user.locale)
    extras["kefu_memberships"] = found.memberships
    extras[SIGNED_IN_KEY] = found


async def resolve_member(connection: ASGIConnection) -> TenantContext:
    """The tenant and membership this request acts in (401 / 404 otherwise), resolved once."""
    ctx: TenantContext | None = scope_extras(connection.scope).get(MEMBER_KEY)
    if ctx is None:
        if connection.scope["path"].startswith(API_PREFIX):
            ctx = await _from_token(connection)
        else:
            ctx = await _from_session(connection)
        scope_extras(connection.scope)[MEMBER_KEY] = ctx
    return ctx


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


def _context(tenant: Tenant, user: UserRow, membership: Membership) -> TenantContext:
    pack = tenant_pack(tenant)  # the tenant's own permissions per position, read with its row
    return TenantContext(
        tenant=tenant,
        user=user,
        membership=membership,
        pack=pack,
        permissions=pack.permissions_of(membership.held_positions()),
    )


async def _from_session(connection: ASGIConnection) -> TenantContext:
    await load_user(connection)
    user: UserRow | None = scope_extras(connection.scope).get("kefu_user")
    if user is None:
        raise NotAuthorizedException()
    slug = connection.path_params["slug"]
    signed: SignedIn | None = scope_extras(connection.scope).get(SIGNED_IN_KEY)
    found = signed.member_tenant(slug) if signed is not None else await member_tenant(slug, user.id)
    if found is None:  # an unknown slug and a non-member: the same 404
        raise NotFoundException()
    tenant, membership = found
    if not may_enter(tenant.id, tenant.password_signin, connection.session.get(AUTH_TENANT_KEY)):
        raise NotFoundException()  # signed in elsewhere: this tenant needs its own sign-in
    return _context(tenant, user, membership)


async def _from_token(connection: ASGIConnection) -> TenantContext:
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    token = token.strip()
    token_tenant = token_tenant_id(token) if scheme.lower() == "bearer" else None
    if token_tenant is None:
        raise NotAuthorizedException(detail="bearer token required")
    # The token is checked before the slug is looked at: an invalid token gets 401 whatever the
    # slug, so nobody without a token learns which slugs exist or which tenant id a slug has.
    # A valid token for another tenant than the slug's gets the 404 of an unknown slug.
    # Only reads here; the token's last use is recorded in the request's own transaction.
    async with transaction(token_tenant, write=False):
        row = (
            await ApiToken.objects()
            .where(
                ApiToken.tenant == token_tenant,
                ApiToken.token_hash == hash_token(token),
                ApiToken.revoked_at.is_null(),
            )
            .first()
        )
        user = await active_user(row.user) if row is not None else None
        if row is None or user is None:
            raise NotAuthorizedException(detail="bearer token required")
        tenant = await _active_tenant(connection.path_params["slug"])
        if tenant.id != token_tenant:
            raise NotFoundException()
        membership = await _membership(tenant, user.id)
    scope_extras(connection.scope)[TOKEN_KEY] = row.id
    return _context(tenant, user, membership)


def _resolved(request: Request) -> TenantContext:
    ctx: TenantContext | None = scope_extras(request.scope).get(MEMBER_KEY)
    if ctx is None:  # fail closed: a tenant route without a tenancy guard never runs
        raise ImproperlyConfiguredException(
            f"{request.route_handler.name}: a tenant route needs requires(...) or requires_member()"
        )
    return ctx


async def provide_tenant_context(request: Request) -> AsyncGenerator[TenantContext, None]:
    """The `ctx` of a page: the request's transaction, the tenant set."""
    ctx = _resolved(request)
    async with transaction(ctx.tenant_id, write=request.method not in SAFE_METHODS):
        scope_extras(request.scope)[CTX_KEY] = ctx
        yield ctx


async def provide_api_context(request: Request) -> AsyncGenerator[TenantContext, None]:
    """The `ctx` of an API call. Always a write transaction: the token's last use is recorded,
    and on SQLite a read transaction that later writes fails at once ("database is locked") if
    a writer is active."""
    ctx = _resolved(request)
    async with transaction(ctx.tenant_id, write=True):
        await ApiToken.update({ApiToken.last_used_at: clock.now()}).where(
            ApiToken.tenant == ctx.tenant_id, ApiToken.id == scope_extras(request.scope)[TOKEN_KEY]
        )
        scope_extras(request.scope)[CTX_KEY] = ctx
        yield ctx


async def member_context(tenant_id: int, user_id: int) -> TenantContext | None:
    """The context a job acts in for the member who started it (kefu.workers.services): their
    permissions as they are now, or None when the tenant, the account or the membership is no
    longer active (the job then does nothing)."""
    tenant = await Tenant.objects().where(Tenant.id == tenant_id, Tenant.is_active.eq(True)).first()
    user = await active_user(user_id)
    if tenant is None or user is None:
        return None
    try:
        membership = await _membership(tenant, user.id)
    except NotFoundException:
        return None
    return _context(tenant, user, membership)
