"""Demo notices for `kefu demo`: the outbox of a demo tenant shows every delivery state.

The other demos owe their notices through the services (a complaint's statutory notices, a
survey round's invitations); this one takes some of those still undelivered and gives each the
outcome delivery would have given it, so a newcomer sees what each state looks like: waiting
for the tenant's sending hours (pending), no SMS provider set up (waiting), a provider's
flow control (failed, retried), a number the provider refuses (failed for good), a letter
made and waiting to be posted (ready) and one posted (sent). Nothing is marked sent that no
provider accepted: the one "sent" here is a letter staff recorded as posted, through the same
service the outbox page uses. Dated from the day the demo is loaded; loading twice adds nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction
from kefu.notifications import channels, delivery, policy
from kefu.notifications.queries.settings import delivery_config
from kefu.notifications.services import render_notice
from kefu.notifications.services.notices import mark_posted
from kefu.notifications.tables import Notice
from kefu.notifications.templating import TemplateProblem

log = logging.getLogger("kefu.demo")

# What Aliyun SMS answers, as its documentation gives the codes (kefu.notifications.aliyun).
FLOW_CONTROL = "Aliyun SMS isv.BUSINESS_LIMIT_CONTROL: 触发分钟级流控Permits:1"
BAD_NUMBER = "Aliyun SMS isv.MOBILE_NUMBER_ILLEGAL: 非法手机号"


async def _open(tenant_id: int, channel: str, count: int, taken: set[int]) -> list[dict[str, Any]]:
    rows = await scoped(
        Notice, tenant_id, Notice.id, Notice.kind, Notice.channel, Notice.locale, Notice.data,
        Notice.due_on, Notice.recipient_name, Notice.attempts,
    ).where(Notice.channel == channel, Notice.state.is_in(["pending", "waiting"])).order_by(Notice.id)
    return [r for r in rows if r["id"] not in taken][:count]


async def _rendered(tenant: TenantRow, row: dict[str, Any]) -> dict[Any, Any]:
    """The subject and text an attempt would have rendered (kept with the outcome)."""
    data = json.loads(row["data"]) if isinstance(row["data"], str) else (row["data"] or {})
    try:
        wording = await render_notice(
            tenant.id, kind=row["kind"], locale=row["locale"], channel=row["channel"], data=data,
            recipient_name=row["recipient_name"], tenant_name=tenant.name, due_on=row["due_on"],
            today=clock.today_in(tenant.timezone))
    except TemplateProblem:
        return {}
    return {Notice.rendered_subject: wording.subject, Notice.rendered_body: wording.body}


async def _outcome(tenant: TenantRow, row: dict[str, Any], values: dict[Any, Any]) -> None:
    values = values | await _rendered(tenant, row)
    await Notice.update(values).where(Notice.tenant == tenant.id, Notice.id == row["id"],
                                      Notice.state.is_in(["pending", "waiting"]))


async def _next_opening(tenant: TenantRow) -> datetime:
    """When the tenant's sending hours next open after today's have ended (tomorrow morning)."""
    config = await delivery_config(tenant.id)
    tz = ZoneInfo(tenant.timezone)
    tomorrow = clock.today_in(tenant.timezone) + timedelta(days=1)
    start = datetime.combine(tomorrow, time(0), tz)
    return policy.next_send_time(start, tz, config.send_from, config.send_until)


async def _already(tenant_id: int) -> bool:
    """A second load: the refused number, or a letter made, is there already."""
    found = await scoped(Notice, tenant_id, Notice.id).where(
        (Notice.last_error == BAD_NUMBER)
        | ((Notice.channel == "letter") & Notice.state.is_in(["ready", "sent"]))
    ).first()
    return found is not None


async def load_demo(tenant: TenantRow, acting: TenantContext | None) -> int:
    """Every delivery state in the tenant's outbox; how many notices were given an outcome (0
    on a second load). `acting` (a member with notices.manage) records the posted letter."""
    async with transaction(tenant.id, write=False):
        if await _already(tenant.id):
            return 0
    now, taken, done = clock.now(), set[int](), 0
    async with transaction(tenant.id):
        sms = await _open(tenant.id, "sms", 4, taken) or await _open(tenant.id, "email", 4, taken)
        outcomes: list[dict[Any, Any]] = [
            # Owed to a customer in the evening: held until the sending hours open.
            {Notice.state: "pending", Notice.next_attempt_at: await _next_opening(tenant),
             Notice.last_error: ""},
            {Notice.state: "waiting", Notice.last_error: str(channels.SMS_NOT_CONFIGURED)},
            {Notice.state: "failed", Notice.attempts: 2, Notice.next_attempt_at: now + delivery.backoff(2),
             Notice.last_error: FLOW_CONTROL},
            {Notice.state: "dead", Notice.attempts: 1, Notice.last_error: BAD_NUMBER},
        ]
        for row, values in zip(sms, outcomes, strict=False):
            taken.add(row["id"])
            await _outcome(tenant, row, values)
            done += 1
        letters = await _open(tenant.id, "letter", 2, taken)
    # Letters go the real way: the PDF is made (ready), and one is recorded as posted today.
    for n, row in enumerate(letters):
        if await delivery.deliver(tenant.id, row["id"]) != "ready":
            continue
        done += 1
        if n == 1 and acting is not None:
            try:
                await mark_posted(acting, row["id"], clock.today_in(tenant.timezone))
            except FieldError as exc:  # the rules moved on; the demo keeps what it has
                log.warning("demo letter %s: not marked posted: %s", row["id"], exc)
    return done
