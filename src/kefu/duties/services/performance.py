"""Commendations and criticisms (A art. 27; B.f, C.n): recorded by a manager with a reason and,
optionally, the record they cite in any module (kefu.duties.registry.citable), audited."""

from __future__ import annotations

from datetime import date

from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.duties.policy import scorecards as rules
from kefu.duties.registry import citables
from kefu.duties.tables import PerformanceNote
from kefu.tenancy.queries import is_active_member

MANAGE = "duties.board"


async def record_note(
    ctx: TenantContext, *, user_id: int, kind: str, noted_on: date, reason: str, cites_kind: str = "",
    cites_id: int | None = None,
) -> PerformanceNote:
    """A commendation or criticism of a member. Raises FieldError (user_id, kind, noted_on,
    reason, cites_kind, cites_id: a cited record the tenant does not have), 403 (duties.board)."""
    ctx.require(MANAGE)
    kinds = citables()
    reason = rules.check_note(kind, reason, cites_kind, cites_id, kinds)
    if noted_on > clock.today_in(ctx.tenant.timezone):
        raise FieldError("noted_on", "The date cannot be in the future.")
    async with transaction(ctx.tenant_id):
        if not await is_active_member(ctx.tenant_id, user_id):
            raise FieldError("user_id", "Choose one of the listed values.")
        if cites_kind and cites_id is not None and await kinds[cites_kind].lookup(ctx.tenant_id, cites_id) is None:
            raise FieldError("cites_id", "No such record.")
        row = PerformanceNote(tenant=ctx.tenant_id, user=user_id, kind=kind, noted_on=noted_on, reason=reason,
                              cites_kind=cites_kind, cites_id=cites_id, recorded_by=ctx.user.id)
        await row.save()
        await audit.record(tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action=f"performance.{kind}",
                           object_type="performance_note", object_id=row.id,
                           after={"user_id": user_id, "noted_on": noted_on.isoformat(), "reason_chars": len(reason),
                                  "cites": f"{cites_kind}:{cites_id}" if cites_kind else ""})
    return row
