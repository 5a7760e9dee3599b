"""Improvement actions (B.l: survey, analyse, organise improvements; C.d: the report management
acts on): what will be done about a finding, by whom, by when, followed to closure.

One function per change; each checks surveys.actions, writes an audit event in the same
transaction and raises FormErrors (field -> translated message) with nothing changed.
Lifecycle: open -> done (with its outcome and the day it closed) or dropped (with why);
a closed action can be reopened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FormErrors
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.surveys.tables import ImprovementAction, SurveyRound
from kefu.tenancy.tables import Membership

PERMISSION = "surveys.actions"
STATUSES = ("open", "done", "dropped")
FILTERS = ("open", "overdue", "done", "dropped", "all")
STATUS_LABELS = {
    "open": i18n.lazy("Open"),
    "done": i18n.lazy("Done"),
    "dropped": i18n.lazy("Dropped"),
}
FILTER_LABELS = STATUS_LABELS | {"overdue": i18n.lazy("Overdue"), "all": i18n.lazy("All")}
TITLE_MAX, TEXT_MAX, OWNER_MAX, KEY_MAX = 200, 5000, 100, 60
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


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """Still open after its due day."""
    return status == "open" and due_on is not None and due_on < today


def owner_label(row: dict[str, Any]) -> str:
    return row.get("owner_user_name") or row.get("owner_name") or ""


@dataclass(frozen=True)
class ActionInput:
    """What the form says, already parsed (read_form)."""

    title: str
    description: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    due_on: date | None = None
    round_id: int | None = None
    question_key: str = ""


def _optional_int(raw: str) -> int | None | str:
    raw = (raw or "").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() and len(raw) <= 9 else "bad"


def _optional_day(raw: str) -> date | None | str:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return "bad"


def read_form(data: dict[str, str]) -> ActionInput:
    """The create/edit form; FormErrors names every field at fault."""
    errors: dict[str, str] = {}
    clean = {k: (v or "").replace("\x00", "").strip() for k, v in data.items()}
    title, description = clean.get("title", ""), clean.get("description", "")
    owner_name, key = clean.get("owner_name", ""), clean.get("question_key", "")
    if not title:
        errors["title"] = i18n.gettext("This field is required.")
    for name, value, limit in (("title", title, TITLE_MAX), ("description", description, TEXT_MAX),
                               ("owner_name", owner_name, OWNER_MAX), ("question_key", key, KEY_MAX)):
        if len(value) > limit:
            errors[name] = i18n.gettext("At most %(max)s characters.", max=limit)
    owner_id, round_id = _optional_int(clean.get("owner_id", "")), _optional_int(clean.get("round_id", ""))
    due_on = _optional_day(clean.get("due_on", ""))
    if owner_id == "bad":
        errors["owner_id"] = i18n.gettext("Choose a value from the list.")
    elif owner_id is None and not owner_name:
        errors["owner_id"] = i18n.gettext("Choose an owner, or name one from outside.")
    if round_id == "bad":
        errors["round_id"] = i18n.gettext("Choose a value from the list.")
    if due_on == "bad":
        errors["due_on"] = i18n.gettext("Enter a date as YYYY-MM-DD.")
    elif due_on is None:
        errors["due_on"] = i18n.gettext("This field is required.")
    if errors:
        raise FormErrors(errors)
    return ActionInput(title, description, owner_id, owner_name if owner_id is None else "",  # type: ignore[arg-type]
                       due_on, round_id, key)  # type: ignore[arg-type]


async def members(ctx: TenantContext) -> list[dict[str, Any]]:
    """The tenant's active members, by name: who can own an action."""
    rows = await scoped(Membership, ctx.tenant_id, Membership.user.id.as_alias("id"),
                        Membership.user.name.as_alias("name")).where(
        Membership.is_active.eq(True), Membership.user.is_active.eq(True))
    return sorted(rows, key=lambda r: (r["name"], r["id"]))


async def rounds(ctx: TenantContext) -> list[dict[str, Any]]:
    return await scoped(SurveyRound, ctx.tenant_id, SurveyRound.id, SurveyRound.title).order_by(
        SurveyRound.opens_at, ascending=False).limit(200)


async def _check_links(ctx: TenantContext, data: ActionInput, current_owner: int | None = None) -> None:
    """The owner a member of this tenant (or the one the action already has, who may have left
    since), the round one of its rounds."""
    errors = {}
    if data.owner_id is not None and data.owner_id != current_owner and not await scoped_count(Membership, ctx.tenant_id).where(
            Membership.user == data.owner_id, Membership.is_active.eq(True)):
        errors["owner_id"] = i18n.gettext("Choose a value from the list.")
    if data.round_id is not None and not await scoped_count(SurveyRound, ctx.tenant_id).where(
            SurveyRound.id == data.round_id):
        errors["round_id"] = i18n.gettext("Choose a value from the list.")
    if errors:
        raise FormErrors(errors)


def _fields(data: ActionInput) -> dict:
    return {
        ImprovementAction.title: data.title, ImprovementAction.description: data.description,
        ImprovementAction.owner: data.owner_id, ImprovementAction.owner_name: data.owner_name,
        ImprovementAction.due_on: data.due_on, ImprovementAction.round: data.round_id,
        ImprovementAction.question_key: data.question_key,
    }


def _snapshot(data: ActionInput) -> dict[str, Any]:
    return {"title": data.title, "owner_id": data.owner_id, "owner_name": data.owner_name,
            "due_on": str(data.due_on) if data.due_on else None, "round_id": data.round_id,
            "question_key": data.question_key}


async def create_action(ctx: TenantContext, data: ActionInput) -> ImprovementAction:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        await _check_links(ctx, data)
        now = clock.now()
        row = ImprovementAction(tenant=ctx.tenant_id, created_by=ctx.user.id, created_at=now, updated_at=now)
        for column, value in _fields(data).items():
            setattr(row, column._meta.name, value)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_created",
                           object_type="improvement_action", object_id=row.id, after=_snapshot(data))
    return row


async def get_action(ctx: TenantContext, action_id: int) -> dict[str, Any]:
    """The action with its owner's and round's names; the 404 of a missing one otherwise."""
    await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
    return (await scoped(ImprovementAction, ctx.tenant_id, *LIST_COLUMNS).where(
        ImprovementAction.id == action_id).first()) or {}


async def update_action(ctx: TenantContext, action_id: int, data: ActionInput) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        before = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        await _check_links(ctx, data, current_owner=before.owner)
        await ImprovementAction.update({**_fields(data), ImprovementAction.updated_at: clock.now()}).where(
            ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_updated",
            object_type="improvement_action", object_id=action_id,
            before={"title": before.title, "owner_id": before.owner, "owner_name": before.owner_name,
                    "due_on": str(before.due_on) if before.due_on else None},
            after=_snapshot(data),
        )


async def close_action(ctx: TenantContext, action_id: int, *, status: str, outcome: str,
                       closed_on: str = "") -> None:
    """Done (what was achieved) or dropped (why): the outcome is required either way; the day
    it closed defaults to today in the tenant's time zone and cannot be in the future."""
    ctx.require(PERMISSION)
    today = clock.today_in(ctx.tenant.timezone)
    errors: dict[str, str] = {}
    outcome = (outcome or "").replace("\x00", "").strip()
    if status not in ("done", "dropped"):
        errors["status"] = i18n.gettext("Choose a value from the list.")
    if not outcome:
        errors["outcome"] = i18n.gettext("Say what was done, or why the action was dropped.")
    elif len(outcome) > TEXT_MAX:
        errors["outcome"] = i18n.gettext("At most %(max)s characters.", max=TEXT_MAX)
    day = _optional_day(closed_on) or today
    if day == "bad":
        errors["closed_on"] = i18n.gettext("Enter a date as YYYY-MM-DD.")
    elif isinstance(day, date) and day > today:
        errors["closed_on"] = i18n.gettext("The date cannot be in the future.")
    if errors:
        raise FormErrors(errors)
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        if row.status != "open":
            raise FormErrors({"status": i18n.gettext("This action is already closed.")})
        await ImprovementAction.update({
            ImprovementAction.status: status, ImprovementAction.outcome: outcome,
            ImprovementAction.closed_on: day, ImprovementAction.updated_at: clock.now(),
        }).where(ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"surveys.action_{status}",
                           object_type="improvement_action", object_id=action_id,
                           before={"status": "open"}, after={"status": status, "closed_on": str(day)})


async def reopen_action(ctx: TenantContext, action_id: int) -> None:
    ctx.require(PERMISSION)
    async with transaction(ctx.tenant_id):
        row = await get_in_tenant(ImprovementAction, ctx.tenant_id, action_id)
        if row.status == "open":
            return
        await ImprovementAction.update({
            ImprovementAction.status: "open", ImprovementAction.closed_on: None,
            ImprovementAction.updated_at: clock.now(),
        }).where(ImprovementAction.tenant == ctx.tenant_id, ImprovementAction.id == action_id)
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="surveys.action_reopened",
                           object_type="improvement_action", object_id=action_id,
                           before={"status": row.status}, after={"status": "open"})


# --- lists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFilters:
    status: str = "open"
    round_id: int | None = None

    def query(self) -> dict[str, str]:
        found = {"status": self.status} if self.status != "open" else {}
        return found | ({"round": str(self.round_id)} if self.round_id else {})


def parse_filters(params: Any) -> ActionFilters:
    status = (params.get("status") or "open").strip()
    round_id = _optional_int(params.get("round") or "")
    return ActionFilters(status if status in FILTERS else "open", round_id if isinstance(round_id, int) else None)


def _where(f: ActionFilters, today: date) -> list:
    where: list = []
    if f.status == "overdue":
        where += [ImprovementAction.status == "open", ImprovementAction.due_on < today]
    elif f.status in STATUSES:
        where.append(ImprovementAction.status == f.status)
    if f.round_id:
        where.append(ImprovementAction.round == f.round_id)
    return where


def _ordered(query, f: ActionFilters):  # type: ignore[no-untyped-def]
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
