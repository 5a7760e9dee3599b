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
    WORDING_KEYS,
    Category,
    ComplaintPolicy,
    Deadlines,
    PeriodRule,
    Remedy,
    compute_deadlines,
    format_number,
    overdue_state,
    paused_length,
)
from kefu.complaints.policy.pack import PolicyError, load_policy, parse_policy, policy_for, validate
from kefu.complaints.policy.repeats import (
    Party,
    PriorComplaint,
    RepeatMatch,
    find_repeat_matches,
    merge_refusal,
    restarts_period,
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
from kefu.complaints.policy.watch import (
    PENDING_IN,
    WATCH_KINDS,
    Reminder,
    Watched,
    WatchFacts,
    first_reminder_day,
    next_remind_on,
    next_reminder_after,
    pending_deadlines,
    recipients_for,
    reminder_on,
    watched_deadlines,
)

__all__ = [
    "ACTIONS", "Action", "Allowed", "CHANNELS", "Category", "ComplaintFacts", "ComplaintPolicy",
    "DEADLINE_KINDS", "DECISIONS", "Deadlines", "GOVERNANCE_KINDS", "GROUNDS", "Ground",
    "IN_HANDLING", "OPEN_STATUSES", "PENDING_IN", "PolicyError", "Party", "PeriodRule", "PriorComplaint",
    "REFUSALS", "RELATIONS", "RUNS_FROM", "Refusal", "Reminder", "RepeatMatch", "STATUSES",
    "TERMINAL_STATUSES", "TRANSFER_GROUNDS", "TRANSITIONS", "WATCH_KINDS", "WORDING_KEYS", "WatchFacts", "Watched",
    "allowed", "allowed_actions", "compute_deadlines", "extension_cap", "find_repeat_matches",
    "first_reminder_day", "format_number", "load_policy", "may_decide", "merge_refusal", "restarts_period", "next_extension_days", "next_remind_on",
    "next_reminder_after", "next_status", "overdue_state", "paused_length", "Remedy", "parse_policy", "pending_deadlines", "policy_for", "recipients_for",
    "refusal", "reminder_on", "same_party", "transition_refusal", "validate", "watched_deadlines",
]
