"""Month-end occupancy snapshots: written once per month and tenant, by the scheduler's sweep
just after the month ends (sweep_all) or by a manager for a past month nobody swept
(take_snapshot). Either way the counts are the units' occupancy at the month's last moment,
read from the units module's history (units.queries.occupancy_at), so a sweep that runs late
still records the month's end. The month's marker row is inserted first with ON CONFLICT DO
NOTHING: a second writer, at once or later, writes nothing."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import clean_text
from kefu.core.packs import get_pack
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.deskstats import policy, queries
from kefu.deskstats.tables import MonthFiling, OccupancySnapshot
from kefu.tenancy.queries import active_tenants
from kefu.units import queries as units

log = logging.getLogger("kefu.deskstats")
PERMISSION = "statistics.view"
NOT_ENDED = i18n.lazy("A snapshot is taken of a month that has ended.")
NOT_BEGUN = i18n.lazy("A month's statistics are filed once the month has begun.")
NO_SNAPSHOT = i18n.lazy("Take the month-end snapshot before filing this month's statistics.")
ALREADY_FILED = i18n.lazy("This month's statistics were already filed on %(day)s by %(name)s.")
NOTE_LIMIT = 500


async def _write(tenant: Any, period: date, how: str) -> bool:
    """The snapshot of `period` unless it exists; whether this call wrote it."""
    period = period.replace(day=1)
    async with transaction(tenant.id, write=True):
        marker = await OccupancySnapshot.insert(OccupancySnapshot(
            tenant=tenant.id, period=period, building_id=0, building="", occupancy="", n=0, how=how,
            taken_at=clock.now())).on_conflict(action="DO NOTHING").returning(OccupancySnapshot.id)
        if not marker:
            return False
        rows = await units.occupancy_at(tenant.id, policy.month_end(period, tenant.timezone))
        if rows:
            await OccupancySnapshot.insert(*[OccupancySnapshot(
                tenant=tenant.id, period=period, building_id=r["building_id"], building=r["building"][:100],
                occupancy=r["occupancy"], n=r["n"], how=how, taken_at=clock.now()) for r in rows])
    return True


def keeps_statistics(kind: str) -> bool:
    """A kind whose pack grants the statistics (a property centre) is snapshotted; others are not."""
    return PERMISSION in get_pack(kind).permissions


async def sweep_tenant(tenant: Any) -> bool:
    """The month before today's (in the tenant's zone), once; whether it was written now."""
    if not keeps_statistics(tenant.kind):
        return False
    written = await _write(tenant, policy.previous_month(clock.today_in(tenant.timezone)), "sweep")
    if written:
        log.info("month-end occupancy snapshot taken for tenant %s", tenant.id)
    return written


async def sweep_all() -> None:
    """Every active tenant in turn; one tenant's failure is logged and does not stop the others."""
    for tenant in await active_tenants():
        try:
            await sweep_tenant(tenant)
        except Exception:
            log.exception("month-end snapshot sweep failed for tenant %s", tenant.id)


async def take_snapshot(ctx: TenantContext, period: date) -> bool:
    """A past month's snapshot on demand, rebuilt from the occupancy history; whether it was
    written now (False: it existed). Refused for a month not yet over, 403 without the statistics."""
    ctx.require(PERMISSION)
    if not policy.is_ended(period, clock.today_in(ctx.tenant.timezone)):
        raise Refused("period", NOT_ENDED)
    async with transaction(ctx.tenant_id, write=True):
        written = await _write(ctx.tenant, period, "rebuilt")
        if written:
            await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="statistics.snapshot",
                               object_type="occupancy_snapshot", object_id=None,
                               after={"period": period.isoformat()[:7], "how": "rebuilt"})
    return written


async def file_month(ctx: TenantContext, period: date, note: str = "") -> int:
    """C.i: file `period`'s month (ended or current) with its figures frozen as this member
    sees them; the filing's id. FieldError "note", Refused "period" (not begun), "snapshot" (an
    ended month without its month-end snapshot) and "already_filed" (409: a month is filed
    once), 403 without the statistics."""
    ctx.require(PERMISSION)
    text, problem = clean_text(note, max_length=NOTE_LIMIT, multiline=True)
    if problem:
        raise FieldError("note", problem, max=NOTE_LIMIT)
    first = period.replace(day=1)
    if first > clock.today_in(ctx.tenant.timezone):
        raise Refused("period", NOT_BEGUN)
    async with transaction(ctx.tenant_id, write=True):
        found = await queries.monthly(ctx, first)
        if found["ended"] and found["snapshot"] is None:
            raise Refused("snapshot", NO_SNAPSHOT)
        figures = policy.filed_figures(found)
        made = await MonthFiling.insert(MonthFiling(
            tenant=ctx.tenant_id, period=first, note=text, figures=figures, filed_by=ctx.user.id,
            filed_at=clock.now())).on_conflict(action="DO NOTHING").returning(MonthFiling.id)
        if not made:
            filed = await queries.filing(ctx.tenant_id, first) or {}
            day = i18n.fmt_date(filed.get("filed_at"), ctx.tenant.timezone)
            raise Refused("already_filed", ALREADY_FILED, day=day, name=filed.get("filed_by_name") or "—")
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="statistics.file",
                           object_type="month_filing", object_id=made[0]["id"],
                           after={"period": first.isoformat()[:7], "note": text})
    return int(made[0]["id"])
