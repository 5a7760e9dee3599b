"""A unit's occupancy changes, each with its history row (who, when, why) and audit event.

By hand only renovation begins and ends (policy.next_states(…, "manual")); a completed move-in
or move-out makes a unit occupied or vacant (`record_change`, which those steps call).
"""

from __future__ import annotations

from collections.abc import Mapping

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.errors import FieldError, FieldErrors
from kefu.core.forms import NOT_LISTED, clean_text
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.units import policy
from kefu.units.tables import OccupancyChange, Unit

REASON_MAX = 500
SAY_WHY = i18n.lazy("Say why the occupancy changes.")


async def record_change(tenant_id: int, actor_id: int | None, unit: Unit, to: str, how: str,
                        reason: str) -> None:
    """Check and write one change (inside the caller's transaction). Raises policy.NotAllowed."""
    policy.check_change(unit.occupancy, to, how)
    before = unit.occupancy
    await Unit.update({Unit.occupancy: to, Unit.updated_at: clock.now()}).where(
        Unit.tenant == tenant_id, Unit.id == unit.id)
    unit.occupancy = to
    await OccupancyChange(tenant=tenant_id, unit=unit.id, from_state=before, to_state=to,
                          reason=reason, actor=actor_id, at=clock.now()).save()
    await audit.record(
        tenant_id=tenant_id, actor_id=actor_id, action=f"unit.occupancy.{how}", object_type="unit",
        object_id=unit.id, before={"occupancy": before}, after={"occupancy": to, "reason": reason},
    )


def _check(raw: Mapping[str, str], current: str) -> tuple[str, str]:
    errors: dict[str, FieldError] = {}
    to = str(raw.get("occupancy") or "").strip()
    if to not in policy.next_states(current, "manual"):
        errors["occupancy"] = FieldError("occupancy", NOT_LISTED)
    reason, problem = clean_text(str(raw.get("reason") or ""), max_length=REASON_MAX,
                                 required=True, multiline=True)
    if problem:
        errors["reason"] = FieldError("reason", SAY_WHY if not reason else problem, max=REASON_MAX)
    if errors:
        raise FieldErrors(errors)
    return to, reason


async def change_occupancy(ctx: TenantContext, unit_id: int, raw: Mapping[str, str]) -> Unit:
    """Renovation begins or ends, with a reason. Raises FieldErrors, 403 without units.desk, 404."""
    ctx.require("units.desk")
    async with transaction(ctx.tenant_id, write=True):
        unit = await get_in_tenant(Unit, ctx.tenant_id, unit_id)
        to, reason = _check(raw, unit.occupancy)
        await record_change(ctx.tenant_id, ctx.user.id, unit, to, "manual", reason)
    return unit


async def begin_renovation(tenant_id: int, actor_id: int | None, unit_id: int, reason: str) -> str:
    """An approved renovation makes the unit 'under renovation'; the occupancy it had before
    (to give back at completion). Raises policy.NotAllowed when it is under renovation already."""
    async with transaction(tenant_id, write=True):
        unit = await get_in_tenant(Unit, tenant_id, unit_id)
        before = unit.occupancy
        await record_change(tenant_id, actor_id, unit, policy.RENOVATION, "renovation", reason)
    return before


async def end_renovation(tenant_id: int, actor_id: int | None, unit_id: int, back_to: str, reason: str) -> None:
    """A completed renovation gives the unit back `back_to`; a unit no longer under renovation
    (a move-in ended it) is left as it is."""
    async with transaction(tenant_id, write=True):
        unit = await get_in_tenant(Unit, tenant_id, unit_id)
        if unit.occupancy == policy.RENOVATION:
            await record_change(tenant_id, actor_id, unit, back_to, "renovation", reason)
