"""What a resident sees of their own paid-service order behind its secret link: the service,
the unit, the amount, the state and its days. Never the staff member, the notes or the bill."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.desk import policy
from kefu.desk.tables import ServiceOrder


async def public_order(tenant: Any, token: str) -> dict[str, Any] | None:
    """The order with this link in this tenant, or None (an unknown link, another tenant's)."""
    unit: Any = ServiceOrder.unit
    # A public page has no signed-in member: the tenant's transaction makes its rows visible (RLS).
    async with transaction(tenant.id, write=False):
        rows = await scoped(ServiceOrder, tenant.id, ServiceOrder.service, ServiceOrder.quantity,
                            ServiceOrder.price, ServiceOrder.amount, ServiceOrder.wanted_on, ServiceOrder.state,
                            ServiceOrder.contact, ServiceOrder.created_at, ServiceOrder.done_at,
                            unit.building.name.as_alias("building_name"), unit.entrance.as_alias("entrance"),
                            unit.room.as_alias("room"),
                            ).where(ServiceOrder.public_token == token).limit(1)
    if not rows:
        return None
    order = rows[0]
    for k in ("price", "amount"):
        order[k] = Decimal(str(order[k])).quantize(policy.FEN)
    return order
