"""The notification outbox, as every module uses it.

A module that owes a notice calls `owe_notice(...)` inside the transaction of the change that owes
it, and `nudge(...)` after that transaction has committed. The row is the promise: the scheduler's
`sweep_notices` delivers it even if the nudge is lost or a worker dies mid-send.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FormErrors
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import in_transaction, transaction
from kefu.notifications import templating, wordings
from kefu.notifications.tables import Notice
from kefu.notifications.templating import CHANNELS, TemplateProblem, Wording
from kefu.notifications.views import (  # noqa: F401 — part of this module's API
    ComplianceRow,
    NoticeView,
    compliance,
    notices_for,
)
from kefu.notifications.wordings import reset_template, save_template  # noqa: F401

log = logging.getLogger("kefu.notifications")
PERMISSION = "notices.manage"


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str = ""
    phone: str = ""
    postal_address: str = ""
    locale: str = "zh_CN"  # the language the notice is written in


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"notice data: {type(value).__name__} is not JSON")


def _check_owe(kind: str, subject_type: str, channel: str, unique_key: str) -> None:
    if not templating.KIND_RE.match(kind):
        raise ValueError(f"owe_notice: kind {kind!r} must match {templating.KIND_RE.pattern}")
    if channel not in CHANNELS:
        raise ValueError(f"owe_notice: channel {channel!r} is not one of {CHANNELS}")
    if not subject_type or len(subject_type) > 40:
        raise ValueError("owe_notice: subject_type must be 1-40 characters")
    if not unique_key or len(unique_key) > 200:
        raise ValueError("owe_notice: unique_key must be 1-200 characters")


async def owe_notice(
    *,
    tenant_id: int,
    kind: str,
    subject_type: str,
    subject_id: int,
    recipient: Recipient,
    channel: str,
    data: dict[str, Any],
    due_on: date | None,
    unique_key: str,
) -> int | None:
    """Write one notice row in the caller's open transaction; the id, or None if a notice with
    this `unique_key` already exists in the tenant (owing it twice writes it once).

    Dates in `data` are stored as ISO strings; templates format them with `|date`.
    """
    _check_owe(kind, subject_type, channel, unique_key)
    if not await in_transaction():
        raise RuntimeError("owe_notice must run inside the transaction of the change that owes it")
    payload = json.dumps(data, default=_json_default, ensure_ascii=False)
    row = Notice(
        tenant=tenant_id, kind=kind, subject_type=subject_type, subject_id=subject_id,
        recipient_name=recipient.name[:200], recipient_email=recipient.email.strip()[:254],
        recipient_phone=recipient.phone.strip()[:40], recipient_address=recipient.postal_address,
        locale=recipient.locale if recipient.locale in templating.LOCALES else "zh_CN",
        channel=channel, data=payload, due_on=due_on, unique_key=unique_key, state="pending",
        attempts=0, next_attempt_at=clock.now(), created_at=clock.now(),
    )
    inserted = await (
        Notice.insert(row)
        .on_conflict(target=(Notice.tenant, Notice.unique_key), action="DO NOTHING")
        .returning(Notice.id)
    )
    return inserted[0]["id"] if inserted else None


@dataclass(frozen=True)
class OwedNotice:
    """One notice of a bulk `owe_notices` call."""

    subject_id: int
    recipient: Recipient
    channel: str
    data: dict[str, Any] | str  # a str is the data already as JSON (many rows sharing most of it)
    unique_key: str


# One statement per chunk, the rows travel as one JSON parameter (no per-row round trip).
# PostgreSQL: one array per column (asyncpg sends them binary); SQLite: the rows as one JSON text.
_BULK_COLUMNS = ("subject_id", "recipient_name", "recipient_email", "recipient_phone", "recipient_address",
                 "locale", "channel", "data", "unique_key")
_BULK_PG = (
    "INSERT INTO notice (tenant_id, kind, subject_type, subject_id, recipient_name, recipient_email,"
    " recipient_phone, recipient_address, locale, channel, data, due_on, unique_key, state, attempts,"
    " next_attempt_at, last_error, rendered_subject, rendered_body, created_at)"
    " SELECT {}::integer, {}::text, {}::text, x.subject_id, x.recipient_name, x.recipient_email,"
    " x.recipient_phone, x.recipient_address, x.locale, x.channel, x.data::json, {}::date, x.unique_key,"
    " 'pending', 0, {}::timestamptz, '', '', '', {}::timestamptz"
    " FROM unnest({}::integer[], {}::text[], {}::text[], {}::text[], {}::text[], {}::text[], {}::text[],"
    " {}::text[], {}::text[]) AS x(subject_id, recipient_name, recipient_email, recipient_phone,"
    " recipient_address, locale, channel, data, unique_key)"
    " ON CONFLICT (tenant_id, unique_key) DO NOTHING RETURNING id"
)
_BULK_SQLITE = (
    "INSERT INTO notice (tenant_id, kind, subject_type, subject_id, recipient_name, recipient_email,"
    " recipient_phone, recipient_address, locale, channel, data, due_on, unique_key, state, attempts,"
    " next_attempt_at, last_error, rendered_subject, rendered_body, created_at)"
    " SELECT {}, {}, {}, x.value ->> '$.subject_id', x.value ->> '$.recipient_name',"
    " x.value ->> '$.recipient_email', x.value ->> '$.recipient_phone',"
    " x.value ->> '$.recipient_address', x.value ->> '$.locale', x.value ->> '$.channel',"
    " x.value ->> '$.data', {}, x.value ->> '$.unique_key', 'pending', 0, {}, '', '', '', {}"
    " FROM json_each({}) AS x WHERE true"
    " ON CONFLICT (tenant_id, unique_key) DO NOTHING RETURNING id"
)


async def owe_notices(
    *, tenant_id: int, kind: str, subject_type: str, notices: Sequence[OwedNotice],
    due_on: date | None = None, chunk: int = 5000,
) -> list[int]:
    """`owe_notice` for many rows at once (a survey round's 50,000 invitations), in the caller's
    open transaction: one INSERT per `chunk` rows. Returns the ids written; a row whose
    `unique_key` the tenant already has is skipped, as with owe_notice."""
    from kefu.db import is_postgres

    if not notices:
        return []
    if not await in_transaction():
        raise RuntimeError("owe_notices must run inside the transaction of the change that owes it")
    for n in notices:
        _check_owe(kind, subject_type, n.channel, n.unique_key)
    sql = _BULK_PG if is_postgres() else _BULK_SQLITE
    now = clock.now()
    ids: list[int] = []
    for start in range(0, len(notices), chunk):
        rows = [{
            "subject_id": n.subject_id, "recipient_name": n.recipient.name[:200],
            "recipient_email": n.recipient.email.strip()[:254], "recipient_phone": n.recipient.phone.strip()[:40],
            "recipient_address": n.recipient.postal_address,
            "locale": n.recipient.locale if n.recipient.locale in templating.LOCALES else "zh_CN",
            "channel": n.channel, "unique_key": n.unique_key,
            "data": n.data if isinstance(n.data, str) else json.dumps(n.data, default=_json_default, ensure_ascii=False),
        } for n in notices[start:start + chunk]]
        payload: list[Any]
        if sql is _BULK_PG:
            payload = [[r[c] for r in rows] for c in _BULK_COLUMNS]
        else:
            payload = [json.dumps(rows, ensure_ascii=False)]
        found = await Notice.raw(sql, tenant_id, kind, subject_type, due_on, now, now, *payload)
        ids += [r["id"] for r in found]
    return ids


async def nudge(tenant_id: int, notice_ids: Iterable[int | None]) -> None:
    """After commit: ask a worker to deliver now. Losing this only delays delivery to the sweep."""
    # By name: the actor lives in kefu.notifications.jobs, which depends on this module
    # (jobs -> delivery -> services), never the reverse; enqueue() loads the jobs if needed.
    from kefu.db import after_commit
    from kefu.workers.registry import enqueue

    ids = [i for i in notice_ids if i is not None]
    # Called inside the request's transaction, the nudge waits for the commit: a worker asked
    # earlier would look for a row it cannot see yet.
    if ids and after_commit(lambda: nudge(tenant_id, ids)):
        return
    for notice_id in ids:
        if notice_id is None:
            continue
        try:
            await enqueue("deliver_notice", tenant_id, notice_id)
        except Exception:
            log.warning("could not enqueue notice %s/%s; the sweep will deliver it", tenant_id, notice_id, exc_info=True)


async def render_notice(
    tenant_id: int, *, kind: str, locale: str, channel: str, data: dict[str, Any],
    recipient_name: str, tenant_name: str, due_on: date | None, today: date,
) -> Wording:
    """The subject and text of a notice, in the tenant's wording (or the default).
    Raises TemplateProblem when there is no wording or it does not render."""
    wording = await wordings.resolve(tenant_id, kind, locale, channel)
    if wording is None:
        raise TemplateProblem("body", f"no template for {kind} / {locale} / {channel}")
    context = templating.notice_context(
        data, tenant_name=tenant_name, recipient_name=recipient_name, due_on=due_on, today=today
    )
    return templating.render_wording(wording, context, locale)


def preview(
    *, kind: str, locale: str, channel: str, subject: str, body: str, tenant_name: str, today: date
) -> Wording:
    """Render unsaved template text with the kind's sample data. Raises FormErrors by field."""
    wordings.check_key(kind, locale, channel)
    subject = "" if channel == "sms" else subject
    errors = wordings.wording_errors(kind, locale, channel, subject, body)
    if not errors:
        try:
            return wordings.render_sample(kind, locale, Wording(subject, body), tenant_name=tenant_name, today=today)
        except TemplateProblem as exc:
            errors[exc.field] = i18n.gettext(wordings.TEMPLATE_ERROR, detail=exc.detail)
    raise FormErrors(errors)


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
    """Staff send a failed or dead notice again now, with a fresh set of attempts."""
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        notice = await _notice_state(ctx.tenant_id, notice_id)
        changed = await (
            Notice.update({Notice.state: "pending", Notice.attempts: 0, Notice.next_attempt_at: clock.now()})
            .where(Notice.tenant == ctx.tenant_id, Notice.id == notice_id, Notice.state.is_in(["failed", "dead"]))
            .returning(Notice.id)
        )
        if not changed:
            raise FieldError("state", "Only a failed or dead notice can be sent again.")
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
    """A letter that is ready has been posted (or faxed) on `posted_on`: it counts as sent then."""
    ctx.require(PERMISSION)
    tz_name = ctx.tenant.timezone
    if posted_on > clock.today_in(tz_name):
        raise FieldError("posted_on", "The posting date cannot be in the future.")
    async with transaction(ctx.tenant_id):
        notice = await _notice_state(ctx.tenant_id, notice_id)
        if notice["channel"] != "letter" or notice["state"] != "ready":
            raise FieldError("state", "Only a letter that is ready can be marked as posted.")
        if posted_on < notice["created_at"].astimezone(ZoneInfo(tz_name)).date():
            raise FieldError("posted_on", "The posting date cannot be before the notice was written.")
        changed = await (
            Notice.update({Notice.state: "sent", Notice.sent_at: _posted_at(posted_on, tz_name), Notice.sent_on: posted_on})
            .where(Notice.tenant == ctx.tenant_id, Notice.id == notice_id, Notice.state == "ready")
            .returning(Notice.id)
        )
        if not changed:
            raise FieldError("state", "Only a letter that is ready can be marked as posted.")
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="notice.posted", object_type="notice",
            object_id=notice_id, before={"state": "ready"},
            after={"state": "sent", "posted_on": posted_on.isoformat()},
        )


async def letter_document(tenant_id: int, notice_id: int) -> bytes | None:
    """A letter's PDF, or None if it has none (yet). Another tenant's id is a 404."""
    row = await scoped(Notice, tenant_id, Notice.document).where(Notice.id == notice_id).first()
    if row is None:
        raise NotFoundException()
    return row["document"]
