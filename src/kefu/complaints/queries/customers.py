"""The complaints section of a customer's page: the customers module's page loads it from
complaints' route (complaints names the customer, so customers does not import complaints)."""

from __future__ import annotations

from typing import Any

from kefu.complaints.tables import Complaint
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.customers import queries as customers


async def customer_complaints(tenant_id: int, customer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A customer's complaints, newest first: id, number, status, subject, received_on."""
    return await scoped(
        Complaint, tenant_id, Complaint.id, Complaint.number, Complaint.status,
        Complaint.subject, Complaint.received_on,
    ).where(Complaint.customer == customer_id).order_by(Complaint.id, ascending=False).limit(limit)


async def customer_section(ctx: TenantContext, customer_id: int) -> dict[str, Any]:
    """The customer (whoever may see them sees this section too) and their complaints. 403, 404."""
    c = await customers.get_customer(ctx, customer_id)
    return {"c": c, "complaints": await customer_complaints(ctx.tenant_id, c.id)}
