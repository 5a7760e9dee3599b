"""The online method (art. 23(1)): a task that comes to it sends the customer a survey-style page
with the campaign's questions (kefu.surveys.services.direct: one round per campaign, one
invitation per task, the link by SMS or e-mail); the customer answers on their phone without
signing in, and the answer completes the task with a locked record (art. 25), written by nobody
on the staff and kept for the pack's retention period.

When: at once when a task falls back to online (services.tasks, in the attempt's transaction);
tasks that start online (a campaign's bulk tasks, the API) are sent by the sweep. The answer is
heard at once (surveys' listener, in its own transaction); the sweep also catches up any answer
whose listener did not finish (a crash between the two commits). Both are idempotent: one
invitation per task (a unique index), one record per task, `answered_at` claimed once."""

from __future__ import annotations

import json
import logging
from typing import Any

from kefu.audit import services as audit
from kefu.callbacks.policy import online as rules
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.records import retain_until
from kefu.callbacks.tables import CallbackCampaign, CallbackOnline, CallbackRecord, CallbackTask
from kefu.core import clock
from kefu.core.scoping import scoped, scoped_objects
from kefu.core.tenancy import TenantRow
from kefu.db import is_postgres, transaction
from kefu.surveys.queries.direct import answers_of
from kefu.surveys.schemas.direct import Answered, DirectInvitee
from kefu.surveys.services import direct
from kefu.tenancy.queries import get_tenant

log = logging.getLogger("kefu.callbacks.online")
SWEEP_BATCH = 200


async def _lock_task(tenant_id: int, task_id: int) -> CallbackTask:
    """The task, locked for this transaction on PostgreSQL (services.tasks calls send_online, so
    this module does not import it back)."""
    query = scoped_objects(CallbackTask, tenant_id).where(CallbackTask.id == task_id)
    task = await (query.lock_rows() if is_postgres() else query).first()
    assert task is not None
    return task


async def _campaign(tenant_id: int, campaign_id: int | None) -> dict[str, Any] | None:
    if campaign_id is None:
        return None
    query = scoped(CallbackCampaign, tenant_id, CallbackCampaign.id, CallbackCampaign.title,
                   CallbackCampaign.kind, CallbackCampaign.questions).where(CallbackCampaign.id == campaign_id)
    if is_postgres():  # one round per campaign: a second task waits for the first's round
        query = query.lock_rows()
    rows = await query
    return rows[0] if rows else None


async def _round_of(tenant: TenantRow, task: CallbackTask, campaign: dict[str, Any] | None) -> int:
    """The campaign's round, made with its first online task; a task without one gets its own."""
    if campaign is not None:
        found = await scoped(CallbackOnline, tenant.id, CallbackOnline.round_id).where(
            CallbackOnline.campaign == campaign["id"]).order_by(CallbackOnline.id).first()
        if found is not None:
            return int(found["round_id"])
    pack = callbacks_for(tenant.kind)
    kind = pack.kinds.get(task.kind)
    kind_name = kind.name if kind else task.kind
    raw = (campaign or {}).get("questions") or "[]"
    questions = rules.questions_for(json.loads(raw) if isinstance(raw, str) else raw)
    title = f"回访 · {campaign['title']}" if campaign else f"回访 · {kind_name} · {task.customer_name}"
    today = clock.today_in(tenant.timezone)
    return await direct.start_round(tenant, title=title, questions=questions,
                                    closes_at=rules.closes_at(task.due_on, today, tenant.timezone))


async def send_online(tenant: TenantRow, task: CallbackTask) -> CallbackOnline | None:
    """Invite the task's customer to answer online, once; None if already sent. In the
    caller's transaction (a savepoint), the task locked by the caller or by the sweep's claim."""
    async with transaction(tenant.id):
        sent = await scoped_objects(CallbackOnline, tenant.id).where(CallbackOnline.task == task.id).first()
        if sent is not None:
            return None
        campaign = await _campaign(tenant.id, task.campaign)
        round_id = await _round_of(tenant, task, campaign)
        today = clock.today_in(tenant.timezone)
        person = DirectInvitee(name=task.customer_name or "—", customer_id=task.customer, phone=task.customer_phone,
                               locale=str(tenant.locale or "zh_CN"))
        invitation_id, _token = await direct.invite(tenant, round_id, person,
                                                    rules.closes_at(task.due_on, today, tenant.timezone))
        row = CallbackOnline(tenant=tenant.id, task=task.id, campaign=task.campaign, round_id=round_id,
                             invitation_id=invitation_id, channel="sms" if task.customer_phone else "none",
                             sent_at=clock.now())
        await row.save()
        await audit.record(tenant_id=tenant.id, actor_id=None, action="callback_task.online_sent",
                           object_type="callback_task", object_id=task.id,
                           after={"round_id": round_id, "invitation_id": invitation_id, "channel": row.channel})
    return row


# Rounds that send no callback's questions, as this process has seen: most answers are to
# ordinary surveys, and the answer page (the hot path) need not ask each time. A callback
# round's every invitation is written with its link row (send_online, one transaction), so a
# round with an answered invitation that has none is an ordinary round, for good.
_ORDINARY_ROUNDS: set[tuple[int, int]] = set()
_ORDINARY_KEPT = 10_000


async def complete_from_answer(event: Answered) -> bool:
    """The customer's answer to a task's questionnaire: the task done, its record submitted and
    locked with the answers. False when the invitation is not a callback's, or was heard already."""
    if (event.tenant_id, event.round_id) in _ORDINARY_ROUNDS:
        return False
    async with transaction(event.tenant_id):
        link = await scoped_objects(CallbackOnline, event.tenant_id).where(
            CallbackOnline.invitation_id == event.invitation_id).first()
        if link is None:
            if len(_ORDINARY_ROUNDS) >= _ORDINARY_KEPT:
                _ORDINARY_ROUNDS.clear()
            _ORDINARY_ROUNDS.add((event.tenant_id, event.round_id))
            return False
        claimed = await CallbackOnline.update({CallbackOnline.answered_at: clock.now()}).where(
            CallbackOnline.tenant == event.tenant_id, CallbackOnline.id == link.id,
            CallbackOnline.answered_at.is_null()).returning(CallbackOnline.id)
        if not claimed:
            return False
        tenant = await get_tenant(event.tenant_id)
        assert tenant is not None
        await _finish(tenant, link.task, event)
    return True


async def _finish(tenant: Any, task_id: int, event: Answered) -> None:
    task = await _lock_task(tenant.id, task_id)
    record = await scoped_objects(CallbackRecord, tenant.id).where(CallbackRecord.task == task.id).first()
    if task.status != "open" or (record is not None and record.status == "submitted"):
        return  # done another way first: the answer stays in the survey round
    campaign = await _campaign(tenant.id, task.campaign)
    raw = (campaign or {}).get("questions") or "[]"
    codes = [q.key for q in rules.questions_for(json.loads(raw) if isinstance(raw, str) else raw)]
    now = clock.now()
    today = clock.today_in(tenant.timezone)
    if record is None:
        record = CallbackRecord(tenant=tenant.id, task=task.id, campaign=task.campaign, kind=task.kind,
                                customer=task.customer, customer_name=task.customer_name, reference=task.reference,
                                created_at=now)
    record.method, record.written_by = rules.ONLINE, None
    record.answers = json.dumps(rules.record_answers(event.answers, codes), ensure_ascii=False)
    record.callback_on, record.updated_at = today, now
    record.status, record.locked_at = "submitted", now
    record.retain_until = retain_until(today, callbacks_for(tenant.kind).retention_years)
    await record.save()
    task.status, task.done_at, task.last_outcome = "done", now, "reached"
    await task.save([CallbackTask.status, CallbackTask.done_at, CallbackTask.last_outcome])
    await audit.record(tenant_id=tenant.id, actor_id=None, action="callback_record.submit",
                       object_type="callback_record", object_id=record.id,
                       after={"task_id": task.id, "method": rules.ONLINE, "survey_response_id": event.response_id,
                              "answers": json.loads(record.answers), "callback_on": today.isoformat()})


async def sweep_online(tenant: TenantRow) -> int:
    """Send the link of open online tasks that have none (their day come), then catch up answers
    not yet heard; how many were sent or completed."""
    today = clock.today_in(tenant.timezone)
    done = 0
    async with transaction(tenant.id, write=False):
        pending = await scoped(CallbackTask, tenant.id, CallbackTask.id).where(
            CallbackTask.status == "open", CallbackTask.method == rules.ONLINE, CallbackTask.opens_on <= today,
            CallbackTask.id.not_in(scoped(CallbackOnline, tenant.id, CallbackOnline.task)),
        ).order_by(CallbackTask.due_on, CallbackTask.id).limit(SWEEP_BATCH)
    for row in pending:
        async with transaction(tenant.id):
            task = await _lock_task(tenant.id, row["id"])
            if task.status == "open" and task.method == rules.ONLINE and await send_online(tenant, task):
                done += 1
    async with transaction(tenant.id, write=False):
        unheard = await scoped(CallbackOnline, tenant.id, CallbackOnline.invitation_id).where(
            CallbackOnline.answered_at.is_null(), CallbackOnline.task.status == "open",
        ).limit(5000)
        answered = await answers_of(tenant.id, [r["invitation_id"] for r in unheard])
    for event in answered.values():
        done += await complete_from_answer(event)
    return done


async def _listen(event: Answered) -> None:
    await complete_from_answer(event)


direct.on_answer(_listen)
