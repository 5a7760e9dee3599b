"""New-policy callbacks (新契约回访, A art. 24(1)): new policies arrive by upload or the API, and
each becomes one task of the pack's new-policy kind, due on the last day of its product's
cooling-off period (犹豫期). The tasks of one product received in one month form one open
campaign (its questions the product's checklist), so the campaign's progress and analysis show
the on-time rate inside the cooling-off period and the yearly plan counts them.

Idempotent: a policy number makes one task per tenant (unique key "policy:<number>"), however
often it is uploaded or sent. On PostgreSQL one intake at a time per tenant (a transaction
advisory lock), so two uploads of the same file cannot race to the unique index."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.audit import services as audit
from kefu.callbacks import policy_schemas
from kefu.callbacks.policy import policies as rules
from kefu.callbacks.policy.pack import CallbackPack, Product, callbacks_for
from kefu.callbacks.policy.tasks import NewTask
from kefu.callbacks.services.campaigns import insert_tasks
from kefu.callbacks.tables import CallbackCampaign, CallbackTask
from kefu.core import clock, progress
from kefu.core.files import Upload
from kefu.core.progress import Runner
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import is_postgres, transaction
from kefu.holidays.services import load_calendar
from kefu.workers.services import Job, start_job

MANAGE = "callbacks.manage"
CHUNK = 1000
IMPORTING = i18n.lazy("Importing new policies to call back")
IMPORTED = i18n.lazy("New policies: %(created)s callbacks made, %(existing)s already there.")


@dataclass
class Intake:
    created: int = 0
    existing: int = 0
    tasks: dict[str, int] = field(default_factory=dict)  # policy number -> task id (API calls only)


def pack_with_products(ctx: TenantContext) -> CallbackPack:
    """The tenant's callback pack; 404 for a kind without new-policy callbacks (property)."""
    pack = callbacks_for(ctx.tenant.kind)
    if not pack.products:
        raise NotFoundException()
    return pack


def _month(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


async def _campaign_for(ctx: TenantContext, pack: CallbackPack, product: Product, month: date,
                        last_due: date) -> int:
    """The open campaign of this product's policies received in `month`, made on first use;
    its window reaches the last due day of its tasks."""
    first, last = _month(month)
    rows = await scoped(CallbackCampaign, ctx.tenant_id, CallbackCampaign.id, CallbackCampaign.target,
                        CallbackCampaign.window_end).where(
        CallbackCampaign.kind == pack.new_policy_kind, CallbackCampaign.opens_on == first)
    for row in rows:
        target = json.loads(row["target"]) if isinstance(row["target"], str) else row["target"]
        if target.get("source") == "policies" and target.get("product") == product.code:
            if row["window_end"] < last_due:
                await CallbackCampaign.update({CallbackCampaign.window_end: last_due}).where(
                    CallbackCampaign.tenant == ctx.tenant_id, CallbackCampaign.id == row["id"])
            return int(row["id"])
    kind = pack.kinds[pack.new_policy_kind]
    campaign = CallbackCampaign(
        tenant=ctx.tenant_id, kind=pack.new_policy_kind, title=f"{kind.name} · {product.name} · {first:%Y-%m}",
        opens_on=first, window_start=first, window_end=max(last, last_due), status="open",
        target=json.dumps({"source": "policies", "product": product.code, "month": f"{first:%Y-%m}"}),
        questions=json.dumps(rules.questions(pack, product.code), ensure_ascii=False),
        focus=", ".join(pack.checks[c].text for c in product.checks), methods=json.dumps(list(pack.default_methods)),
        attempt_limit=pack.attempt_limit, created_by=ctx.user.id, created_at=clock.now(), opened_at=clock.now(),
    )
    await campaign.save()
    await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_campaign.create",
                       object_type="callback_campaign", object_id=campaign.id,
                       after={"kind": pack.new_policy_kind, "title": campaign.title, "target": "policies"})
    return int(campaign.id)


async def _known(tenant_id: int, keys: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(keys), CHUNK):
        rows = await scoped(CallbackTask, tenant_id, CallbackTask.id, CallbackTask.unique_key).where(
            CallbackTask.unique_key.is_in(keys[start:start + CHUNK]))
        found |= {r["unique_key"]: r["id"] for r in rows}
    return found


async def add_policies(ctx: TenantContext, policies: list[rules.NewPolicy], *, source: str,
                       want_ids: bool = False) -> Intake:
    """Make the callback task of each policy not yet known (a task exists for it: counted as
    existing), in one transaction. 403 (callbacks.manage), 404 (no products)."""
    ctx.require(MANAGE)
    pack = pack_with_products(ctx)
    calendar = await load_calendar()
    result = Intake()
    async with transaction(ctx.tenant_id):
        if is_postgres():
            await CallbackTask.raw("SELECT pg_advisory_xact_lock(hashtext({}))", f"callback_policies:{ctx.tenant_id}")
        known = await _known(ctx.tenant_id, [rules.unique_key(p.policy_no) for p in policies])
        fresh = [p for p in policies if rules.unique_key(p.policy_no) not in known]
        result.existing = len(policies) - len(fresh)
        groups: dict[tuple[str, date], list[tuple[rules.NewPolicy, date]]] = defaultdict(list)
        for p in fresh:
            product = pack.products[p.product]
            due = rules.cooling_off_end(product, p.received_on, calendar, pack.cooling_off_holiday_rule)
            groups[(p.product, p.received_on.replace(day=1))].append((p, due))
        for (code, month), items in sorted(groups.items()):
            campaign_id = await _campaign_for(ctx, pack, pack.products[code], month, max(d for _, d in items))
            tasks = [NewTask(kind=pack.new_policy_kind, origin="policy", methods=pack.default_methods,
                             attempt_limit=pack.attempt_limit, opens_on=p.received_on, due_on=due,
                             campaign_id=campaign_id, unique_key=rules.unique_key(p.policy_no),
                             customer_id=p.customer_id, customer_name=p.holder_name, customer_phone=p.holder_phone,
                             reference=p.policy_no, subject_type="policy", product=code) for p, due in items]
            made = await insert_tasks(ctx.tenant_id, pack, tasks)
            result.created += made
            await CallbackCampaign.update({CallbackCampaign.task_count: CallbackCampaign.task_count + made}).where(
                CallbackCampaign.tenant == ctx.tenant_id, CallbackCampaign.id == campaign_id)
        if policies:
            await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="callback_policies.add",
                               object_type="callback_campaign", object_id=None,
                               after={"source": source, "created": result.created, "existing": result.existing})
        if want_ids:
            result.tasks = {key.removeprefix("policy:"): task_id for key, task_id in (await _known(
                ctx.tenant_id, [rules.unique_key(p.policy_no) for p in policies])).items()}
    return result


async def upload_policies(ctx: TenantContext, upload: Upload) -> Intake | Job:
    """An uploaded file of new policies: a small one is read (in a thread) and added now, a
    larger one by a job (import_new_policies) whose page shows how far it is. Raises
    FieldError("file"), 403, 404."""
    ctx.require(MANAGE)
    pack = pack_with_products(ctx)
    today = clock.today_in(ctx.tenant.timezone)
    if len(upload.data) > policy_schemas.INLINE_BYTES:
        policy_schemas.check_size(upload.filename, upload.data)
        return await start_job(ctx, "import_new_policies", IMPORTING, params={"filename": upload.filename[-200:]},
                               upload=upload.data)
    policies = await asyncio.to_thread(policy_schemas.parse_file, upload.filename, upload.data, pack, today)
    return await add_policies(ctx, policies, source="upload")


async def import_policies(ctx: TenantContext, filename: str, content: bytes,
                          runner: Runner = progress.UNWATCHED) -> Intake:
    """The job's work: read the file in a thread, then add its policies."""
    pack = pack_with_products(ctx)
    today = clock.today_in(ctx.tenant.timezone)

    def work(counter: progress.Progress) -> list[rules.NewPolicy]:
        return policy_schemas.parse_file(filename, content, pack, today, counter)

    policies = await runner.in_thread(work)
    return await add_policies(ctx, policies, source="upload")


def summary(result: Intake) -> dict[str, Any]:
    return {"created": result.created, "existing": result.existing}
