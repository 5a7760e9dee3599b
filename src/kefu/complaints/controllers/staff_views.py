"""What the complaint's staff page shows, read in the request's transaction: the complaint, its
deadlines with their signal, the notices owed, notes, materials, its audit trail, the repeat
candidates for the reviewer, and the actions this user may take now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu.accounts.tables import User
from kefu.audit.queries import object_trail
from kefu.complaints import services
from kefu.complaints.controllers.staff_labels import helpers
from kefu.complaints.policy import (
    DEADLINE_KINDS,
    ComplaintPolicy,
    Deadlines,
    allowed,
    current_deadline,
)
from kefu.complaints.services import tenant_policy
from kefu.complaints.services.attachments import MAX_BYTES, TYPES
from kefu.complaints.tables import Complaint, ComplaintAttachment, ComplaintNote
from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.core.tenancy import TenantContext
from kefu.notifications.services import notices_for

AUDIT_LIMIT = 200


@dataclass(frozen=True)
class Action:
    transition: str | None  # policy.TRANSITIONS key; None: not a status change
    permission: str


# name -> the route `complaints.<name>`, the transition it makes and who may make it.
ACTIONS: dict[str, Action] = {
    "request_materials": Action("request_materials", "complaints.register"),
    "complete_materials": Action("complete_materials", "complaints.register"),
    "accept": Action("accept", "complaints.review"),
    "not_accept": Action("not_accept", "complaints.review"),
    "transfer_internal": Action("transfer_internal", "complaints.review"),
    "transfer_out": Action("transfer_out", "complaints.review"),
    "merge": Action("merge", "complaints.review"),
    "assign": Action("assign", "complaints.review"),
    "decide": Action("decide", "complaints.handle"),
    "extend": Action("extend", "complaints.approve_extension"),
    "pause": Action("pause", "complaints.handle"),
    "resume": Action("resume", "complaints.handle"),
    "withdraw": Action("withdraw", "complaints.register"),
    "close": Action("close", "complaints.handle"),
    "major": Action("mark_major", "complaints.review"),
    "regulator_report": Action("report_to_regulator", "complaints.handle"),
    "note": Action(None, "complaints.view"),
    "upload": Action(None, "complaints.register"),
}


def _fits(name: str, c: Complaint, ctx: TenantContext, policy: ComplaintPolicy, today: date,
          repeats: list) -> bool:
    """Conditions beyond status and permission that the service would refuse anyway."""
    if name == "pause":
        return policy.appraisal_pause_allowed and c.paused_since is None
    if name == "resume":
        return c.paused_since is not None
    if name == "extend":
        cap = min(policy.max_extensions, len(policy.extension_steps))
        return c.extensions_granted < cap and (c.decision_due is None or today <= c.decision_due)
    if name == "decide":
        return c.handler == ctx.user.id or ctx.can("complaints.review")
    if name == "regulator_report":
        return c.channel == "regulator"
    if name == "merge":
        return any(m.kind == "open" for m in repeats)
    return True


def available(ctx: TenantContext, c: Complaint, policy: ComplaintPolicy, today: date,
              repeats: list) -> list[str]:
    found = []
    for name, action in ACTIONS.items():
        if not ctx.can(action.permission):
            continue
        if action.transition and not allowed(c.status, action.transition):
            continue
        if _fits(name, c, ctx, policy, today, repeats):
            found.append(name)
    return found


async def _user_names(ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i]
    if not wanted:
        return {}
    rows = await User.select(User.id, User.name).where(User.id.is_in(wanted))
    return {r["id"]: r["name"] for r in rows}


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


def deadlines(c: Complaint) -> list[tuple[str, date | None, bool]]:
    """(kind, due date, still pending) for each statutory deadline; "pending" is asked of
    policy.current_deadline with that deadline alone, so the page and the sweep agree."""
    paused = c.paused_since is not None
    dues = {kind: getattr(c, f"{kind}_due") for kind in DEADLINE_KINDS}
    found = []
    for kind, due in dues.items():
        alone = Deadlines(**{f"{k}_due": due if k == kind else None for k in dues},
                          provisional=False)
        found.append((kind, due, due is not None and
                      current_deadline(c.status, paused, alone) is not None))
    return found


async def complaint_page(ctx: TenantContext, complaint_id: int) -> dict[str, Any]:
    """Everything the detail page shows. Raises 403 (complaints.view), 404."""
    c = await services.get_complaint(ctx, complaint_id)
    policy = tenant_policy(ctx.tenant)
    today = clock.today_in(ctx.tenant.timezone)
    repeats = await services.find_repeats(ctx, c.id) if ctx.can("complaints.review") else []
    actions = available(ctx, c, policy, today, repeats)
    handlers = []
    if "assign" in actions:
        handlers = await services.members_with(ctx.tenant_id, ctx.pack, "complaints.handle")
    names = await _user_names({c.handler, c.registered_by})
    return helpers(policy, today) | await _related(ctx, c) | {
        "c": c, "repeats": repeats, "actions": actions, "handlers": handlers,
        "handler_name": names.get(c.handler or 0, ""),
        "registered_by_name": names.get(c.registered_by or 0, ""),
        "deadlines": deadlines(c), "policy": policy,
        "max_upload_mb": MAX_BYTES >> 20, "upload_types": sorted(TYPES),
    }
