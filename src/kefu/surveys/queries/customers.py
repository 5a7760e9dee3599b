"""The surveys section of a customer's page: the customers module's page loads it from
surveys' route (surveys names the customer, so customers does not import surveys)."""

from __future__ import annotations

from typing import Any

from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.customers import queries as customers
from kefu.surveys.tables import SurveyInvitation


async def customer_invitations(tenant_id: int, customer_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """A customer's survey invitations, newest first: id, state, answered_at, round_id,
    round_title."""
    return await scoped(
        SurveyInvitation, tenant_id, SurveyInvitation.id, SurveyInvitation.state,
        SurveyInvitation.answered_at, SurveyInvitation.round.id.as_alias("round_id"),
        SurveyInvitation.round.title.as_alias("round_title"),
    ).where(SurveyInvitation.customer == customer_id).order_by(
        SurveyInvitation.id, ascending=False
    ).limit(limit)


async def customer_section(ctx: TenantContext, customer_id: int) -> dict[str, Any]:
    """The customer (whoever may see them sees this section too) and their invitations. 403, 404."""
    c = await customers.get_customer(ctx, customer_id)
    return {"c": c, "invitations": await customer_invitations(ctx.tenant_id, c.id)}
