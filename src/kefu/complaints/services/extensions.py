"""Extension requests (2020 rules art. 19) and the agent's authorisation (A art. 15(1)).

An agent, or the handler, asks for an extension with its reason; a holder of
complaints.approve_extension grants what was asked (the second one only a senior position).
"""

from __future__ import annotations

from kefu.complaints.services._base import EXTENSION_REQUEST, change
from kefu.complaints.services.handling import _extend
from kefu.complaints.services.intake import _reason
from kefu.complaints.tables import Complaint, ComplaintNote
from kefu.core.tenancy import TenantContext


async def request_extension(ctx: TenantContext, complaint_id: int, *, reason: str) -> Complaint:
    """Ask for the next extension, for a holder of complaints.approve_extension to grant; the
    request is an internal note until then. Under review or in handling, before the period
    ends. Raises FieldError("reason"), 403 (complaints.register), 404, 409 (status, cap reached,
    period over, already requested)."""
    reason = _reason("reason", reason)
    async with change(ctx, complaint_id, "request_extension") as step:
        await ComplaintNote(tenant=ctx.tenant_id, complaint=step.c.id, author=ctx.user.id,
                            kind=EXTENSION_REQUEST, body=reason).save()
        step.audit_extra = {"reason": reason}
    return step.c


async def approve_extension(ctx: TenantContext, complaint_id: int) -> Complaint:
    """Grant the extension that was asked for, with the request's reason (grant_extension's
    rules). Raises 403 (complaints.approve_extension), 404, 409 (no_extension_request and
    grant_extension's refusals)."""
    return await _extend(ctx, complaint_id, "approve_extension", None)


async def record_authorisation(ctx: TenantContext, complaint_id: int) -> Complaint:
    """A art. 15(1): the agent's written authorisation has arrived; until then the complaint
    cannot be accepted. Raises 403 (complaints.register), 404, 409 (decided or ended; not made
    through an agent)."""
    async with change(ctx, complaint_id, "authorisation") as step:
        step.c.authorisation_doc = True
    return step.c
