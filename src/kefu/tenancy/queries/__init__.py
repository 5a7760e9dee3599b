"""Tenancy's reads: on every signed-in request the user with their tenants (signed_in), and for
other modules one tenant, the active tenants a sweep walks and a tenant's members (members)."""

from kefu.tenancy.queries.members import (
    active_member_count,
    active_members,
    active_tenant_ids,
    active_tenants,
    all_tenants,
    api_tokens,
    get_tenant,
    has_active_membership,
    is_active_member,
    member_list,
    members_holding,
    members_with,
    tenant_is_active,
    tenant_timezone,
)
from kefu.tenancy.queries.positions import pack_of_tenant, tenant_pack
from kefu.tenancy.queries.signed_in import SignedIn, may_enter, member_tenant, signed_in

__all__ = [
    "pack_of_tenant", "tenant_pack",
    "SignedIn", "active_member_count", "active_members", "active_tenant_ids", "active_tenants", "all_tenants",
    "api_tokens", "get_tenant", "has_active_membership", "is_active_member", "may_enter", "member_list",
    "member_tenant", "members_holding", "members_with", "signed_in", "tenant_is_active", "tenant_timezone",
]
