"""Bulletin writes, one function per change, each checking its permission, writing its audit
event, in its own transaction (a savepoint inside the request's):

create_bulletin, update_bulletin (a draft, or a published one corrected: audited as a revision,
the public page shows when), publish_bulletin (with notices to the residents of its buildings
through the outbox, each once: a text message, else an email, else a printed letter to the
unit), withdraw_bulletin; sign_up (the public page: places claimed by a conditional UPDATE, one
sign-up per phone and event).
"""

from __future__ import annotations

from typing import Any

from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.audit import services as audit
from kefu.bulletins import policy, schemas
from kefu.bulletins.tables import Bulletin, Signup
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors, Refused
from kefu.core.forms import Form
from kefu.core.scoping import get_in_tenant, scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications.services import OwedNotice, Recipient, nudge, owe_notices
from kefu.settings import get_settings
from kefu.units import queries as units

KIND = "bulletin"
NOT_NOW = i18n.lazy("This bulletin cannot be changed that way now.")
FULL = i18n.lazy("Sorry, the event is full.")
CLOSED = i18n.lazy("Sign-up for this event has closed.")
KEEP_KIND = i18n.lazy("A published bulletin stays a notice or an event; withdraw it and draft a new one.")
KEEP_PLACES = i18n.lazy("%(n)s places are taken already: the event needs at least that many.")
KEEP = {"kind": KEEP_KIND, "capacity": KEEP_PLACES}


def snapshot(b: Bulletin) -> dict[str, Any]:
    return {"kind": b.kind, "category": b.category, "title": b.title, "buildings": b.building_names or "*",
            "state": b.state, "shown_from": str(b.shown_from), "shown_until": str(b.shown_until or ""),
            "capacity": b.capacity}


async def _input(ctx: TenantContext, form: Form) -> schemas.BulletinInput:
    buildings = {b["id"]: b["name"] for b in await units.buildings(ctx)}
    data = schemas.bulletin_input(form, policy.bulletins_pack(ctx.tenant.kind).codes(), buildings,
                                  ctx.tenant.timezone)
    form.check()
    assert data is not None
    return data


def _apply(b: Bulletin, data: schemas.BulletinInput, names: dict[int, str]) -> None:
    b.kind, b.category, b.title, b.body = data.kind, data.category, data.title, data.body
    b.buildings = ",".join(str(i) for i in data.buildings)
    b.building_names = ", ".join(names[i] for i in data.buildings)
    b.shown_from, b.shown_until = data.shown_from, data.shown_until
    b.starts_at, b.place, b.capacity = data.starts_at, data.place, data.capacity


async def create_bulletin(ctx: TenantContext, form: Form) -> Bulletin:
    """A draft. FieldErrors (every bad field), 403 without bulletins.manage."""
    ctx.require("bulletins.manage")
    data = await _input(ctx, form)
    names = {b["id"]: b["name"] for b in await units.buildings(ctx)}
    async with transaction(ctx.tenant_id, write=True):
        b = Bulletin(tenant=ctx.tenant_id, created_by=ctx.user.id)
        _apply(b, data, names)
        await b.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="bulletin.create",
                           object_type="bulletin", object_id=b.id, after=snapshot(b))
    return b


async def _in_state(ctx: TenantContext, bulletin_id: int, action: str) -> Bulletin:
    b = await get_in_tenant(Bulletin, ctx.tenant_id, bulletin_id)
    if action not in policy.actions(b.state):
        raise Refused("state", NOT_NOW)
    return b


async def update_bulletin(ctx: TenantContext, bulletin_id: int, form: Form) -> Bulletin:
    """A draft's new wording and days, or a published bulletin corrected: its kind stays and an
    event keeps at least the places taken; the revision is audited with the wording before and
    after, and `revised_at` tells the public page. Nobody is notified again. FieldErrors,
    Refused once withdrawn, 403, 404."""
    ctx.require("bulletins.manage")
    async with transaction(ctx.tenant_id, write=True):
        b = await _in_state(ctx, bulletin_id, "edit")
        data = await _input(ctx, form)
        published = b.state == "published"
        if published:
            problems = policy.revision_problems(b.kind, b.signed_up, data.kind, data.capacity)
            if problems:
                raise FieldErrors({f: FieldError(f, KEEP[f], n=n) for f, n in problems.items()})
        before = snapshot(b) | ({"body": b.body} if published else {})
        _apply(b, data, {x["id"]: x["name"] for x in await units.buildings(ctx)})
        if published:
            b.revised_at = clock.now()
        await b.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id,
                           action="bulletin.revise" if published else "bulletin.update",
                           object_type="bulletin", object_id=b.id, before=before,
                           after=snapshot(b) | ({"body": b.body} if published else {}))
    return b


def _notices(b: Bulletin, residents: list[dict[str, Any]], url: str) -> list[OwedNotice]:
    """A text message to each phone, an email to a resident without one, a printed letter to a
    unit whose residents have neither (policy.notice_channels); each owed once (its unique key)."""
    data = {"title": b.title, "category": b.category, "url": url, "text": b.body,
            "starts_at": b.starts_at.isoformat() if b.starts_at else "", "place": b.place}
    found = []
    for channel, r in policy.notice_channels(residents):
        if channel == "sms":
            recipient, key = Recipient(name=r["name"], phone=r["phone"]), r["phone"]
        elif channel == "email":
            recipient, key = Recipient(name=r["name"], email=r["email"]), f"email:{r['email'].lower()}"
        else:
            recipient, key = Recipient(name=r["name"], postal_address=r["address"]), f"unit:{r['unit']}"
        found.append(OwedNotice(subject_id=b.id, recipient=recipient, channel=channel, data=data,
                                unique_key=f"bulletin:{b.id}:{key}"))
    return found


async def publish_bulletin(ctx: TenantContext, bulletin_id: int, *, notify: bool, public_path: str) -> Bulletin:
    """Shown on the public page from its first day; with `notify`, a notice to every current
    resident of its buildings (the whole estate when none), owed through the outbox once each:
    a text message, else an email, else a letter to the unit (`_notices`).
    Refused unless a draft, 403, 404."""
    ctx.require("bulletins.manage")
    async with transaction(ctx.tenant_id, write=True):
        b = await _in_state(ctx, bulletin_id, "publish")
        ids: list[int] = []
        if notify:
            residents = await units.current_residents(ctx.tenant_id, policy.building_ids(b.buildings) or None)
            ids = await owe_notices(tenant_id=ctx.tenant_id, kind=KIND, subject_type="bulletin",
                                    notices=_notices(b, residents, get_settings().public_url + public_path))
        b.state, b.published_at, b.notified = "published", clock.now(), len(ids)
        await b.save([Bulletin.state, Bulletin.published_at, Bulletin.notified])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="bulletin.publish",
                           object_type="bulletin", object_id=b.id, after=snapshot(b) | {"notified": len(ids)})
    await nudge(ctx.tenant_id, ids)
    return b


async def withdraw_bulletin(ctx: TenantContext, bulletin_id: int) -> Bulletin:
    """Off the public page at once. Refused unless published, 403, 404."""
    ctx.require("bulletins.manage")
    async with transaction(ctx.tenant_id, write=True):
        b = await _in_state(ctx, bulletin_id, "withdraw")
        b.state = "withdrawn"
        await b.save([Bulletin.state])
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="bulletin.withdraw",
                           object_type="bulletin", object_id=b.id, after=snapshot(b))
    return b


async def sign_up(tenant: Any, bulletin_id: int, form: Form) -> tuple[Signup, bool]:
    """(the sign-up, whether it is new): the same phone signing up again gets its first sign-up
    back. FieldErrors for bad fields, Refused when closed or full, 404 unless shown today."""
    async with transaction(tenant.id, write=True):
        b = await get_in_tenant(Bulletin, tenant.id, bulletin_id)
        today = clock.today_in(tenant.timezone)
        if not policy.is_shown(b.state, b.shown_from, b.shown_until, today):
            raise NotFoundException()
        if not policy.signup_open(b.kind, b.state, b.capacity, b.starts_at, clock.now()):
            raise Refused("closed", CLOSED)
        data = schemas.signup_input(form)
        form.check()
        assert data is not None
        mine = await scoped_objects(Signup, tenant.id).where(Signup.bulletin == b.id,
                                                             Signup.phone == data.phone).first()
        if mine is not None:
            return mine, False
        # Claim the places: only an UPDATE that still fits the capacity changes the row.
        claimed = await Bulletin.update({Bulletin.signed_up: Bulletin.signed_up + data.people}).where(
            Bulletin.tenant == tenant.id, Bulletin.id == b.id,
            Bulletin.signed_up + data.people <= b.capacity).returning(Bulletin.id)
        if not claimed:
            raise Refused("full", FULL)
        row = Signup(tenant=tenant.id, bulletin=b.id, name=data.name, phone=data.phone, unit=data.unit,
                     people=data.people)
        await row.save()
        await audit.record(tenant_id=tenant.id, actor_id=None, action="bulletin.sign_up",
                           object_type="bulletin", object_id=b.id, after={"people": data.people})
    return row, True

