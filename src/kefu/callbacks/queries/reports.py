"""A campaign's progress and analysis (A art. 22(4)): tasks done, reached, unreachable and fallen
back; the success rate (done of the tasks that ended) and the on-time rate (done by the due
date, the cooling-off deadline for new-policy checks); done by method; the problems raised by
cause; the mean QA score; and the same as an XLSX through the one Excel writer."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from kefu import i18n
from kefu.callbacks.policy.quality import Progress
from kefu.callbacks.queries.campaigns import campaign
from kefu.callbacks.tables import (
    CallbackAttempt,
    CallbackProblem,
    CallbackRecord,
    CallbackScore,
    CallbackTask,
)
from kefu.core import excel
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.db import transaction


async def analysis(ctx: TenantContext, campaign_id: int) -> dict[str, Any]:
    """The campaign (404 when not the tenant's) with its Progress, done by method, problems by
    cause and the mean QA score (percent of the sheet)."""
    found = await campaign(ctx, campaign_id)
    zone = ZoneInfo(ctx.tenant.timezone)
    async with transaction(ctx.tenant_id, write=False):
        tasks = await scoped(CallbackTask, ctx.tenant_id, CallbackTask.id, CallbackTask.status, CallbackTask.method,
                             CallbackTask.due_on, CallbackTask.done_at, CallbackTask.fallen_back_at).where(
            CallbackTask.campaign == campaign_id)
        reached_ids = {r["task_id"] for r in await scoped(
            CallbackAttempt, ctx.tenant_id, CallbackAttempt.task.as_alias("task_id")).where(
            CallbackAttempt.task.campaign == campaign_id, CallbackAttempt.outcome == "reached")}
        problems = await scoped(CallbackProblem, ctx.tenant_id, CallbackProblem.cause, CallbackProblem.status).where(
            CallbackProblem.task.campaign == campaign_id)
        scores = await scoped(CallbackScore, ctx.tenant_id, CallbackScore.total, CallbackScore.max_total).where(
            CallbackScore.record.campaign == campaign_id)
        records = await scoped(CallbackRecord, ctx.tenant_id, CallbackRecord.method).where(
            CallbackRecord.campaign == campaign_id, CallbackRecord.status == "submitted")
    done = [t for t in tasks if t["status"] == "done"]
    progress = Progress(
        total=len(tasks), done=len(done), reached=len({t["id"] for t in tasks} & reached_ids),
        unreachable=sum(t["status"] == "unreachable" for t in tasks),
        fallen_back=sum(t["fallen_back_at"] is not None for t in tasks),
        on_time=sum(t["done_at"] is not None and t["done_at"].astimezone(zone).date() <= t["due_on"] for t in done))
    by_method: dict[str, int] = {}
    for r in records:
        by_method[r["method"]] = by_method.get(r["method"], 0) + 1
    by_cause: dict[str, int] = {}
    for p in problems:
        by_cause[p["cause"]] = by_cause.get(p["cause"], 0) + 1
    percents = [100.0 * s["total"] / s["max_total"] for s in scores if s["max_total"]]
    return {"campaign": found, "progress": progress, "by_method": by_method, "by_cause": by_cause,
            "problems_open": sum(p["status"] == "open" for p in problems), "problems": len(problems),
            "mean_score": round(sum(percents) / len(percents), 1) if percents else None, "scored": len(percents)}


def export(ctx: TenantContext, found: dict[str, Any], method_label: Any, cause_label: Any) -> bytes:
    p: Progress = found["progress"]
    book = excel.Book(ctx.tenant.timezone)
    sheet = book.sheet(i18n.gettext("Campaign progress"), [i18n.gettext("Figure"), i18n.gettext("Value")])
    sheet.extend([
        [i18n.gettext("Tasks"), p.total], [i18n.gettext("Done"), p.done], [i18n.gettext("Reached"), p.reached],
        [i18n.gettext("Unreachable"), p.unreachable], [i18n.gettext("Fallen back"), p.fallen_back],
        [i18n.gettext("Success rate"), p.success_rate], [i18n.gettext("On-time rate"), p.on_time_rate],
        [i18n.gettext("Problems raised"), found["problems"]], [i18n.gettext("Mean quality score"), found["mean_score"]],
        *([str(method_label(m)), n] for m, n in sorted(found["by_method"].items())),
        *([str(cause_label(c)), n] for c, n in sorted(found["by_cause"].items())),
    ])
    return book.to_bytes()
