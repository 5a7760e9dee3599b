"""`kefu demo`: each demo tenant's outbox shows every delivery state, dated from the day it is
loaded, with nothing marked sent that no provider accepted; loading twice adds nothing."""

from __future__ import annotations

from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.demo import TENANTS, load_demo
from kefu.notifications.demo import BAD_NUMBER, FLOW_CONTROL
from kefu.notifications.tables import Notice
from kefu.tenancy.tables import Tenant


async def _notices(slug: str) -> list[dict]:
    tenant = await Tenant.objects().where(Tenant.slug == slug).first()
    async with transaction(tenant.id, write=False):
        return await scoped(Notice, tenant.id, Notice.id, Notice.channel, Notice.state, Notice.last_error,
                            Notice.provider, Notice.sent_on, Notice.next_attempt_at)


async def test_every_delivery_state_is_in_each_demo_outbox_once(app):
    await load_demo(lambda _line: None)
    before = {slug: await _notices(slug) for slug, _name, _kind in TENANTS}
    await load_demo(lambda _line: None)
    for slug, _name, _kind in TENANTS:
        rows = await _notices(slug)
        assert len(rows) == len(before[slug]), slug  # the second load added nothing
        states = {(r["channel"], r["state"]) for r in rows}
        assert {"pending", "waiting", "failed", "dead"} <= {s for _c, s in states}, (slug, states)
        assert {("letter", "ready"), ("letter", "sent")} <= states, (slug, states)
        errors = {r["last_error"] for r in rows}
        assert FLOW_CONTROL in errors and BAD_NUMBER in errors
        # Sent means a provider accepted it, or staff recorded the letter as posted.
        for r in rows:
            if r["state"] == "sent":
                assert r["channel"] == "letter" or r["provider"], r
                assert r["sent_on"] is not None
