"""Callback objects for the tests and the isolation sweep: a campaign with tasks made through
the services, a task owned by nobody, a submitted record with an attachment and an addendum.

ID_FACTORIES gives the sweep a task, a campaign, a record and a file whose text carries the
marker."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from kefu.callbacks import schemas, services
from kefu.callbacks.policy.pack import callbacks_for
from kefu.callbacks.policy.tasks import NewTask
from kefu.core import clock
from kefu.core.files import Upload
from kefu.core.forms import Form
from tests import factories
from tests.fixtures import context


async def _admin(tenant: Any) -> Any:
    admin = await factories.member(tenant, ["admin"], name="Callback 管理员")
    await factories.clear_training(tenant, admin, ["admin"])
    return await context(tenant, admin)


def campaign_form(**over: str) -> Form:
    today = clock.today_in("Asia/Shanghai")
    data = {"title": "2026 年服务满意度回访", "kind": "service_satisfaction", "window_start": today.isoformat(),
            "window_end": (today + timedelta(days=30)).isoformat(), "target": "none",
            "questions": "您对理赔服务满意吗？\n还有什么建议？", "focus": "理赔时效", "attempt_limit": "2"}
    data |= over
    return Form(data, {"methods": ["phone", "online", "onsite"]} if "methods" not in over else {})


async def task(tenant: Any, *, ctx: Any = None, name: str = "王先生", phone: str = "13800138000",
               methods: tuple[str, ...] | None = None, limit: int = 3, kind: str = "service_satisfaction",
               due_in: int = 10, reference: str = "") -> int:
    """A task of no campaign, owned by the first method's position, added as the API would."""
    ctx = ctx or await _admin(tenant)
    pack = callbacks_for(tenant.kind)
    today = clock.today_in(tenant.timezone)
    row = await services.add_task(ctx, NewTask(
        kind=kind if kind in pack.kinds else next(iter(pack.kinds)), origin="manual",
        methods=methods or pack.default_methods, attempt_limit=limit, opens_on=today,
        due_on=today + timedelta(days=due_in), customer_name=name, customer_phone=phone, reference=reference))
    return row.id


async def campaign_with_task(tenant: Any, marker: str = "") -> tuple[int, int]:
    """A campaign (its questions and focus carry the marker) and one task of it."""
    ctx = await _admin(tenant)
    kind = next(iter(callbacks_for(tenant.kind).kinds))
    data = schemas.campaign_input(campaign_form(kind=kind, focus=f"重点 {marker}"[:2000]), callbacks_for(tenant.kind))
    campaign = await services.create_campaign(ctx, data)
    pack = callbacks_for(tenant.kind)
    today = clock.today_in(tenant.timezone)
    row = await services.add_task(ctx, NewTask(
        kind=kind, origin="campaign", campaign_id=campaign.id, methods=pack.default_methods, attempt_limit=2,
        opens_on=today, due_on=today + timedelta(days=5), customer_name=f"客户 {marker}"[:100]))
    return campaign.id, row.id


async def submitted_record(tenant: Any, marker: str = "") -> tuple[int, int, int]:
    """(task id, record id, file id): a submitted record with the marker in its notes, an
    attachment holding the marker, and an addendum."""
    ctx = await _admin(tenant)
    task_id = await task(tenant, ctx=ctx, name=f"客户 {marker}"[:100])
    record = await services.save_record(ctx, task_id, schemas.RecordInput(
        answers={}, notes=f"记录 {marker}", recording_ref="rec-001", callback_on=date.today()), submit=True)
    file = await services.attach_file(ctx, record.id, Upload("签字表.txt", "text/plain", f"签字 {marker}".encode()))
    await services.amend_record(ctx, record.id, "notes", f"更正 {marker}")
    return task_id, record.id, file.id


async def _task_id(tenant: Any, marker: str) -> int:
    return (await submitted_record(tenant, marker))[0]


async def _record_id(tenant: Any, marker: str) -> int:
    return (await submitted_record(tenant, marker))[1]


async def _file_id(tenant: Any, marker: str) -> int:
    return (await submitted_record(tenant, marker))[2]


async def _campaign_id(tenant: Any, marker: str) -> int:
    return (await campaign_with_task(tenant, marker))[0]


# task_id is also the duties module's: told apart by path.
ID_FACTORIES: dict[Any, Any] = {
    ("/t/{slug:str}/callbacks", "task_id"): _task_id, ("/api/t/{slug:str}/callbacks", "task_id"): _task_id,
    "record_id": _record_id, "file_id": _file_id, "campaign_id": _campaign_id,
}
