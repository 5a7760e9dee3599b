"""policy.allowed_actions: what a member may do to a complaint now, state by state and permission
by permission, and the code of each refusal (the same answer the services give as a 409)."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.complaints.policy import (
    REFUSALS,
    STATUSES,
    ComplaintFacts,
    ComplaintPolicy,
    allowed_actions,
    refusal,
)

TODAY = date(2026, 3, 2)
POLICY = ComplaintPolicy()
VIEW = "complaints.view"

# Written out by hand from A art. 12-18 (not derived from policy.TRANSITIONS): what can happen
# to a regulator-transferred complaint in each status, with every permission, by its handler,
# not paused, no extension yet, and an open earlier complaint to merge into.
ANY_STATUS = {"note", "upload", "regulator_report"}
BY_STATUS = {
    "registered": ANY_STATUS | {"request_materials", "complete_materials", "merge", "withdraw", "major"},
    "materials_incomplete": ANY_STATUS | {"complete_materials", "merge", "withdraw", "major"},
    # The decision clock runs from receipt: an extension may be asked for under review.
    "under_review": ANY_STATUS | {"accept", "not_accept", "transfer_internal", "transfer_out", "merge",
                                  "withdraw", "major", "extend", "request_extension"},
    "accepted": ANY_STATUS | {"assign", "extend", "request_extension", "withdraw", "major"},
    "investigating": ANY_STATUS | {"assign", "extend", "request_extension", "pause", "decide",
                                   "withdraw", "major"},
    "decided": ANY_STATUS | {"close", "major"},
    "closed": ANY_STATUS,
    "not_accepted": ANY_STATUS,
    "transferred_internal": ANY_STATUS,
    "transferred_out": ANY_STATUS,
    "withdrawn": ANY_STATUS,
    "merged": {"note", "upload"},  # A art. 13: the report is on the complaint it was merged into
}
# Each permission (with complaints.view) and the actions it opens.
BY_PERMISSION = {
    VIEW: {"note"},
    "complaints.register": {"note", "upload", "request_materials", "complete_materials", "withdraw",
                            "request_extension"},
    "complaints.review": {"note", "accept", "not_accept", "transfer_internal", "transfer_out", "merge",
                          "assign", "major"},
    "complaints.handle": {"note", "decide", "pause", "resume", "close", "regulator_report"},
    "complaints.approve_extension": {"note", "extend"},
}


def facts(status: str, **changes: object) -> ComplaintFacts:
    base = {"status": status, "channel": "regulator", "is_handler": True, "open_repeat": True}
    return ComplaintFacts(**(base | changes))  # type: ignore[arg-type]


def test_the_table_covers_every_status():
    assert set(BY_STATUS) == set(STATUSES)


@pytest.mark.parametrize("status", list(BY_STATUS))
@pytest.mark.parametrize("permission", list(BY_PERMISSION))
def test_each_status_and_permission(status, permission):
    allowed = allowed_actions(facts(status), POLICY, frozenset({VIEW, permission}), TODAY)
    assert allowed.actions == BY_STATUS[status] & BY_PERMISSION[permission]


@pytest.mark.parametrize("status", list(BY_STATUS))
def test_every_permission_at_once(status):
    everything = frozenset({VIEW, *BY_PERMISSION})
    assert allowed_actions(facts(status), POLICY, everything, TODAY).actions == BY_STATUS[status]


# (facts, policy, action, code): the conditions beyond the status, each with its own code.
CASES = [
    (facts("investigating", paused=True), POLICY, "pause", "already_paused"),
    (facts("investigating"), POLICY, "resume", "not_paused"),
    (facts("investigating"), ComplaintPolicy(appraisal_pause_allowed=False), "pause", "pause_not_allowed"),
    (facts("accepted", extensions_granted=2), POLICY, "extend", "no_further_extension"),
    (facts("accepted", extensions_granted=1), ComplaintPolicy(max_extensions=1), "extend",
     "no_further_extension"),
    (facts("accepted", decision_due=date(2026, 3, 1)), POLICY, "extend", "period_ended"),
    (facts("decided", is_major=True), ComplaintPolicy(major_report_required=True), "close",
     "major_report_missing"),
    (facts("registered", channel="hotline"), POLICY, "regulator_report", "not_regulator_transfer"),
    (facts("registered"), POLICY, "accept", "state"),
    # A art. 15(1): through an agent, accepted only once the written authorisation is recorded.
    (facts("under_review", by_agent=True), POLICY, "accept", "authorisation_missing"),
    (facts("under_review"), POLICY, "authorisation", "not_an_agent"),
    # The second extension: a senior manager only (2020 rules art. 19).
    (facts("accepted", extensions_granted=1), POLICY, "extend", "senior_approval_needed"),
    (facts("accepted"), POLICY, "approve_extension", "no_extension_request"),
    (facts("accepted", extension_requested=True), POLICY, "request_extension", "extension_requested"),
    (facts("investigating", decision_due=date(2026, 3, 1)), POLICY, "pause", "period_ended"),
    (facts("closed"), POLICY, "withdraw", "state"),
]


@pytest.mark.parametrize(("f", "policy", "action", "code"), CASES)
def test_a_refusal_has_its_code_and_words(f, policy, action, code):
    why = refusal(action, f, policy, TODAY)
    assert why is not None and (why.code, why.message) == (code, REFUSALS[code])
    allowed = allowed_actions(f, policy, frozenset({VIEW, *BY_PERMISSION}), TODAY)
    assert action not in allowed.actions and allowed.refused[action] == why


@pytest.mark.parametrize(("f", "policy", "action"), [
    (facts("investigating", paused=True), POLICY, "resume"),
    (facts("accepted", extensions_granted=1, is_senior=True), POLICY, "extend"),
    (facts("under_review", by_agent=True, authorised=True), POLICY, "accept"),
    (facts("under_review", by_agent=True), POLICY, "authorisation"),
    (facts("accepted", extension_requested=True), POLICY, "approve_extension"),
    (facts("investigating", decision_due=TODAY), POLICY, "pause"),
    (facts("accepted", decision_due=TODAY), POLICY, "extend"),  # the last day still counts
    (facts("decided", is_major=True, major_report_filed=True), ComplaintPolicy(major_report_required=True),
     "close"),
    (facts("decided", is_major=True), POLICY, "close"),  # the insurer's policy asks no report
])
def test_allowed_when_the_condition_is_met(f, policy, action):
    assert refusal(action, f, policy, TODAY) is None
    assert action in allowed_actions(f, policy, frozenset({VIEW, *BY_PERMISSION}), TODAY)


def test_only_the_handler_or_a_reviewer_may_decide():
    handle = frozenset({VIEW, "complaints.handle"})
    other = facts("investigating", is_handler=False)
    assert "decide" not in allowed_actions(other, POLICY, handle, TODAY)
    assert "decide" in allowed_actions(other, POLICY, handle | {"complaints.review"}, TODAY)
    assert "decide" in allowed_actions(facts("investigating"), POLICY, handle, TODAY)


def test_merge_is_offered_only_with_an_open_earlier_complaint():
    review = frozenset({VIEW, "complaints.review"})
    assert "merge" not in allowed_actions(facts("registered", open_repeat=False), POLICY, review, TODAY)
    assert "merge" in allowed_actions(facts("registered"), POLICY, review, TODAY)
