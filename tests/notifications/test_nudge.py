"""Embedded mode end to end: a notice owed and nudged inside a transaction is delivered by the
in-process Dramatiq worker once the transaction commits."""

from __future__ import annotations

from kefu.db import transaction
from kefu.notifications import services
from kefu.notifications.services import Recipient
from kefu.workers.embedded import embedded_worker
from tests import factories as platform
from tests.notifications.factories import key
from tests.notifications.support import notice_row
from tests.workers.conftest import embedded_only

SAMPLE = {"complaint_number": "TS-20261201-0008", "received_on": "2026-12-01", "decision_due": "2026-12-22"}


@embedded_only
async def test_a_nudge_after_commit_delivers_the_notice_on_the_embedded_worker(app, smtp):
    worker = embedded_worker()
    assert worker is not None
    await worker.join()  # nothing an earlier test left in the queue
    tenant = await platform.tenant(name="甲保险股份有限公司")
    recipient = Recipient(name="李四", email=f"lisi-{tenant.id}@example.test", locale="zh_CN")
    async with transaction(tenant.id):
        notice_id = await services.owe_notice(
            tenant_id=tenant.id, kind="acceptance_notice", subject_type="complaint", subject_id=1,
            recipient=recipient, channel="email", data=SAMPLE, due_on=None, unique_key=key(),
        )
        await services.nudge(tenant.id, [notice_id])
        # Held until the commit: a worker asked now could not see the row yet.
        assert worker.broker.queues["default"].qsize() == 0
    await worker.join()

    [message] = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == recipient.email]
    assert "TS-20261201-0008" in message["Subject"]
    row = await notice_row(tenant, notice_id)
    assert row.state == "sent" and row.attempts == 1
