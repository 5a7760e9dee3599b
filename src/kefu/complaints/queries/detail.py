"""What the complaint's staff page shows, read in the request's transaction: the complaint, its
deadlines with their signal, the notices owed, notes, materials, its audit trail, the repeat
candidates for the reviewer, and the actions this member may take now.

The audit trail and the user names come from audit.queries and accounts.queries.
"""

from __future__ import annotations

from typing import Any

from kefu.accounts.queries import user_names
from kefu.audit.queries import object_trail
from kefu.complaints import services
from kefu.complaints.policy import (
    ComplaintFacts,
    RepeatMatch,
    WatchFacts,
    allowed_actions,
    extension_cap,
    next_extension_days,
    pending_deadlines,
    policy_for,
)
from kefu.complaints.tables import Complaint, ComplaintAttachment, ComplaintNote
from kefu.core import clock
from kefu.core.files import MAX_BYTES, TYPES
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.notifications.queries import notices_for

AUDIT_LIMIT = 200


async def _related(ctx: TenantContext, c: Complaint) -> dict[str, Any]:
    tid = ctx.tenant_id
    notes = await scoped(
        ComplaintNote, tid, ComplaintNote.id, ComplaintNote.kind, ComplaintNote.body,
        ComplaintNote.created_at, ComplaintNote.author.name.as_alias("author_name"),
    ).where(ComplaintNote.complaint == c.id).order_by(ComplaintNote.id)
    attachments = await scoped(
        ComplaintAttachment, tid, ComplaintAttachment.id, ComplaintAttachment.filename,
        ComplaintAttachment.content_type, ComplaintAttachment.size,
        ComplaintAttachment.created_at, ComplaintAttachment.uploaded_by.name.as_alias("by"),
    ).where(ComplaintAttachment.complaint == c.id).order_by(ComplaintAttachment.id)
    trail = await object_trail(tid, "complaint", c.id, limit=AUDIT_LIMIT)
    merged_in = await scoped(Complaint, tid, Complaint.id, Complaint.number).where(
        Complaint.repeat_of == c.id
    ).order_by(Complaint.id)
    repeat_of = None
    if c.repeat_of:
        repeat_of = await scoped(Complaint, tid, Complaint.id, Complaint.number).where(
            Complaint.id == c.repeat_of
        ).first()
    return {
        "notes": notes, "attachments": attachments, "trail": trail,
        "merged_in": merged_in, "repeat_of": repeat_of,
        "notices": await notices_for(tid, "complaint", c.id),
    }


def _facts(ctx: TenantContext, c: Complaint, notes: list[dict[str, Any]],
           repeats: list[RepeatMatch]) -> ComplaintFacts:
    return ComplaintFacts.of(
        c, user_id=ctx.user.id,
        major_report_filed=any(n["kind"] == "major_report" for n in notes),
        open_repeat=any(m.kind == "open" for m in repeats),
    )


async def complaint_page(ctx: TenantContext, complaint_id: int) -> dict[str, Any]:
    """Everything the detail page shows, and what this member may do now (policy.allowed_actions).
    Raises 403 (complaints.view), 404."""
    c = await services.get_complaint(ctx, complaint_id)
    policy = policy_for(ctx.tenant.kind, ctx.tenant.settings)
    today = clock.today_in(ctx.tenant.timezone)
    repeats = await services.find_repeats(ctx, c.id) if ctx.can("complaints.review") else []
    related = await _related(ctx, c)
    allowed = allowed_actions(_facts(ctx, c, related["notes"], repeats), policy, ctx.permissions, today)
    handlers = []
    if "assign" in allowed:
        handlers = await services.handler_candidates(ctx)
    names = await user_names({c.handler, c.registered_by})
    return related | {
        "c": c, "repeats": repeats, "actions": allowed.actions, "refused": allowed.refused,
        "handlers": handlers, "handler_name": names.get(c.handler or 0, ""),
        "registered_by_name": names.get(c.registered_by or 0, ""),
        "deadlines": pending_deadlines(WatchFacts.of(c)),
        "extension_days": next_extension_days(policy, c.extensions_granted),
        "extension_cap": extension_cap(policy),
        "regulator_transfer": c.channel == "regulator", "policy": policy, "today": today,
        "max_upload_mb": MAX_BYTES >> 20, "upload_types": sorted(TYPES),
    }
