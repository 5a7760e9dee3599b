"""Complaint use cases: one function per transition (A art. 9–20).

Every write takes the acting TenantContext, checks its permission and the allowed transition
(policy.TRANSITIONS), runs in the tenant's transaction, recomputes the deadlines, leaves an
audit event with before/after and owes its notices through the outbox in that same
transaction; the outbox is nudged after commit. Errors: PermissionDeniedException (403),
NotFoundException (404, also for another tenant's id), TransitionNotAllowed (409), FieldError
(naming the field).
"""

from kefu.complaints.services._base import TransitionNotAllowed, members_with, tenant_policy
from kefu.complaints.services.attachments import add_attachment, open_attachment
from kefu.complaints.services.deadlines import recompute_deadlines
from kefu.complaints.services.extensions import (
    approve_extension,
    record_authorisation,
    request_extension,
)
from kefu.complaints.services.handling import (
    add_note,
    assign_handler,
    close_complaint,
    grant_extension,
    handler_candidates,
    mark_major,
    pause_for_appraisal,
    record_decision,
    record_regulator_report,
    resume_after_appraisal,
)
from kefu.complaints.services.intake import (
    mark_materials_complete,
    register_complaint,
    register_complaint_once,
    register_public_complaint,
    request_materials,
    withdraw_complaint,
)
from kefu.complaints.services.registers import (
    PublicStatus,
    add_governance_document,
    deadlines_view,
    get_complaint,
    get_contact_info,
    public_status,
    update_contact_info,
)
from kefu.complaints.services.reminders import remind_tenant, sweep_reminders
from kefu.complaints.services.report_issues import issue_analysis_report
from kefu.complaints.services.review import find_repeats, merge_repeat, review_complaint
from kefu.holidays.services import AFTER_LOAD

# A change of the holiday schedule (a year loaded or corrected, a day overridden) recomputes
# every open deadline it touches.
if recompute_deadlines not in AFTER_LOAD:
    AFTER_LOAD.append(recompute_deadlines)

__all__ = [
    "PublicStatus", "TransitionNotAllowed", "add_attachment", "add_governance_document",
    "add_note", "approve_extension", "assign_handler", "close_complaint", "deadlines_view", "find_repeats",
    "get_complaint", "get_contact_info", "issue_analysis_report", "grant_extension", "handler_candidates", "mark_major",
    "mark_materials_complete", "members_with", "merge_repeat", "open_attachment",
    "pause_for_appraisal", "public_status", "recompute_deadlines",
    "record_authorisation", "record_decision", "record_regulator_report", "register_complaint", "register_complaint_once", "register_public_complaint", "remind_tenant",
    "request_extension", "request_materials", "resume_after_appraisal", "review_complaint", "sweep_reminders",
    "tenant_policy", "update_contact_info", "withdraw_complaint",
]
