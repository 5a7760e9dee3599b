"""Tenancy's reads: on every signed-in request the user with their tenants (signed_in), and for
other modules one tenant, the active tenants a sweep walks and a tenant's members (members)."""

from kefu.tenancy.queries.members import (
    active_member_count,
    active_members,
    active_tenant_ids,
    active_tenants,
    all_tenants,
    get_tenant,
    is_active_member,
    member_list,
    members_with,
    tenant_timezone,
)
from kefu.tenancy.queries.signed_in import SignedIn, member_tenant, signed_in

__all__ = [
    "SignedIn", "active_member_count", "active_members", "active_tenant_ids", "active_tenants", "all_tenants", "get_tenant",
    "is_active_member", "member_list", "member_tenant", "members_with", "signed_in", "tenant_timezone",
]
