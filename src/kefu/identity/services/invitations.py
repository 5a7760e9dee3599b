"""Invitations to a tenant's staff: issued, resent and revoked by a tenant admin, accepted once
through a link that expires. An invitation is made whether or not the email has an account, so
the page never tells the admin who has one."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from litestar.exceptions import NotFoundException

from kefu.accounts import queries as accounts
from kefu.accounts import services as account_services
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.packs import ADMIN_POSITION
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.identity.tables import Invitation
from kefu.notifications import services as notifications
from kefu.settings import get_settings
from kefu.tenancy import queries as tenancy
from kefu.tenancy import services as tenancy_services

PERMISSION = "members.manage"
VALID_DAYS = 7


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_tenant(token: str) -> int | None:
    """Tokens read `<tenant id>.<secret>`, so the tenant is known before the lookup (RLS)."""
    head, _, secret = token.partition(".")
    return int(head) if head.isdigit() and len(head) < 12 and len(secret) >= 20 else None


def invite_url(token: str) -> str:
    return f"{get_settings().public_url}/invite/{token}"


@dataclass(frozen=True)
class Issued:
    invitation_id: int
    email: str
    link: str


async def _send(tenant: TenantRow, row: Invitation, token: str) -> int | None:
    return await notifications.owe_notice(
        tenant_id=tenant.id, kind="staff_invitation", subject_type="invitation", subject_id=row.id,
        recipient=notifications.Recipient(name=row.email, email=row.email, locale=tenant.locale),
        channel="email", data={"invite_url": invite_url(token), "expires_on": row.expires_at.date()},
        due_on=None, unique_key=f"invitation:{row.id}:{row.sent_count}",
    )


async def invite(ctx: TenantContext, *, email: str, positions: list[str]) -> Issued:
    ctx.require(PERMISSION)
    email = account_services.validate_email(email)
    if not positions or any(p not in ctx.pack.positions for p in positions):
        raise FieldError("positions", "Choose at least one position from the list.")
    token = f"{ctx.tenant_id}.{secrets.token_urlsafe(32)}"
    async with transaction(ctx.tenant_id):
        row = Invitation(tenant=ctx.tenant_id, email=email, positions=sorted(set(positions)),
                         token_hash=hash_token(token), invited_by=ctx.user.id,
                         expires_at=clock.now() + timedelta(days=VALID_DAYS), sent_count=1)
        await row.save()
        notice = await _send(ctx.tenant, row, token)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="invitation.create",
                           object_type="invitation", object_id=row.id,
                           after={"email": email, "positions": sorted(set(positions))})
    await notifications.nudge(ctx.tenant_id, [notice])
    return Issued(row.id, email, invite_url(token))


async def invite_first_admin(tenant: TenantRow, *, email: str, actor_id: int) -> Issued:
    """The platform administrator names a new tenant's first administrator."""
    email = account_services.validate_email(email)
    token = f"{tenant.id}.{secrets.token_urlsafe(32)}"
    async with transaction(tenant.id):
        row = Invitation(tenant=tenant.id, email=email, positions=[ADMIN_POSITION], token_hash=hash_token(token),
                         invited_by=actor_id, expires_at=clock.now() + timedelta(days=VALID_DAYS), sent_count=1)
        await row.save()
        notice = await _send(tenant, row, token)
        await audit.record(tenant_id=tenant.id, actor_id=actor_id, action="invitation.create",
                           object_type="invitation", object_id=row.id,
                           after={"email": email, "positions": [ADMIN_POSITION]})
    await notifications.nudge(tenant.id, [notice])
    return Issued(row.id, email, invite_url(token))


async def _open(tenant_id: int, invitation_id: int) -> Invitation:
    row = await get_in_tenant(Invitation, tenant_id, invitation_id)
    if row.accepted_at is not None or row.revoked_at is not None:
        raise NotFoundException()
    return row


async def resend(ctx: TenantContext, invitation_id: int) -> Issued:
    """A new link (the old one stops working), valid for another VALID_DAYS, sent again."""
    ctx.require(PERMISSION)
    token = f"{ctx.tenant_id}.{secrets.token_urlsafe(32)}"
    async with transaction(ctx.tenant_id):
        row = await _open(ctx.tenant_id, invitation_id)
        row.token_hash, row.sent_count = hash_token(token), row.sent_count + 1
        row.expires_at = clock.now() + timedelta(days=VALID_DAYS)
        await row.save([Invitation.token_hash, Invitation.sent_count, Invitation.expires_at])
        notice = await _send(ctx.tenant, row, token)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="invitation.resend",
                           object_type="invitation", object_id=row.id, after={"sent_count": row.sent_count})
    await notifications.nudge(ctx.tenant_id, [notice])
    return Issued(row.id, row.email, invite_url(token))


async def revoke(ctx: TenantContext, invitation_id: int) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        row = await _open(ctx.tenant_id, invitation_id)
        await Invitation.update({Invitation.revoked_at: clock.now()}).where(
            Invitation.tenant == ctx.tenant_id, Invitation.id == row.id)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="invitation.revoke",
                           object_type="invitation", object_id=row.id, before={"email": row.email})


async def open_invitation(token: str) -> tuple[Invitation, TenantRow] | None:
    """The open (not used, revoked or expired) invitation of a link with its active tenant."""
    tenant_id = token_tenant(token)
    if tenant_id is None:
        return None
    async with transaction(tenant_id, write=False):
        row = await scoped_objects(Invitation, tenant_id).where(
            Invitation.token_hash == hash_token(token), Invitation.accepted_at.is_null(),
            Invitation.revoked_at.is_null(), Invitation.expires_at > clock.now(),
        ).first()
    tenant = await tenancy.get_tenant(tenant_id) if row is not None else None
    if row is None or tenant is None or not tenant.is_active:
        return None
    return row, tenant


async def open_for_email(tenant_id: int, email: str) -> Invitation | None:
    """The newest open invitation of an email in the tenant (a sign-in through the provider
    accepts it)."""
    return await scoped_objects(Invitation, tenant_id).where(
        Invitation.email == email.lower(), Invitation.accepted_at.is_null(),
        Invitation.revoked_at.is_null(), Invitation.expires_at > clock.now(),
    ).order_by(Invitation.id, ascending=False).first()


async def claim(tenant: TenantRow, row: Invitation, user_id: int) -> None:
    """Use the invitation once (in the caller's tenant transaction): the user joins with its
    positions. A second use, even at the same moment, is refused."""
    user = await accounts.active_user(user_id)
    if user is None:
        raise FieldError("password", "This account cannot join.")
    used = await Invitation.update({Invitation.accepted_at: clock.now(), Invitation.accepted_by: user_id}).where(
        Invitation.tenant == tenant.id, Invitation.id == row.id, Invitation.accepted_at.is_null(),
        Invitation.revoked_at.is_null(),
    ).returning(Invitation.id)
    if not used:
        raise NotFoundException()
    await tenancy_services.add_member(tenant=tenant, user=user, positions=row.positions_list(), actor_id=user_id)
    await audit.record(tenant_id=tenant.id, actor_id=user_id, action="invitation.accept",
                       object_type="invitation", object_id=row.id, after={"email": row.email})


class AcceptRefused(Exception):
    """The password of an existing account was wrong (or sign-ins are throttled)."""


async def accept(token: str, *, name: str, password: str, client: str) -> tuple[int, TenantRow]:
    """Accept with a new account (name and password) or, when the email has one, with its
    password. The user id and the tenant; NotFoundException when the link is not open."""
    found = await open_invitation(token)
    if found is None:
        raise NotFoundException()
    row, tenant = found
    if await accounts.user_by_email(row.email) is not None:
        try:
            user = await account_services.authenticate(row.email, password, client)
        except account_services.SigninThrottled as exc:
            raise AcceptRefused() from exc
        if user is None:
            raise AcceptRefused()
        user_id = user.id
    else:
        user_id = 0
    async with transaction(tenant.id):
        if not user_id:
            user_id = (await account_services.create_user(
                email=row.email, name=name, password=password, locale=tenant.locale)).id
        await claim(tenant, row, user_id)
    return user_id, tenant
