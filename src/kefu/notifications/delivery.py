"""Delivering one notice: claim it, send it, record the outcome; and the sweep that guarantees it.

The claim is a conditional UPDATE: only the worker whose `UPDATE … WHERE state IN ('pending',
'failed') AND next_attempt_at <= now` changed the row sends it, so a notice delivered twice or
concurrently goes out once. The claim also pushes next_attempt_at out by a lease: if the worker
dies mid-send, the sweep finds the notice due again when the lease ends (at-least-once — a mail
that left just before the crash may go out twice; nothing is lost).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications import channels, policy, shipped, sms, templating
from kefu.notifications.channels import DeliveryFailed, NotConfigured, Outgoing, Receipt
from kefu.notifications.queries.settings import DeliveryConfig, delivery_config
from kefu.notifications.services import render_notice
from kefu.notifications.services.outbox import release_waiting
from kefu.notifications.tables import Notice
from kefu.notifications.templating import TemplateProblem
from kefu.tenancy.queries import active_tenant_ids, get_tenant

log = logging.getLogger("kefu.notifications")

CLAIMABLE = ["pending", "failed"]
LEASE = timedelta(minutes=5)  # well above the SMTP timeout
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=2)  # 2, 8, 32, 128 minutes between the five attempts
SWEEP_BATCH = 200
CLAIM_COLUMNS = (
    Notice.id, Notice.kind, Notice.channel, Notice.locale, Notice.attempts, Notice.data,
    Notice.due_on, Notice.recipient_name, Notice.recipient_email, Notice.recipient_phone,
    Notice.recipient_address,
)


def backoff(attempts: int) -> timedelta:
    return BACKOFF * 4 ** (max(attempts, 1) - 1)


async def _claim_row(tenant_id: int, notice_id: int) -> dict[str, Any] | None:
    now = clock.now()
    rows = await (
        Notice.update({Notice.attempts: Notice.attempts + 1, Notice.next_attempt_at: now + LEASE})
        .where(
            Notice.tenant == tenant_id, Notice.id == notice_id,
            Notice.state.is_in(CLAIMABLE), Notice.next_attempt_at <= now,
        )
        .returning(*CLAIM_COLUMNS)
    )
    return rows[0] if rows else None


@dataclass(frozen=True)
class Claimed:
    row: dict[str, Any]
    out: Outgoing | None  # None: the template does not render (`problem` says why)
    problem: str
    config: DeliveryConfig
    retry: bool = False  # the render ran out of time: a later attempt may not


def _params(context: dict[str, Any]) -> dict[str, str]:
    """The notice's variables as an SMS provider's template takes them: text values only."""
    return {k: str(v) for k, v in context.items() if isinstance(v, str | int) and not isinstance(v, bool) and v != ""}


async def _defer(tenant_id: int, row: dict[str, Any], opens: datetime) -> None:
    """Outside the tenant's sending hours: give the attempt back and wait for the window."""
    await Notice.update({Notice.attempts: row["attempts"] - 1, Notice.next_attempt_at: opens}).where(
        Notice.tenant == tenant_id, Notice.id == row["id"]
    )


def _quiet_until(row: dict[str, Any], config: DeliveryConfig, tz: ZoneInfo) -> datetime | None:
    if row["channel"] == "letter" or not shipped.to_customer(row["kind"]):
        return None
    now = clock.now()
    opens = policy.next_send_time(now, tz, config.send_from, config.send_until)
    return opens if opens > now else None


async def claim(tenant_id: int, notice_id: int) -> Claimed | None:
    """Take the notice if it is due, inside the sending hours when it goes to a customer, and
    nobody else has; render it in the same transaction. None when there is nothing to do."""
    async with transaction(tenant_id):
        row = await _claim_row(tenant_id, notice_id)
        if row is None:
            return None
        tenant = await get_tenant(tenant_id)
        assert tenant is not None  # the notice's tenant: a foreign key
        config = await delivery_config(tenant_id)
        tz = ZoneInfo(tenant.timezone)
        opens = _quiet_until(row, config, tz)
        if opens is not None:
            await _defer(tenant_id, row, opens)
            return None
        today = clock.now().astimezone(tz).date()
        row["tz"] = tz
        data = json.loads(row["data"]) if isinstance(row["data"], str) else (row["data"] or {})
        context = templating.notice_context(
            data, tenant_name=tenant.name, recipient_name=row["recipient_name"], due_on=row["due_on"], today=today
        )
        try:
            wording = await render_notice(
                tenant_id, kind=row["kind"], locale=row["locale"], channel=row["channel"], data=data,
                recipient_name=row["recipient_name"], tenant_name=tenant.name,
                due_on=row["due_on"], today=today,
            )
        except TemplateProblem as exc:
            return Claimed(row, None, f"template {exc.field}: {exc.detail}", config, retry=exc.over_budget)
    out = Outgoing(
        tenant_id=tenant_id, notice_id=row["id"], kind=row["kind"], locale=row["locale"],
        tenant_name=tenant.name, recipient_name=row["recipient_name"],
        recipient_email=row["recipient_email"], recipient_phone=row["recipient_phone"],
        recipient_address=row["recipient_address"], wording=wording, today=today, params=_params(context),
    )
    return Claimed(row, out, "", config)


async def _send(channel: str, out: Outgoing, config: DeliveryConfig) -> tuple[str, bytes | None, Receipt | None]:
    if channel == "email":
        return "sent", None, await channels.send_email(out)
    if channel == "sms":
        return "sent", None, await sms.send_sms(out, config.sms)
    return "ready", await channels.render_letter(out), None  # sent when staff mark it posted


async def deliver(tenant_id: int, notice_id: int) -> str | None:
    """Deliver one notice if it is due; the state it ends in, or None if not ours to send."""
    claimed = await claim(tenant_id, notice_id)
    if claimed is None:
        return None
    row, out = claimed.row, claimed.out
    if out is None:
        # Wording that cannot render is dead at once; wording stopped by the clock on a busy
        # machine is tried again later, like a channel's failure.
        dead = not claimed.retry or row["attempts"] >= MAX_ATTEMPTS
        return await _record(tenant_id, row, None, "dead" if dead else "failed", claimed.problem)
    try:
        state, document, receipt = await _send(row["channel"], out, claimed.config)
    except NotConfigured as exc:
        return await _record(tenant_id, row, out, "waiting", exc.reason)
    except DeliveryFailed as exc:
        dead = exc.permanent or row["attempts"] >= MAX_ATTEMPTS
        return await _record(tenant_id, row, out, "dead" if dead else "failed", exc.reason)
    except Exception as exc:  # an adapter's bug must not leave the notice claimed until the lease ends
        log.exception("notice %s/%s: delivery raised", tenant_id, notice_id)
        dead = row["attempts"] >= MAX_ATTEMPTS
        return await _record(tenant_id, row, out, "dead" if dead else "failed", f"{type(exc).__name__}: {exc}")
    return await _record(tenant_id, row, out, state, "", document, receipt)


async def _record(
    tenant_id: int, row: dict[str, Any], out: Outgoing | None, state: str, error: str,
    document: bytes | None = None, receipt: Receipt | None = None,
) -> str:
    now = clock.now()
    values: dict[Any, Any] = {Notice.state: state, Notice.last_error: error[:2000]}
    if receipt is not None:
        values |= {Notice.provider: receipt.provider, Notice.provider_ref: receipt.reference[:100]}
    if state == "waiting":  # not an attempt: the channel has no provider to try
        values[Notice.attempts] = row["attempts"] - 1
    if out is not None:
        values |= {Notice.rendered_subject: out.wording.subject, Notice.rendered_body: out.wording.body}
    if state == "sent":
        values |= {Notice.sent_at: now, Notice.sent_on: now.astimezone(row["tz"]).date()}
    if state == "failed":
        values[Notice.next_attempt_at] = now + backoff(row["attempts"])
    if document is not None:
        values[Notice.document] = document
    async with transaction(tenant_id):
        # Only our own claim: the same attempt, still unsent.
        changed = await (
            Notice.update(values)
            .where(
                Notice.tenant == tenant_id, Notice.id == row["id"],
                Notice.state.is_in(CLAIMABLE), Notice.attempts == row["attempts"],
            )
            .returning(Notice.id)
        )
        if changed and state not in ("failed", "waiting"):
            await audit.record(
                tenant_id=tenant_id, actor_id=None, action=f"notice.{state}", object_type="notice",
                object_id=row["id"], after={
                    "channel": row["channel"], "attempts": row["attempts"], "error": error or None,
                    "provider": receipt.provider if receipt else None,
                },
            )
    if error:
        log.warning("notice %s/%s attempt %s: %s (%s)", tenant_id, row["id"], row["attempts"], state, error)
    return state


async def due_ids(tenant_id: int, limit: int = SWEEP_BATCH) -> list[int]:
    async with transaction(tenant_id, write=False):
        rows = await (
            scoped(Notice, tenant_id, Notice.id)
            .where(Notice.state.is_in(CLAIMABLE), Notice.next_attempt_at <= clock.now())
            .order_by(Notice.next_attempt_at)
            .limit(limit)
        )
    return [r["id"] for r in rows]


async def sweep() -> int:
    """Enqueue every due pending or failed notice, tenant by tenant (RLS needs the tenant set)."""
    from kefu.workers.registry import enqueue

    total = 0
    email_ready = channels.email_configured()
    for tenant_id in await active_tenant_ids():
        if email_ready:
            await release_waiting(tenant_id, "email")
        for notice_id in await due_ids(tenant_id):
            await enqueue("deliver_notice", tenant_id, notice_id)
            total += 1
    return total
