"""The one-query reads of every signed-in request return what the separate queries returned."""

from __future__ import annotations

from kefu.accounts.tables import User
from kefu.core.packs import ADMIN_POSITION
from kefu.tenancy.queries import member_tenant, signed_in
from kefu.tenancy.services import MembershipView, add_member
from kefu.tenancy.tables import Membership, Tenant
from tests import factories


async def _separately(user_id: int, tenant: Tenant):
    user = await User.objects().where(User.id == user_id, User.is_active.eq(True)).first()
    row = await Tenant.objects().where(Tenant.slug == tenant.slug, Tenant.is_active.eq(True)).first()
    membership = None
    if row is not None:
        membership = await Membership.objects().where(
            Membership.tenant == row.id, Membership.user == user_id, Membership.is_active.eq(True)
        ).first()
    return user, row, membership


async def test_user_memberships_tenant_and_membership_match_the_separate_queries(cast):
    person = await factories.member(cast.tenant_a, ["agent"], name="Lin 双租户")
    await add_member(tenant=cast.tenant_b, user=person, positions=[ADMIN_POSITION, "front_desk"])
    found = await signed_in(person.id)
    expected = sorted([
        MembershipView(cast.tenant_a.slug, cast.tenant_a.name, cast.tenant_a.kind, ["agent"]),
        MembershipView(cast.tenant_b.slug, cast.tenant_b.name, cast.tenant_b.kind, [ADMIN_POSITION, "front_desk"]),
    ], key=lambda m: m.name)  # the switcher lists tenants by name
    assert found.memberships == expected
    for tenant in (cast.tenant_a, cast.tenant_b):
        user, row, membership = await _separately(person.id, tenant)
        assert row is not None and membership is not None
        assert found.user is not None and found.user.to_dict() == user.to_dict()
        for pair in (found.member_tenant(tenant.slug), await member_tenant(tenant.slug, person.id)):
            assert pair is not None
            assert pair[0].to_dict() == row.to_dict()
            assert pair[1].to_dict() == membership.to_dict()
            assert pair[1].positions_list() == membership.positions_list()
    assert found.member_tenant("no-such-slug") is None


async def test_inactive_membership_tenant_or_user_is_left_out(cast):
    person = await factories.member(cast.tenant_a, ["agent"])
    other = await factories.tenant()
    await add_member(tenant=other, user=person, positions=["agent"])
    await Membership.update({Membership.is_active: False}).where(
        Membership.tenant == cast.tenant_a.id, Membership.user == person.id
    )
    await Tenant.update({Tenant.is_active: False}).where(Tenant.id == other.id)
    found = await signed_in(person.id)
    assert found.user is not None and found.user.id == person.id
    assert found.memberships == []
    for tenant in (cast.tenant_a, other):
        assert found.member_tenant(tenant.slug) is None
        assert await member_tenant(tenant.slug, person.id) is None
    await User.update({User.is_active: False}).where(User.id == person.id)
    gone = await signed_in(person.id)
    assert gone.user is None and gone.memberships == []


async def test_user_without_tenants_is_signed_in_with_none(cast):
    person = await factories.user()
    found = await signed_in(person.id)
    assert found.user is not None and found.user.email == person.email
    assert found.memberships == []
    assert found.member_tenant(cast.tenant_a.slug) is None
