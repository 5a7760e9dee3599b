"""A round's tabular exports, each one function for the request (a small export, written
there) and for a job (a large one: kefu.workers.services.run_export, jobs.py): the invitation
list with each personal link, and the raw answers (streamed into the workbook a chunk at a time)."""

from __future__ import annotations

import functools
from typing import Any

from kefu import i18n
from kefu.core.progress import UNWATCHED, Runner
from kefu.core.scoping import get_in_tenant, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.surveys.queries import results, results_export, rounds
from kefu.surveys.tables import SurveyInvitation, SurveyResponse, SurveyRound

INVITATIONS = i18n.lazy("Preparing the invitations export")
RESPONSES = i18n.lazy("Preparing the survey answers export")


def filename(round_row: Any, stem: str, ext: str) -> str:
    title = "".join("_" if c in '/\\:*?"<>|' or c < " " else c for c in round_row.title)[:80]
    return f"{stem}-{round_row.id}-{title}.{ext}"


async def _round(ctx: TenantContext, args: dict[str, Any], permission: str) -> SurveyRound:
    ctx.require(permission)
    return await get_in_tenant(SurveyRound, ctx.tenant_id, int(args["round_id"]))  # 404


async def invitations_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    row = await _round(ctx, args, "surveys.manage")
    return await scoped_count(SurveyInvitation, ctx.tenant_id).where(SurveyInvitation.round == row.id)


async def invitations_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the round's invitations with each personal link."""
    row = await _round(ctx, args, "surveys.manage")
    rows = await rounds.export_rows(ctx.tenant_id, row.id)
    slug, tz = ctx.tenant.slug, ctx.tenant.timezone
    return f"invitations-{row.id}.xlsx", await runner.in_thread(lambda _: rounds.invitations_workbook(rows, slug, tz))


def _append(out: results_export.ResponsesSheet, rows: list[dict[str, Any]], _: Any) -> None:
    out.add(rows)


async def responses_count(ctx: TenantContext, args: dict[str, Any]) -> int:
    row = await _round(ctx, args, "surveys.view")
    return await scoped_count(SurveyResponse, ctx.tenant_id).where(SurveyResponse.round == row.id)


async def responses_file(ctx: TenantContext, args: dict[str, Any], runner: Runner = UNWATCHED) -> tuple[str, bytes]:
    """(file name, workbook) of the round's raw answers, one row per response: each chunk read
    is appended in a thread, so tens of thousands never sit in memory at once."""
    row = await _round(ctx, args, "surveys.view")
    out = results_export.ResponsesSheet(results.definition_of(row), tz=ctx.tenant.timezone,
                                        locale=i18n.current_locale())
    async for chunk in results.stream_rows(ctx.tenant_id, row.id, results.EXPORT_COLUMNS):
        await runner.in_thread(functools.partial(_append, out, chunk))
    return filename(row, "survey-responses", "xlsx"), await runner.in_thread(lambda _: out.bytes())
