"""Reads of improvement actions: the list (filtered, paged) and its Excel export, one action
with its owner's and round's names and its history, a round's actions, and the choices of the
form (members who may own one, rounds it may follow)."""

from __future__ import annotations

from datetime import date
from typing import Any

from piccolo.query import Select

from kefu import i18n
from kefu.audit.queries import object_trail
from kefu.core import clock, excel
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.surveys import labels
from kefu.surveys.policy.actions import STATUSES, is_overdue
from kefu.surveys.schemas.actions import ActionFilters
from kefu.surveys.tables import ImprovementAction, SurveyRound
from kefu.tenancy.queries import active_members

PAGE_SIZE = 50
EXPORT_LIMIT = 10_000
LIST_COLUMNS = (
    ImprovementAction.id, ImprovementAction.title, ImprovementAction.description,
    ImprovementAction.status, ImprovementAction.due_on, ImprovementAction.closed_on,
    ImprovementAction.outcome, ImprovementAction.owner, ImprovementAction.owner_name,
    ImprovementAction.question_key, ImprovementAction.round, ImprovementAction.created_at,
    ImprovementAction.owner.name.as_alias("owner_user_name"),
    ImprovementAction.round.title.as_alias("round_title"),
)


def owner_label(row: dict[str, Any]) -> str:
    return row.get("owner_user_name") or row.get("owner_name") or ""


async def members(ctx: TenantContext) -> list[dict[str, Any]]:
    """The tenant's active members, by name: who can own an action."""
    return await active_members(ctx.tenant_id)


async def rounds(ctx: TenantContext) -> list[dict[str, Any]]:
    return await scoped(SurveyRound, ctx.tenant_id, SurveyRound.id, SurveyRound.title).order_by(
        SurveyRound.opens_at, ascending=False).limit(200)


async def get_action(ctx: TenantContext, action_id: int) -> dict[str, Any]:
    """The action with its owner's and round's names; the 404 of a missing one otherwise."""
    await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
    return (await scoped(ImprovementAction, ctx.tenant_id, *LIST_COLUMNS).where(
        ImprovementAction.id == action_id).first()) or {}


def _where(f: ActionFilters, today: date) -> list[Any]:
    where: list[Any] = []
    if f.status == "overdue":
        where += [ImprovementAction.status == "open", ImprovementAction.due_on < today]
    elif f.status in STATUSES:
        where.append(ImprovementAction.status == f.status)
    if f.round_id:
        where.append(ImprovementAction.round == f.round_id)
    return where


def _ordered(query: Select[Any], f: ActionFilters) -> Select[Any]:
    if f.status in ("done", "dropped"):
        return query.order_by(ImprovementAction.closed_on, ImprovementAction.id, ascending=False)
    return query.order_by(ImprovementAction.due_on, ImprovementAction.id)


async def list_actions(ctx: TenantContext, f: ActionFilters, raw_page: str | None) -> Page:
    today = clock.today_in(ctx.tenant.timezone)
    number = page_number(raw_page)
    where = _where(f, today)
    rows = await _ordered(scoped(ImprovementAction, ctx.tenant_id, *LIST_COLUMNS).where(*where), f).limit(
        PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    total = await scoped_count(ImprovementAction, ctx.tenant_id).where(*where)
    return Page(rows, number, PAGE_SIZE, total)


async def export_rows(ctx: TenantContext, f: ActionFilters) -> list[dict[str, Any]]:
    where = _where(f, clock.today_in(ctx.tenant.timezone))
    return await _ordered(scoped(ImprovementAction, ctx.tenant_id, *LIST_COLUMNS).where(*where), f).limit(EXPORT_LIMIT)


async def round_actions(ctx: TenantContext, round_id: int) -> list[dict[str, Any]]:
    """A round's actions, for its results page and its report."""
    return await scoped(ImprovementAction, ctx.tenant_id, *LIST_COLUMNS).where(
        ImprovementAction.round == round_id).order_by(ImprovementAction.due_on, ImprovementAction.id)


async def trail(ctx: TenantContext, action_id: int) -> list[dict[str, Any]]:
    """The action's history: its audit events, oldest first."""
    return await object_trail(ctx.tenant_id, "improvement_action", action_id)


def actions_workbook(rows: list[dict[str, Any]], today: date, tz: str) -> bytes:
    _ = i18n.gettext
    headers = [_("No."), _("Title"), _("Description"), _("Owner"), _("Due on"), _("Status"), _("Overdue"),
               _("Outcome"), _("Closed on"), _("Round"), _("Question")]
    values = ([row["id"], row["title"], row["description"], owner_label(row), row["due_on"],
               labels.ACTION_STATUS(row["status"]), _("Yes") if is_overdue(row["status"], row["due_on"], today) else "",
               row["outcome"], row["closed_on"], row["round_title"] or "", row["question_key"]] for row in rows)
    return excel.table(_("Improvement actions"), headers, values, tz=tz)
