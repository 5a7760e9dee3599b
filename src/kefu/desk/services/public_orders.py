"""A paid service ordered by a resident from the public price list (C.c), no sign-in: the unit
must be one the estate has, the price is the catalogue's of the day, the order lands on the desk
as an open order marked "public", and the resident follows it behind a secret link."""

from __future__ import annotations

import secrets
from typing import Any

from kefu import i18n
from kefu.audit import services as audit
from kefu.core import clock
from kefu.core.forms import Form
from kefu.db import transaction
from kefu.desk import policy, schemas
from kefu.desk.tables import ServiceOrder
from kefu.units import queries as units

SOURCE = "public"


async def place_public_order(tenant: Any, form: Form) -> ServiceOrder:
    """Raises FieldErrors (every bad field; a unit the estate does not have is one)."""
    pack = policy.desk_pack(tenant.kind)
    async with transaction(tenant.id, write=True):
        data = schemas.public_order_input(form, pack, clock.today_in(tenant.timezone))
        found = None
        if "unit" not in form.errors and form.data.get("unit", "").strip():
            found = await units.find_unit(tenant.id, form.data["unit"])
            if found is None:
                form.error("unit", i18n.gettext(schemas.NO_UNIT))
        form.check()
        assert data is not None and found is not None
        service = pack.service(data.service)
        assert service is not None
        order = ServiceOrder(
            tenant=tenant.id, unit=int(found["id"]), service=service.code, contact=data.contact, phone=data.phone,
            quantity=data.quantity, price=service.amount, amount=policy.order_amount(service.amount, data.quantity),
            wanted_on=data.wanted_on, notes=data.notes, source=SOURCE, public_token=secrets.token_urlsafe(24))
        await order.save()
        await audit.record(tenant_id=tenant.id, actor_id=None, action="service_order.create",
                           object_type="service_order", object_id=order.id,
                           after={"service": order.service, "unit": order.unit, "quantity": order.quantity,
                                  "amount": str(order.amount), "state": order.state, "source": SOURCE})
    return order
