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
from datetime import date, datetime
from typing import Any

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import in_transaction, transaction
from kefu.notifications.policy import OPEN_STATES, check_owe, notice_locale
from kefu.notifications.shipped import needs_letter_with_sms
from kefu.notifications.tables import Notice

log = logging.getLogger("kefu.notifications")


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

    Dates in `data` are stored as ISO strings; templates format them with `|date`. An SMS of a
    kind an SMS cannot carry (the decision notice) also owes the same notice as a letter
    (unique key `<key>:letter`), made into a PDF and shown as to be posted until it is.
    """
    check_owe(kind, subject_type, channel, unique_key)
    if not await in_transaction():
        raise RuntimeError("owe_notice must run inside the transaction of the change that owes it")
    payload = json.dumps(data, default=_json_default, ensure_ascii=False)
    if channel == "sms" and needs_letter_with_sms(kind):
        await _insert(Notice(
            tenant=tenant_id, kind=kind, subject_type=subject_type, subject_id=subject_id,
            recipient_name=recipient.name[:200], recipient_address=recipient.postal_address,
            locale=notice_locale(recipient.locale), channel="letter", data=payload, due_on=due_on,
            unique_key=f"{unique_key}:letter"[:200], state="pending", attempts=0,
            next_attempt_at=clock.now(), created_at=clock.now(),
        ))
    row = Notice(
        tenant=tenant_id, kind=kind, subject_type=subject_type, subject_id=subject_id,
        recipient_name=recipient.name[:200], recipient_email=recipient.email.strip()[:254],
        recipient_phone=recipient.phone.strip()[:40], recipient_address=recipient.postal_address,
        locale=notice_locale(recipient.locale),
        channel=channel, data=payload, due_on=due_on, unique_key=unique_key, state="pending",
        attempts=0, next_attempt_at=clock.now(), created_at=clock.now(),
    )
    return await _insert(row)


async def _insert(row: Notice) -> int | None:
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
        check_owe(kind, subject_type, n.channel, n.unique_key)
    sql = _BULK_PG if is_postgres() else _BULK_SQLITE
    now = clock.now()
    ids: list[int] = []
    for start in range(0, len(notices), chunk):
        rows = [{
            "subject_id": n.subject_id, "recipient_name": n.recipient.name[:200],
            "recipient_email": n.recipient.email.strip()[:254], "recipient_phone": n.recipient.phone.strip()[:40],
            "recipient_address": n.recipient.postal_address,
            "locale": notice_locale(n.recipient.locale),
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


async def release_waiting(tenant_id: int, channel: str) -> list[int]:
    """The channel is configured now: its waiting notices are due again."""
    async with transaction(tenant_id):
        rows = await (
            Notice.update({Notice.state: "pending", Notice.next_attempt_at: clock.now()})
            .where(Notice.tenant == tenant_id, Notice.state == "waiting", Notice.channel == channel)
            .returning(Notice.id)
        )
    return [r["id"] for r in rows]


async def move_owed_due(
    tenant_id: int, subject_type: str, subject_id: int, moves: dict[date, date]
) -> int:
    """Notices still owed about one subject move with their deadline: each not yet sent whose
    due day is a key of `moves` gets its value (a holiday schedule change moved the deadline).
    Inside the caller's transaction. Returns how many moved."""
    moved = 0
    for old, new in moves.items():
        if old == new:
            continue
        rows = await scoped(Notice, tenant_id, Notice.id).where(
            Notice.subject_type == subject_type, Notice.subject_id == subject_id,
            Notice.due_on == old, Notice.state.is_in(list(OPEN_STATES)),
        )
        if rows:
            await Notice.update({Notice.due_on: new}).where(
                Notice.tenant == tenant_id, Notice.id.is_in([r["id"] for r in rows]))
            moved += len(rows)
    return moved
