"""What the desk's writes share: the pack, the unit a form names, the members work is given to."""

from __future__ import annotations

from kefu import i18n
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.desk import policy, schemas
from kefu.tenancy import queries as members
from kefu.units import queries as units

WORKER = "desk.work"


def pack_of(ctx: TenantContext) -> policy.DeskPack:
    return policy.desk_pack(ctx.tenant.kind)


async def unit_of(ctx: TenantContext, form: Form, text: str) -> int | None:
    """The id of the one unit `text` names; a field error on `unit` otherwise (unless the
    field is bad already or empty)."""
    if not text or "unit" in form.errors:
        return None
    found = await units.find_unit(ctx.tenant_id, text)
    if found is None:
        form.error("unit", i18n.gettext(schemas.NO_UNIT))
        return None
    return int(found["id"])


async def worker_ids(ctx: TenantContext) -> list[int]:
    """The active members who may take desk work (desk.work), by user id."""
    return [u.id for u in await members.members_with(ctx.tenant_id, ctx.pack, WORKER)]
