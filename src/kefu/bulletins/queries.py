"""Bulletin reads: the staff list and one bulletin with its sign-ups (and their workbook); the
public page's bulletins shown today and one of them. Scoped to the tenant."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.bulletins import policy
from kefu.bulletins.tables import Bulletin, Signup
from kefu.core import clock, excel
from kefu.core.paging import Page, page_number
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

PAGE_SIZE = 50
PUBLIC_LIMIT = 100
COLUMNS = (Bulletin.id, Bulletin.kind, Bulletin.category, Bulletin.title, Bulletin.building_names, Bulletin.state,
           Bulletin.shown_from, Bulletin.shown_until, Bulletin.starts_at, Bulletin.place, Bulletin.capacity,
           Bulletin.signed_up, Bulletin.published_at, Bulletin.revised_at)


async def list_bulletins(ctx: TenantContext, state: str, raw_page: str | None) -> Page:
    """Newest first, of one state ("" every state)."""
    ctx.require("bulletins.view")
    where = [Bulletin.state == state] if state in policy.STATES else []
    number = page_number(raw_page)
    rows = await scoped(Bulletin, ctx.tenant_id, *COLUMNS).where(*where).order_by(
        Bulletin.id, ascending=False).limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)
    return Page(rows, number, PAGE_SIZE, await scoped_count(Bulletin, ctx.tenant_id).where(*where))


async def bulletin_page(ctx: TenantContext, bulletin_id: int) -> dict[str, Any]:
    """The bulletin, what staff may do to it, and its sign-ups. 403, 404."""
    ctx.require("bulletins.view")
    b = await get_in_tenant(Bulletin, ctx.tenant_id, bulletin_id)
    signups = await scoped(Signup, ctx.tenant_id, Signup.name, Signup.phone, Signup.unit, Signup.people,
                           Signup.created_at).where(Signup.bulletin == b.id).order_by(Signup.id).limit(5000)
    return {"b": b, "actions": policy.actions(b.state), "signups": signups,
            "places_left": policy.places_left(b.capacity, b.signed_up)}


def _signups_book(found: dict[str, Any], tz: str) -> bytes:
    book = excel.Book(tz)
    b = found["b"]
    sheet = book.sheet(i18n.gettext("Sign-ups"), [i18n.gettext(h) for h in (
        "Name", "Phone", "Unit", "People", "Signed up at")])
    sheet.extend([s["name"], s["phone"], s["unit"], s["people"], s["created_at"]] for s in found["signups"])
    sheet.append([b.title, "", "", sum(s["people"] for s in found["signups"]), ""], bold=True)
    return book.to_bytes()


async def signups_workbook(ctx: TenantContext, bulletin_id: int) -> bytes:
    """An event's sign-ups as XLSX (the last row: the title and the people in all), written off
    the event loop. 403, 404."""
    found = await bulletin_page(ctx, bulletin_id)
    return await asyncio.to_thread(_signups_book, found, ctx.tenant.timezone)


def form_values(b: Bulletin, tz: str) -> dict[str, Any]:
    """A draft's values as its edit form starts from them."""
    local = b.starts_at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%dT%H:%M") if b.starts_at else ""
    return {"kind": b.kind, "category": b.category, "title": b.title, "body": b.body,
            "buildings": policy.building_ids(b.buildings), "shown_from": b.shown_from.isoformat(),
            "shown_until": b.shown_until.isoformat() if b.shown_until else "", "starts_at": local,
            "place": b.place, "capacity": "" if b.capacity is None else str(b.capacity)}


async def public_bulletins(tenant: Any) -> list[dict[str, Any]]:
    """What the public page shows today: published and within its days, events first by start."""
    today = clock.today_in(tenant.timezone)
    # A public page has no signed-in member: the tenant's transaction makes its rows visible (RLS).
    async with transaction(tenant.id, write=False):
        rows = await scoped(Bulletin, tenant.id, *COLUMNS).where(
            Bulletin.state == "published", Bulletin.shown_from <= today,
            (Bulletin.shown_until.is_null()) | (Bulletin.shown_until >= today),
        ).order_by(Bulletin.shown_from, ascending=False).order_by(Bulletin.id, ascending=False).limit(PUBLIC_LIMIT)
    now = clock.now()
    for r in rows:
        r["open"] = policy.signup_open(r["kind"], r["state"], r["capacity"], r["starts_at"], now)
        r["places_left"] = policy.places_left(r["capacity"], r["signed_up"])
    return rows


async def public_bulletin(tenant: Any, bulletin_id: int) -> dict[str, Any]:
    """One bulletin as the public page shows it: 404 unless shown today (a draft, a withdrawn
    one and another tenant's look alike)."""
    async with transaction(tenant.id, write=False):
        b = await get_in_tenant(Bulletin, tenant.id, bulletin_id)
    if not policy.is_shown(b.state, b.shown_from, b.shown_until, clock.today_in(tenant.timezone)):
        raise NotFoundException()
    return {"b": b, "open": policy.signup_open(b.kind, b.state, b.capacity, b.starts_at, clock.now()),
            "places_left": policy.places_left(b.capacity, b.signed_up)}
