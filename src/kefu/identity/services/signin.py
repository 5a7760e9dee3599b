"""Sign-in through a tenant's identity provider.

The provider is only ever called outside a database transaction (a slow provider must not hold
a SQLite write lock or a pooled connection). Every sign-in, failed or not, is an audit event of
the tenant; the client secret is in none (nor in any page, log line or API answer).
"""

from __future__ import annotations

from dataclasses import dataclass

from kefu.accounts import queries as accounts
from kefu.accounts import services as account_services
from kefu.audit import services as audit
from kefu.core import clock, crypto
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.identity import oidc
from kefu.identity.policy import Seen, admit
from kefu.identity.services import invitations
from kefu.identity.services.provider import provider_row
from kefu.identity.tables import ExternalIdentity, IdentityProvider
from kefu.tenancy import queries as tenancy
from kefu.tenancy import services as tenancy_services


async def _client(tenant_id: int, redirect_uri: str) -> tuple[IdentityProvider, oidc.Client]:
    async with transaction(tenant_id, write=False):
        row = await provider_row(tenant_id)
    if row is None or not row.is_enabled:
        raise oidc.OidcFailure("unavailable")
    try:
        secret = crypto.decrypt(row.client_secret_enc)
    except crypto.UnreadableSecret as exc:
        raise oidc.OidcFailure("unavailable", "stored secret unreadable") from exc
    return row, oidc.Client(row.issuer, row.client_id, secret, row.scopes, redirect_uri)


async def begin_signin(tenant: TenantRow, redirect_uri: str) -> oidc.Pending:
    """The provider's authorization URL with a fresh state, nonce and PKCE verifier."""
    _, client = await _client(tenant.id, redirect_uri)
    return await oidc.authorization_url(client)


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    logout_url: str | None


async def finish_signin(
    tenant: TenantRow, *, code: str, nonce: str, code_verifier: str, redirect_uri: str, after_logout: str
) -> SignedIn:
    """Exchange the code, validate the ID token, admit and link the account (or refuse)."""
    row, client = await _client(tenant.id, redirect_uri)
    found = await oidc.complete(client, code=code, nonce=nonce, code_verifier=code_verifier)
    async with transaction(tenant.id):
        user_id = await _admit(tenant, row, found)
        await audit.record(
            tenant_id=tenant.id, actor_id=user_id, action="identity.signin",
            object_type="user", object_id=user_id, after={"issuer": row.issuer, "subject": found.subject},
        )
    logout = oidc.logout_url(found, client_id=row.client_id, after=after_logout)
    return SignedIn(user_id, logout)


async def _admit(tenant: TenantRow, row: IdentityProvider, found: oidc.Identity) -> int:
    link = await scoped_objects(ExternalIdentity, tenant.id).where(
        ExternalIdentity.issuer == row.issuer, ExternalIdentity.subject == found.subject,
    ).first()
    linked = await accounts.active_user(link.user) if link else None
    by_email = await accounts.user_by_email(found.email) if found.email else None
    if (link is not None and linked is None) or (link is None and by_email and not by_email.is_active):
        raise oidc.OidcFailure("not_member", "account deactivated")
    verified = bool(found.email and found.email_verified)
    invitation = await invitations.open_for_email(tenant.id, found.email) if verified else None
    seen = Seen(
        email=found.email, email_verified=found.email_verified,
        linked_user=linked.id if linked else None,
        email_user=by_email.id if by_email and by_email.is_active else None,
        email_user_is_member=bool(by_email and await tenancy.is_active_member(tenant.id, by_email.id)),
        linked_user_is_member=bool(linked and await tenancy.is_active_member(tenant.id, linked.id)),
        invited=invitation is not None,
    )
    outcome, reason = admit(seen, domains=row.allowed_domains.split(), admission=row.admission)
    if outcome == "refuse":
        raise oidc.OidcFailure(reason)
    if outcome == "signin" and link is not None:
        await ExternalIdentity.update({ExternalIdentity.last_signin_at: clock.now()}).where(
            ExternalIdentity.tenant == tenant.id, ExternalIdentity.id == link.id)
        return link.user
    user = by_email
    if outcome == "create":
        user = await account_services.create_external_user(email=found.email, name=found.name or found.email, locale=tenant.locale)
    assert user is not None
    if outcome in ("create", "join") and invitation is not None:
        await invitations.claim(tenant, invitation, user.id)
    elif outcome in ("create", "join"):
        await tenancy_services.add_member(tenant=tenant, user=user, positions=[row.default_position], actor_id=None)
    await ExternalIdentity(tenant=tenant.id, issuer=row.issuer, subject=found.subject, user=user.id,
                           last_signin_at=clock.now()).save()
    return user.id


async def record_failure(tenant_id: int, reason: str, detail: str = "") -> None:
    """An audit event for a refused sign-in (its own transaction: nothing else is written)."""
    async with transaction(tenant_id):
        await audit.record(
            tenant_id=tenant_id, actor_id=None, action="identity.signin_failed",
            object_type="identity_provider", after={"reason": reason, "detail": detail[:200]},
        )
