"""Staff actions on one notice: send a failed or dead one again, record a letter as posted."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from litestar.exceptions import NotFoundException

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications import policy
from kefu.notifications.policy import PERMISSION
from kefu.notifications.tables import Notice


async def _notice_state(tenant_id: int, notice_id: int) -> dict[str, Any]:
    """The fields a staff action checks (not the PDF); another tenant's id is a 404."""
    row = await scoped(
        Notice, tenant_id, Notice.id, Notice.channel, Notice.state, Notice.attempts,
        Notice.last_error, Notice.created_at,
    ).where(Notice.id == notice_id).first()
    if row is None:
        raise NotFoundException()
    return row


async def retry_notice(ctx: TenantContext, notice_id: int) -> int:
    """Staff send a failed or dead notice again now, with a fresh set of attempts.
    Raises Refused("not_retryable") for any other state, 403, 404."""
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        notice = await _notice_state(ctx.tenant_id, notice_id)
        policy.check_allowed(policy.RETRY, notice["channel"], notice["state"])
        changed = await (
            Notice.update({Notice.state: "pending", Notice.attempts: 0, Notice.next_attempt_at: clock.now()})
            .where(Notice.tenant == ctx.tenant_id, Notice.id == notice_id,
                   Notice.state.is_in(list(policy.RETRYABLE_STATES)))
            .returning(Notice.id)
        )
        if not changed:  # another request retried it first
            raise policy.refusal(policy.RETRY)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="notice.retry", object_type="notice",
            object_id=notice_id, before={"state": notice["state"], "attempts": notice["attempts"],
                                         "last_error": notice["last_error"]},
            after={"state": "pending", "attempts": 0},
        )
    return notice_id


def _posted_at(posted_on: date, tz_name: str) -> datetime:
    tz = ZoneInfo(tz_name)
    if posted_on == clock.today_in(tz_name):
        return clock.now()
    return datetime.combine(posted_on, time(12), tz).astimezone(UTC)


async def mark_posted(ctx: TenantContext, notice_id: int, posted_on: date) -> None:
    """A letter that is ready has been posted (or faxed) on `posted_on`: it counts as sent then.
    Raises FieldError (the date), Refused("not_ready_to_post") for any other notice, 403, 404."""
    ctx.require(PERMISSION)
    tz_name = ctx.tenant.timezone
    if posted_on > clock.today_in(tz_name):
        raise FieldError("posted_on", "The posting date cannot be in the future.")
    async with transaction(ctx.tenant_id):
        notice = await _notice_state(ctx.tenant_id, notice_id)
        policy.check_allowed(policy.MARK_POSTED, notice["channel"], notice["state"])
        if posted_on < notice["created_at"].astimezone(ZoneInfo(tz_name)).date():
            raise FieldError("posted_on", "The posting date cannot be before the notice was written.")
        changed = await (
            Notice.update({Notice.state: "sent", Notice.sent_at: _posted_at(posted_on, tz_name), Notice.sent_on: posted_on})
            .where(Notice.tenant == ctx.tenant_id, Notice.id == notice_id, Notice.state == "ready")
            .returning(Notice.id)
        )
        if not changed:  # another request marked it first
            raise policy.refusal(policy.MARK_POSTED)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="notice.posted", object_type="notice",
            object_id=notice_id, before={"state": "ready"},
            after={"state": "sent", "posted_on": posted_on.isoformat()},
        )
