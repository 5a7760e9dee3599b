"""The workflow (A art. 12-18), pure: statuses, the transitions each action may make, and the
not-accepted grounds (A art. 14-15)."""

from __future__ import annotations

import msgspec

# --- The workflow (A art. 12–18): statuses and the transitions each action may make ---------

CHANNELS = ("hotline", "fax", "letter", "in_person", "email", "online", "regulator")
RELATIONS = ("consumer", "agent")  # A art. 15(1): the consumer or their authorised agent
DECISIONS = ("upheld", "partly", "not_upheld")
GOVERNANCE_KINDS = (  # A art. 19
    "complaint_rules", "evaluation_rules", "accountability_rules", "responsible_persons",
)
OPEN_STATUSES = (
    "registered", "materials_incomplete", "under_review", "accepted", "investigating", "decided",
)
TERMINAL_STATUSES = (
    "closed", "not_accepted", "transferred_internal", "transferred_out", "withdrawn", "merged",
)
STATUSES = OPEN_STATUSES + TERMINAL_STATUSES
_BEFORE_DECISION = frozenset(OPEN_STATUSES) - {"decided"}
IN_HANDLING = frozenset({"accepted", "investigating"})
_UNDER_REVIEW = frozenset({"under_review"})
# 2020 rules art. 19: the decision clock runs from receipt, so an extension may be needed while
# the complaint is still under review.
_CLOCK_RUNNING = IN_HANDLING | _UNDER_REVIEW

# action -> (statuses it may start from, status it leads to; None keeps the status)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "request_materials": (frozenset({"registered"}), "materials_incomplete"),  # art. 12
    "complete_materials": (frozenset({"registered", "materials_incomplete"}), "under_review"),
    "accept": (_UNDER_REVIEW, "accepted"),  # art. 14(1)
    "not_accept": (_UNDER_REVIEW, "not_accepted"),  # art. 14(4), (5); art. 15
    "transfer_internal": (_UNDER_REVIEW, "transferred_internal"),  # art. 14(3)
    "transfer_out": (_UNDER_REVIEW, "transferred_out"),  # art. 14(2)
    # art. 15: a repeat with new facts is merged into the first complaint ...
    "merge": (frozenset({"registered", "materials_incomplete", "under_review"}), "merged"),
    # ... whose handling period restarts from the new materials.
    "merge_into": (_BEFORE_DECISION, None),
    "assign": (IN_HANDLING, "investigating"),
    "extend": (_CLOCK_RUNNING, None),
    "request_extension": (_CLOCK_RUNNING, None),
    "record_authorisation": (_BEFORE_DECISION, None),  # A art. 15(1)
    "pause": (frozenset({"investigating"}), None),
    "resume": (frozenset({"investigating"}), None),
    "decide": (frozenset({"investigating"}), "decided"),  # art. 17–18
    "withdraw": (_BEFORE_DECISION, "withdrawn"),
    "close": (frozenset({"decided"}), "closed"),
    "mark_major": (frozenset(OPEN_STATUSES), None),
    # A art. 13: the written report a transferring regulator asked for.
    "report_to_regulator": (frozenset(STATUSES) - {"merged"}, None),
}


def allowed(status: str, action: str) -> bool:
    sources, _ = TRANSITIONS.get(action, (frozenset(), None))
    return status in sources


def next_status(status: str, action: str) -> str:
    """The status after `action`; ValueError if the action is not allowed from `status`."""
    if not allowed(status, action):
        raise ValueError(f"{action!r} is not allowed from {status!r}")
    return TRANSITIONS[action][1] or status


class Ground(msgspec.Struct, frozen=True):
    code: str
    article: str
    label: str
    label_en: str


# A art. 14(5) adds no ground of its own: it refers to the cases of art. 15(1).
GROUNDS: dict[str, Ground] = {
    g.code: g
    for g in (
        Ground("a14_2", "A art. 14(2)", "属于保险消费投诉，但不属于本公司负责处理",
               "A consumer complaint, but not one this company handles"),
        Ground("a14_4", "A art. 14(4)", "不属于保险消费投诉，也不属于公司其他部门负责处理",
               "Not a consumer complaint, and no other department handles it"),
        Ground("a15_1", "A art. 14(5), 15(1)", "投诉不是由保险消费者本人或者其受托人提出",
               "Not filed by the consumer or by an agent they authorised"),
        Ground("a15_2", "A art. 14(5), 15(2)", "已受理，处理期限内无新的事实和理由再次提出同一投诉",
               "Already accepted; filed again within the handling period without new facts"),
        Ground("a15_3", "A art. 14(5), 15(3)", "已作出处理决定，无新的事实和理由再次提出同一投诉",
               "Already decided; filed again without new facts or reasons"),
    )
}
# The grounds recorded with the transfers (not offered as "not accepted" grounds).
TRANSFER_GROUNDS = {"transfer_internal": "a14_3", "transfer_out": "a14_2"}
