"""Identity objects for tests and the isolation sweep (ID_FACTORIES: an object of a tenant
carrying the marker where its pages show it)."""

from __future__ import annotations

from datetime import timedelta

from kefu.core import clock
from kefu.db import transaction
from kefu.identity.services.invitations import hash_token
from tests import factories


async def membership(tenant, marker: str = "") -> int:
    """A member whose name is the marker (the members page shows it); the membership id."""
    from kefu.tenancy.tables import Membership

    person = await factories.member(tenant, ["agent"], name=marker or factories.unique("member"))
    row = await Membership.select(Membership.id).where(
        Membership.tenant == tenant.id, Membership.user == person.id).first()
    return row["id"]


async def invitation(tenant, marker: str = "") -> int:
    """An open invitation whose email carries the marker; its id."""
    from kefu.identity.tables import Invitation

    row = Invitation(tenant=tenant.id, email=f"{marker or factories.unique('inv')}@example.test",
                     positions=["agent"], token_hash=hash_token(factories.unique("token")),
                     expires_at=clock.now() + timedelta(days=7))
    async with transaction(tenant.id):
        await row.save()
    return row.id


async def api_token(tenant, marker: str = "") -> int:
    """A token of the tenant's first admin named with the marker; its id."""
    from kefu.tenancy.tables import ApiToken

    person = await factories.member(tenant, ["admin"], name=factories.unique("holder"))
    await factories.api_token(tenant, person, label=marker or factories.unique("token"))
    async with transaction(tenant.id, write=False):
        row = await ApiToken.select(ApiToken.id).where(ApiToken.tenant == tenant.id).order_by(
            ApiToken.id, ascending=False).first()
    return row["id"]


ID_FACTORIES = {"membership_id": membership, "invitation_id": invitation, "token_id": api_token}
