"""Campaigns (art. 23(2)): create one (draft until its day, or opened at once), and open it:
its tasks are made in bulk, one parameterised INSERT per batch, in the transaction that claims
the draft with a conditional UPDATE, so a campaign opens once however many schedulers tick."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from kefu.audit import services as audit
from kefu.callbacks import schemas
from kefu.callbacks.policy.pack import CallbackPack, callbacks_for
from kefu.callbacks.policy.tasks import COLUMNS, NewTask
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.complaints.queries import closed_between
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.imports import BATCH, insert_rows
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.customers.queries import audience
from kefu.db import is_postgres, transaction
from kefu.tenancy.queries import is_active_member

MANAGE = "callbacks.manage"


async def create_campaign(ctx: TenantContext, data: schemas.CampaignInput,
                          listed: list[dict[str, Any]] | None = None) -> CallbackCampaign:
    """A campaign; it opens (makes its tasks) now if `opens_on` is today or past, else the
    scheduler opens it on the day. `listed`: an uploaded list's rows ({name, phone, reference,
    customer_id}). Raises FieldError (manager_id, list), 403 (callbacks.manage)."""
    ctx.require(MANAGE)
    if data.target == "list" and not listed:
        raise FieldError("list", "Upload the list of customers to call back.")
    target: dict[str, Any] = {"source": data.target}
    if data.target == "segment":
        target["segment"] = data.segment
    elif data.target == "complaints":
        assert data.closed_from and data.closed_to
        target |= {"closed_from": data.closed_from.isoformat(), "closed_to": data.closed_to.isoformat()}
    elif data.target == "list":
        target["rows"] = listed
    async with transaction(ctx.tenant_id):
        if data.manager_id is not None and not await is_active_member(ctx.tenant_id, data.manager_id):
            raise FieldError("manager_id", "Choose one of the listed values.")
        row = CallbackCampaign(
            tenant=ctx.tenant_id, kind=data.kind, title=data.title, plan=data.plan, opens_on=data.opens_on,
            window_start=data.window_start, window_end=data.window_end, target=json.dumps(target, ensure_ascii=False),
            script=data.script, questions=json.dumps(data.questions, ensure_ascii=False), focus=data.focus,
            manager=data.manager_id, methods=json.dumps(data.methods), attempt_limit=data.attempt_limit,
            created_by=ctx.user.id, created_at=clock.now(),
        )
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_campaign.create",
                           object_type="callback_campaign", object_id=row.id,
                           after={"kind": data.kind, "title": data.title, "target": data.target,
                                  "opens_on": data.opens_on.isoformat(), "methods": data.methods})
        if data.opens_on <= clock.today_in(ctx.tenant.timezone):
            await open_campaign(ctx.tenant_id, ctx.tenant.kind, row.id, actor_id=ctx.user.id)
            await row.refresh()
    return row


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _targets(tenant_id: int, target: dict[str, Any]) -> list[dict[str, Any]]:
    """The people a campaign calls back: {customer_id, name, phone, reference}."""
    source = target.get("source")
    if source == "segment":
        found = await audience.active_customers(tenant_id, segment=target["segment"])
        return [{"customer_id": c["id"], "name": c["name"], "phone": c["phone"], "reference": ""} for c in found]
    if source == "complaints":
        rows = await closed_between(tenant_id, date.fromisoformat(target["closed_from"]),
                                    date.fromisoformat(target["closed_to"]))
        return [{"customer_id": r["customer_id"], "name": r["complainant_name"], "phone": r["complainant_phone"],
                 "reference": r["number"], "subject_id": r["id"]} for r in rows]
    if source == "list":
        return list(target.get("rows") or [])
    return []


def _task(campaign: dict[str, Any], n: int, person: dict[str, Any]) -> NewTask:
    subject = person.get("subject_id")
    return NewTask(
        kind=campaign["kind"], origin="campaign", methods=tuple(_loaded(campaign["methods"])),
        attempt_limit=campaign["attempt_limit"], opens_on=campaign["opens_on"], due_on=campaign["window_end"],
        campaign_id=campaign["id"], unique_key=f"campaign:{campaign['id']}:{n}",
        customer_id=person.get("customer_id"), customer_name=person.get("name") or "",
        customer_phone=person.get("phone") or "", reference=person.get("reference") or "",
        subject_type="complaint" if subject else "", subject_id=subject,
    )


# PostgreSQL: one INSERT … SELECT FROM unnest(…) per CHUNK rows, a typed array per column (a
# campaign of 100,000 tasks in five statements, not 200 of 11,500 parameters: make bench).
CHUNK = 20_000
_TYPES = {
    "tenant_id": "int", "campaign_id": "int", "customer_id": "int", "subject_id": "int", "method_index": "int",
    "attempt_limit": "int", "failed_attempts": "int", "methods": "json", "opens_on": "date", "due_on": "date",
    "created_at": "timestamptz",
}
_UNNEST = (
    f"INSERT INTO callback_task (tenant_id, {', '.join(COLUMNS[1:])}) "  # noqa: S608 - our names
    f"SELECT * FROM unnest({', '.join('{}::' + _TYPES.get(c, 'text') + '[]' for c in COLUMNS)})"
)


async def insert_tasks(tenant_id: int, pack: CallbackPack, tasks: list[NewTask]) -> int:
    """Bulk insert, in the transaction of the caller; how many were made. PostgreSQL: unnest of
    typed arrays, CHUNK rows a statement; SQLite: core.imports.insert_rows, BATCH rows."""
    now = clock.now()
    made = 0
    if is_postgres():
        for start in range(0, len(tasks), CHUNK):
            lines = [t.values(tenant_id, pack, now) for t in tasks[start:start + CHUNK]]
            await CallbackTask.raw(_UNNEST, *(list(column) for column in zip(*lines, strict=True)))
            made += len(lines)
        return made
    for start in range(0, len(tasks), BATCH):
        lines = [t.values(tenant_id, pack, now) for t in tasks[start:start + BATCH]]
        made += len(await insert_rows(CallbackTask, list(COLUMNS), lines))
    return made


async def open_campaign(tenant_id: int, tenant_kind: str, campaign_id: int, *, actor_id: int | None = None) -> int:
    """Open a draft campaign and make its tasks; 0 if it was open already (idempotent)."""
    pack = callbacks_for(tenant_kind)
    async with transaction(tenant_id):
        claimed = await CallbackCampaign.update({CallbackCampaign.status: "open", CallbackCampaign.opened_at: clock.now()}).where(
            CallbackCampaign.tenant == tenant_id, CallbackCampaign.id == campaign_id, CallbackCampaign.status == "draft",
        ).returning(CallbackCampaign.id, CallbackCampaign.kind, CallbackCampaign.methods, CallbackCampaign.attempt_limit,
                    CallbackCampaign.opens_on, CallbackCampaign.window_end, CallbackCampaign.target)
        if not claimed:
            return 0
        campaign = claimed[0]
        people = await _targets(tenant_id, _loaded(campaign["target"]))
        made = await insert_tasks(tenant_id, pack, [_task(campaign, n, p) for n, p in enumerate(people, start=1)])
        await CallbackCampaign.update({CallbackCampaign.task_count: made}).where(
            CallbackCampaign.tenant == tenant_id, CallbackCampaign.id == campaign_id)
        await audit.record(tenant_id=tenant_id, actor_id=actor_id, action="callback_campaign.open",
                           object_type="callback_campaign", object_id=campaign_id, after={"tasks": made})
    return made


async def open_due_campaigns(tenant_id: int, tenant_kind: str, today: date) -> int:
    """The scheduler's step: every draft campaign whose day has come opens. Tasks made."""
    async with transaction(tenant_id, write=False):
        due = await scoped(CallbackCampaign, tenant_id, CallbackCampaign.id).where(
            CallbackCampaign.status == "draft", CallbackCampaign.opens_on <= today,
        )
    made = 0
    for row in due:
        made += await open_campaign(tenant_id, tenant_kind, row["id"])
    return made

