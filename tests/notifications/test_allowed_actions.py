"""One rule for what staff may do to a notice: the pages' buttons and the services' refusals."""

from __future__ import annotations

import pytest

from kefu.notifications.policy import MARK_POSTED, RETRY, STATES, allowed_actions


@pytest.mark.parametrize(("channel", "state", "expected"), [
    ("email", "failed", {RETRY}), ("email", "dead", {RETRY}), ("sms", "dead", {RETRY}),
    ("email", "pending", set()), ("email", "waiting", set()), ("email", "sent", set()),
    ("letter", "ready", {MARK_POSTED}), ("letter", "sent", set()), ("letter", "dead", {RETRY}),
    ("email", "ready", set()),  # only a letter is posted
])
def test_allowed_actions(channel, state, expected):
    assert allowed_actions(channel, state) == expected


def test_every_state_is_covered_and_nothing_else_is_allowed():
    seen = set()
    for channel in ("email", "sms", "letter"):
        for state in STATES:
            seen |= allowed_actions(channel, state)
    assert seen == {RETRY, MARK_POSTED}
    assert allowed_actions("letter", "no-such-state") == frozenset()


async def test_the_services_refuse_with_the_actions_code_not_a_field(cast):
    """The refusal carries a code (never English matched by substring); the page translates it."""
    from kefu.core import clock
    from kefu.core.errors import Refused
    from kefu.notifications import services
    from tests.fixtures import context
    from tests.notifications.factories import owe

    ctx = await context(cast.tenant_a, cast.alice)
    pending = await owe(cast.tenant_a)
    with pytest.raises(Refused) as retried:
        await services.retry_notice(ctx, pending)
    assert retried.value.code == "not_retryable"
    with pytest.raises(Refused) as posted:
        await services.mark_posted(ctx, pending, clock.today_in(cast.tenant_a.timezone))
    assert posted.value.code == "not_ready_to_post"
