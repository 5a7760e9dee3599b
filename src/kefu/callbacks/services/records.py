"""Written records (art. 25): one per task, kept as a draft until submitted. Submitting locks
it and ends the task (done); a locked record is never edited again: a correction is an
addendum, written to the audit log with the record's value it corrects. Attachments (the
signed on-site form) are stored through kefu.core.files under var/callbacks."""

from __future__ import annotations

import json

from kefu.audit import services as audit
from kefu.callbacks import schemas
from kefu.callbacks.policy import records as rules
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.services.tasks import WORK, check_may_work, lock_task
from kefu.callbacks.tables import (
    CallbackAddendum,
    CallbackCampaign,
    CallbackFile,
    CallbackRecord,
    CallbackTask,
)
from kefu.core import clock, files
from kefu.core.errors import Refused
from kefu.core.files import Upload
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.services import require_cleared

AREA = "callbacks"
MANAGE = "callbacks.manage"


async def questions_of(tenant_id: int, campaign_id: int | None) -> list[dict[str, str]]:
    """The campaign's questions ([{code, text}]), none for a task without a campaign."""
    if campaign_id is None:
        return []
    rows = await scoped(CallbackCampaign, tenant_id, CallbackCampaign.questions).where(CallbackCampaign.id == campaign_id)
    value = rows[0]["questions"] if rows else "[]"
    return list(json.loads(value) if isinstance(value, str) else value)


async def _record_of(tenant_id: int, task_id: int) -> CallbackRecord | None:
    return await scoped_objects(CallbackRecord, tenant_id).where(CallbackRecord.task == task_id).first()


async def save_record(ctx: TenantContext, task_id: int, data: schemas.RecordInput, *, submit: bool = False) -> CallbackRecord:
    """Write (or rewrite) the task's draft record; with `submit`, lock it and close the task.
    Raises Refused (record_locked, task_closed, not_yours, training_missing), 403, 404."""
    ctx.require(WORK)
    await require_cleared(ctx, ctx.user.id, WORK)
    today = clock.today_in(ctx.tenant.timezone)
    async with transaction(ctx.tenant_id):
        task = await lock_task(ctx.tenant_id, task_id)
        record = await _record_of(ctx.tenant_id, task.id)
        if record is not None and (why := rules.edit_refusal(record.status)):
            raise why
        check_may_work(ctx, task)
        if record is None:
            record = CallbackRecord(tenant=ctx.tenant_id, task=task.id, campaign=task.campaign, kind=task.kind,
                                    customer=task.customer, customer_name=task.customer_name,
                                    reference=task.reference, created_at=clock.now())
        record.method, record.written_by = task.method, ctx.user.id
        record.answers = json.dumps(data.answers, ensure_ascii=False)
        record.notes, record.recording_ref = data.notes, data.recording_ref
        record.callback_on = data.callback_on or today
        record.updated_at = clock.now()
        if submit:
            record.status, record.locked_at = "submitted", clock.now()
            record.retain_until = rules.retain_until(record.callback_on, callbacks_for(ctx.tenant.kind).retention_years)
        await record.save()
        if submit:
            await _finish_task(ctx, task, record)
    return record


async def _finish_task(ctx: TenantContext, task: CallbackTask, record: CallbackRecord) -> None:
    task.status, task.done_at = "done", clock.now()
    if task.owner is None:
        task.owner = ctx.user.id
    await task.save([CallbackTask.status, CallbackTask.done_at, CallbackTask.owner])
    await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_record.submit",
                       object_type="callback_record", object_id=record.id,
                       after={"task_id": task.id, "method": record.method, "notes": record.notes,
                              "answers": json.loads(record.answers) if isinstance(record.answers, str) else record.answers,
                              "recording_ref": record.recording_ref, "callback_on": record.callback_on.isoformat()})


def _current(record: CallbackRecord, field: str) -> str:
    if field.startswith("answer_"):
        answers = json.loads(record.answers) if isinstance(record.answers, str) else record.answers
        return str(answers.get(field.removeprefix("answer_"), ""))
    return str(getattr(record, field))


async def amend_record(ctx: TenantContext, record_id: int, field: str, text: str) -> CallbackAddendum:
    """A correction to a submitted record, by its writer or a manager; the record itself stays
    as submitted. Raises Refused (record_not_submitted, not_yours), 403, 404."""
    ctx.require(WORK)
    async with transaction(ctx.tenant_id):
        record = await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
        if why := rules.amend_refusal(record.status):
            raise why
        if record.written_by != ctx.user.id and not ctx.can(MANAGE):
            raise Refused("not_yours", "This callback belongs to someone else.")
        row = CallbackAddendum(tenant=ctx.tenant_id, record=record.id, field=field, text=text, by=ctx.user.id,
                               created_at=clock.now())
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_record.amend",
                           object_type="callback_record", object_id=record.id,
                           before={"field": field, "value": _current(record, field)},
                           after={"field": field, "addendum": text, "addendum_id": row.id})
    return row


async def attach_file(ctx: TenantContext, record_id: int, upload: Upload) -> CallbackFile:
    """An attachment to a record (a draft, or a submitted one as part of its correction trail:
    files are only ever added). Raises FieldError (file), Refused (not_yours), 403, 404."""
    ctx.require(WORK)
    async with transaction(ctx.tenant_id):
        record = await get_in_tenant(CallbackRecord, ctx.tenant_id, record_id)
        if record.written_by != ctx.user.id and not ctx.can(MANAGE):
            raise Refused("not_yours", "This callback belongs to someone else.")
        ref, name = files.store(AREA, ctx.tenant_id, record.id, upload)
        row = CallbackFile(tenant=ctx.tenant_id, record=record.id, file_ref=ref,
                           filename=name, size=len(upload.data), by=ctx.user.id, created_at=clock.now())
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_record.attach",
                           object_type="callback_record", object_id=record.id,
                           after={"file_id": row.id, "filename": name, "size": row.size,
                                  "locked": record.status == "submitted"})
    return row


def open_file(ref: str) -> tuple[bytes, str, str] | None:
    """The bytes, name and type of a stored reference; None if it is not a stored file."""
    return files.open_stored(AREA, ref)


