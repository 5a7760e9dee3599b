"""An invitee withdraws their consent to be contacted from the survey's own page (the 退订 link):
the customers module records it with its time (customers.services.withdraw_consent). Only an
invitee's token names a customer; the open link has nobody to withdraw."""

from __future__ import annotations

from kefu.core.tenancy import TenantRow
from kefu.customers.services import withdraw_consent
from kefu.surveys.policy.answering import Target
from kefu.surveys.queries.answering import resolve


async def opt_out_target(tenant: TenantRow, token: str) -> Target | None:
    """The invitation a token opens, if it names a customer who can opt out; else None."""
    target = await resolve(tenant, token)
    if target is None or target.is_open_link or target.customer_id is None:
        return None
    return target


async def opt_out(tenant: TenantRow, token: str) -> bool | None:
    """None: not an invitee's token with a customer (404); else whether consent was withdrawn
    now (False: it already was)."""
    target = await opt_out_target(tenant, token)
    if target is None or target.customer_id is None:
        return None
    return await withdraw_consent(tenant.id, target.customer_id, via="survey_link")
