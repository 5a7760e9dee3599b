"""Bulletins inserted directly, for tests and for the isolation sweep (ID_FACTORIES: the marker
is the title, shown on the staff and public pages)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from kefu.bulletins.tables import Bulletin, Signup
from kefu.core.scoping import scoped_objects
from kefu.db import transaction


async def bulletin(tenant, *, title: str = "停水通知", kind: str = "notice", state: str = "published",
                   shown_from: date = date(2020, 1, 1), shown_until: date | None = None, capacity: int | None = None,
                   starts_at: datetime | None = None, buildings: str = "", building_names: str = "",
                   signed_up: int = 0) -> Bulletin:
    if kind == "event" and starts_at is None:
        starts_at = datetime(2099, 1, 1, 6, tzinfo=UTC)
    row = Bulletin(tenant=tenant.id, kind=kind, category="outage" if kind == "notice" else "community",
                   title=title, body="正文\n第二行", state=state, shown_from=shown_from, shown_until=shown_until,
                   capacity=capacity, starts_at=starts_at, buildings=buildings, building_names=building_names,
                   signed_up=signed_up)
    async with transaction(tenant.id):
        await row.save()
    return row


async def reload(tenant, bulletin_id: int) -> Bulletin:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Bulletin, tenant.id).where(Bulletin.id == bulletin_id).first()


async def signups(tenant) -> list[Signup]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Signup, tenant.id).order_by(Signup.id)


async def _bulletin_id(tenant, marker: str) -> int:
    return (await bulletin(tenant, title=marker[:100], kind="event", capacity=5)).id


ID_FACTORIES = {"bulletin_id": _bulletin_id}
