"""A customer withdraws their consent to be contacted themselves (the opt-out link on a public
survey page): recorded with its time on the customer and in the audit trail. Statutory
complaint notices do not depend on this consent and are not affected."""

from __future__ import annotations

from kefu.audit import services as audit
from kefu.core import clock
from kefu.customers.tables import Customer
from kefu.db import transaction

VIA = ("survey_link", "sms_reply")


async def withdraw_consent(tenant_id: int, customer_id: int, *, via: str) -> bool:
    """True if the customer had consent and now has not; False if it was already withdrawn
    (or the customer is not this tenant's). No acting member: the customer acts."""
    if via not in VIA:
        raise ValueError(f"withdraw_consent: via {via!r} is not one of {VIA}")
    now = clock.now()
    async with transaction(tenant_id):
        changed = await (
            Customer.update({Customer.consent_contact: False, Customer.consent_withdrawn_at: now})
            .where(Customer.tenant == tenant_id, Customer.id == customer_id, Customer.consent_contact.eq(True))
            .returning(Customer.id)
        )
        if changed:
            await audit.record(
                tenant_id=tenant_id, actor_id=None, action="customer.consent_withdrawn", object_type="customer",
                object_id=customer_id, before={"consent_contact": True},
                after={"consent_contact": False, "via": via, "at": now.isoformat()},
            )
    return bool(changed)
