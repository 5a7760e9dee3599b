"""Forgotten passwords: a reset link by email through the notification outbox, used once, valid
for an hour; the new password ends every session the user had.

No user enumeration: asking for a link answers the same whether the email has an account or
not, and both paths run the same reads (the account, its tenants) before the one write a known
account adds. Users are platform-level, so the mail goes through the outbox of the user's first
active tenant (by name), whose audit trail records the request and the reset; an account in no
active tenant gets no mail (there is no outbox to send it; logged).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta

from kefu.accounts import queries as accounts
from kefu.accounts import services as account_services
from kefu.audit import services as audit
from kefu.core import clock, ratelimit
from kefu.db import transaction
from kefu.identity.tables import PasswordReset
from kefu.notifications import services as notifications
from kefu.settings import get_settings
from kefu.tenancy import queries as tenancy

log = logging.getLogger("kefu.identity")

VALID = timedelta(hours=1)
# Per client address: a flood of requests gets 429 (whatever the emails). Per email: at most
# three mails an hour, silently (the answer must not differ from an unknown email's).
CLIENT_LIMIT, EMAIL_LIMIT, WINDOW = 10, 3, 3600


class ResetThrottled(Exception):
    pass


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reset_url(token: str) -> str:
    return f"{get_settings().public_url}/password/reset/{token}"


async def request_reset(email: str, client: str) -> None:
    """Owe a reset mail if the email names an active account in an active tenant; say nothing
    either way (the caller answers the same)."""
    email = account_services.normalise_email(email)[:account_services.MAX_EMAIL]
    if not await ratelimit.hit("password-reset-client", client, limit=CLIENT_LIMIT, window=WINDOW):
        raise ResetThrottled()
    allowed = await ratelimit.hit("password-reset-email", email, limit=EMAIL_LIMIT, window=WINDOW)
    user = await accounts.user_by_email(email) if email else None
    # The same read for an unknown email (user 0 has no row): the paths differ only in the write.
    found = await tenancy.signed_in(user.id if user is not None and user.is_active else 0)
    token = secrets.token_urlsafe(32)
    if not allowed or found.user is None or not found.memberships:
        if found.user is not None:
            log.info("password reset for user %s not sent: %s", found.user.id,
                     "rate limited" if not allowed else "no active tenant to send it through")
        return
    user_id, tenant_id = found.user.id, found.memberships[0].tenant_id
    async with transaction(tenant_id):
        row = PasswordReset(user=user_id, via_tenant=tenant_id, token_hash=hash_token(token),
                            expires_at=clock.now() + VALID)
        await row.save()
        notice = await notifications.owe_notice(
            tenant_id=tenant_id, kind="password_reset", subject_type="user", subject_id=user_id,
            recipient=notifications.Recipient(name=found.user.name, email=found.user.email, locale=found.user.locale),
            channel="email", data={"reset_url": reset_url(token), "valid_minutes": int(VALID.total_seconds() // 60)},
            due_on=None, unique_key=f"password_reset:{row.id}",
        )
        await audit.record(tenant_id=tenant_id, actor_id=None, action="password.reset_request",
                           object_type="user", object_id=user_id)
    await notifications.nudge(tenant_id, [notice])


async def open_reset(token: str) -> PasswordReset | None:
    """The reset of a link that is unused, unexpired and of an active account."""
    if not 20 <= len(token) <= 100:
        return None
    row = await PasswordReset.objects().where(
        PasswordReset.token_hash == hash_token(token), PasswordReset.used_at.is_null(),
        PasswordReset.expires_at > clock.now(),
    ).first()
    if row is None or await accounts.active_user(row.user) is None:
        return None
    return row


async def complete_reset(token: str, password: str) -> int | None:
    """Use the link once: the new password is set, every other open link of the user and every
    session of theirs ends, the tenant's trail records it. The user id, or None when the link is
    not open (used, expired, unknown; a second use at the same moment loses the claim)."""
    account_services.check_new_password(password)
    row = await open_reset(token)
    if row is None:
        return None
    async with transaction(row.via_tenant):
        now = clock.now()
        claimed = await PasswordReset.update({PasswordReset.used_at: now}).where(
            PasswordReset.id == row.id, PasswordReset.used_at.is_null(), PasswordReset.expires_at > now,
        ).returning(PasswordReset.user)
        if not claimed:
            return None
        user_id = int(next(iter(claimed[0].values())))
        await PasswordReset.update({PasswordReset.used_at: now}).where(
            PasswordReset.user == user_id, PasswordReset.used_at.is_null())
        await account_services.reset_password(user_id, password)
        await audit.record(tenant_id=row.via_tenant, actor_id=user_id, action="password.reset",
                           object_type="user", object_id=user_id)
    return user_id
