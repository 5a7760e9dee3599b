"""Completing a duty task with its evidence: a note, a ticked checklist or an uploaded file, as
the pack's duty states. Record-evidence tasks close themselves (services.sweep)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy import tasks as rules
from kefu.duties.queries.config import pack_of
from kefu.duties.services import files
from kefu.duties.tables import DutyTask

MANAGE = "duties.board"


async def _lock(tenant_id: int, task_id: int) -> DutyTask:
    # Lock the row first (a no-op UPDATE), then read it: of two completions of the same task
    # the second waits and then sees it done.
    await DutyTask.update({DutyTask.status: DutyTask.status}).where(
        DutyTask.tenant == tenant_id, DutyTask.id == task_id)
    return await get_in_tenant(DutyTask, tenant_id, task_id)


async def complete_task(
    ctx: TenantContext, task_id: int, *, note: str = "", checks: Sequence[int] = (),
    upload: files.Upload | None = None,
) -> DutyTask:
    """Mark a task done with the evidence its duty asks for. Raises FieldError (note, checks,
    file), Refused (task_done, task_record, task_not_yours), 404."""
    pack = await pack_of(ctx.tenant_id, ctx.tenant.kind)
    async with transaction(ctx.tenant_id):
        task = await _lock(ctx.tenant_id, task_id)
        why = rules.refusal(task.status, task.evidence_kind, is_assignee=task.assignee == ctx.user.id,
                            can_manage=ctx.can(MANAGE))
        if why is not None:
            raise why
        found = pack.duty(task.duty_code)
        items = len(found[1].checklist) if found else 0
        kind = task.evidence_kind
        task.evidence_note = rules.clean_note(note, required=kind == "note")
        if kind == "checklist":
            task.evidence_checks = json.dumps(rules.check_checks(checks, items))
        if kind == "upload":
            if upload is None:
                raise FieldError("file", "This field is required.")
            task.evidence_ref = await files.store(ctx.tenant_id, "duty_task", task.id, upload)
        task.status, task.done_by, task.done_at = "done", ctx.user.id, clock.now()
        task.done_on = clock.today_in(ctx.tenant.timezone)
        await task.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="duty_task.complete", object_type="duty_task",
            object_id=task.id, after={"evidence": kind, "note_chars": len(task.evidence_note),
                                      "ref": task.evidence_ref, "period": task.period_key},
        )
    return task
