"""The complaint workflow's rules, pure (no I/O, no clock: the caller passes `today`).

deadlines: the statutory periods and the due dates they give; transitions: statuses, actions and
grounds; repeats: A art. 15; actions: what may be done to one complaint now, and why not;
pack: the tenant's policy read from its pack (the only file read, cached).
"""

from kefu.complaints.policy.actions import (
    ACTIONS,
    REFUSALS,
    Action,
    Allowed,
    ComplaintFacts,
    Refusal,
    allowed_actions,
    extension_cap,
    may_decide,
    next_extension_days,
    refusal,
    transition_refusal,
)
from kefu.complaints.policy.deadlines import (
    DEADLINE_KINDS,
    RUNS_FROM,
    Category,
    ComplaintPolicy,
    Deadlines,
    PeriodRule,
    compute_deadlines,
    current_deadline,
    first_remind_on,
    format_number,
    next_remind_after,
    overdue_state,
    pending_deadlines,
    reminder_stage,
)
from kefu.complaints.policy.pack import PolicyError, load_policy, parse_policy, policy_for, validate
from kefu.complaints.policy.repeats import (
    Party,
    PriorComplaint,
    RepeatMatch,
    find_repeat_matches,
    same_party,
)
from kefu.complaints.policy.transitions import (
    CHANNELS,
    DECISIONS,
    GOVERNANCE_KINDS,
    GROUNDS,
    IN_HANDLING,
    OPEN_STATUSES,
    RELATIONS,
    STATUSES,
    TERMINAL_STATUSES,
    TRANSFER_GROUNDS,
    TRANSITIONS,
    Ground,
    allowed,
    next_status,
)

__all__ = [
    "ACTIONS", "CHANNELS", "DEADLINE_KINDS", "DECISIONS", "GOVERNANCE_KINDS", "GROUNDS",
    "IN_HANDLING", "OPEN_STATUSES", "REFUSALS", "RELATIONS", "RUNS_FROM", "STATUSES",
    "TERMINAL_STATUSES", "TRANSFER_GROUNDS", "TRANSITIONS", "Action", "Allowed", "Category",
    "ComplaintFacts", "ComplaintPolicy", "Deadlines", "Ground", "Party", "PeriodRule",
    "PolicyError", "PriorComplaint", "Refusal", "RepeatMatch", "allowed", "allowed_actions",
    "compute_deadlines", "extension_cap", "current_deadline", "find_repeat_matches", "first_remind_on",
    "format_number", "load_policy", "may_decide", "next_extension_days", "next_remind_after",
    "next_status", "overdue_state", "parse_policy", "pending_deadlines", "policy_for", "refusal", "reminder_stage",
    "same_party", "transition_refusal", "validate",
]
