"""What may be done to a round, an improvement action and a template in each state, as tables:
the pages' buttons and the services' refusals both read these functions."""

from __future__ import annotations

import pytest

from kefu.surveys.policy import actions, rounds, templates

R = rounds


@pytest.mark.parametrize(("status", "has_link", "can_manage", "expected"), [
    ("scheduled", False, True, {R.OPEN_NOW, R.CLOSE, R.ADD_OPEN_LINK, R.EXPORT}),
    ("scheduled", True, True, {R.OPEN_NOW, R.CLOSE, R.POSTER, R.EXPORT}),
    ("open", False, True, {R.CLOSE, R.ADD_OPEN_LINK, R.EXPORT, R.REMIND_NOW}),
    ("open", True, True, {R.CLOSE, R.POSTER, R.EXPORT, R.REMIND_NOW}),
    ("closed", False, True, {R.EXPORT}),
    ("closed", True, True, {R.POSTER, R.EXPORT}),
    # A member who may only look: the poster of an existing link, nothing that changes the round.
    ("scheduled", False, False, set()),
    ("open", True, False, {R.POSTER}),
    ("closed", True, False, {R.POSTER}),
])
def test_round_actions(status, has_link, can_manage, expected):
    assert rounds.round_actions(status, has_open_link=has_link, can_manage=can_manage) == expected


@pytest.mark.parametrize(("action", "status", "has_link", "code"), [
    (R.OPEN_NOW, "scheduled", False, None),
    (R.OPEN_NOW, "open", False, "round_not_scheduled"),
    (R.OPEN_NOW, "closed", False, "round_not_scheduled"),
    (R.CLOSE, "scheduled", False, None),
    (R.CLOSE, "open", True, None),
    (R.CLOSE, "closed", False, "round_closed"),
    (R.ADD_OPEN_LINK, "open", False, None),
    (R.ADD_OPEN_LINK, "closed", False, "round_closed"),
    (R.POSTER, "open", False, "round_action_refused"),
])
def test_round_refusals_name_a_stable_code(action, status, has_link, code):
    refused = rounds.refusal(action, status, has_open_link=has_link)
    assert (refused[0] if refused else None) == code
    if refused:
        assert refused[1]  # the msgid the page shows


@pytest.mark.parametrize(("status", "live"), [("scheduled", False), ("open", True), ("closed", False)])
def test_only_an_open_round_is_live(status, live):
    assert rounds.is_live(status) is live
    assert rounds.invites_later(status) is (status == "scheduled")


A = actions


@pytest.mark.parametrize(("status", "can_act", "expected"), [
    ("open", True, {A.EDIT, A.CLOSE}),
    ("done", True, {A.EDIT, A.REOPEN}),
    ("dropped", True, {A.EDIT, A.REOPEN}),
    ("open", False, set()),
    ("done", False, set()),
])
def test_action_actions(status, can_act, expected):
    assert actions.action_actions(status, can_act=can_act) == expected


@pytest.mark.parametrize(("action", "status", "code"), [
    (A.CLOSE, "open", None), (A.CLOSE, "done", "action_closed"), (A.CLOSE, "dropped", "action_closed"),
    (A.REOPEN, "done", None), (A.REOPEN, "dropped", None), (A.REOPEN, "open", "action_open"),
])
def test_action_refusals(action, status, code):
    refused = actions.refusal(action, status)
    assert (refused[0] if refused else None) == code


def test_action_flags_for_a_page():
    from datetime import date

    late = actions.flags("open", date(2026, 1, 1), date(2026, 1, 2), can_act=True)
    assert (late.is_open, late.is_done, late.overdue, late.allowed) == (True, False, True, {A.EDIT, A.CLOSE})
    done = actions.flags("done", date(2026, 1, 1), date(2026, 1, 2))
    assert (done.is_open, done.is_done, done.overdue, done.allowed) == (False, True, False, frozenset())


T = templates


@pytest.mark.parametrize(("archived", "can_manage", "expected"), [
    (False, True, {T.EDIT, T.DUPLICATE, T.ARCHIVE}),
    (True, True, {T.EDIT, T.DUPLICATE, T.RESTORE}),
    (False, False, set()),
    (True, False, set()),
])
def test_template_actions(archived, can_manage, expected):
    assert templates.template_actions(archived, can_manage=can_manage) == expected
