from datetime import date

import pytest

from kefu.db import transaction
from kefu.notifications import services
from kefu.notifications.services import Recipient
from kefu.notifications.tables import Notice
from tests import factories as platform
from tests.notifications.factories import key, owe


async def _count(tenant, unique_key: str) -> int:
    async with transaction(tenant.id, write=False):
        return await Notice.count().where(Notice.tenant == tenant.id, Notice.unique_key == unique_key)


async def test_owing_the_same_notice_twice_writes_one_row():
    tenant = await platform.tenant()
    same = key("complaint:42:acceptance")
    first = await owe(tenant, unique_key=same)
    async with transaction(tenant.id):
        second = await services.owe_notice(
            tenant_id=tenant.id, kind="acceptance_notice", subject_type="complaint", subject_id=42,
            recipient=Recipient(name="李四"), channel="email", data={}, due_on=None, unique_key=same,
        )
    assert isinstance(first, int)
    assert second is None
    assert await _count(tenant, same) == 1


async def test_the_same_key_in_another_tenant_is_another_notice():
    tenant_a, tenant_b = await platform.tenant(), await platform.tenant(kind="property")
    same = key()
    assert await owe(tenant_a, unique_key=same) != await owe(tenant_b, unique_key=same)


async def test_a_notice_is_written_pending_with_its_due_date_and_data():
    tenant = await platform.tenant()
    notice_id = await owe(tenant, due_on=date(2026, 12, 15), data={"complaint_number": "TS-1", "received_on": date(2026, 12, 1)})
    async with transaction(tenant.id, write=False):
        row = await Notice.select().where(Notice.tenant == tenant.id, Notice.id == notice_id).output(load_json=True).first()
    assert row["state"] == "pending" and row["attempts"] == 0
    assert row["due_on"] == date(2026, 12, 15)
    assert row["data"] == {"complaint_number": "TS-1", "received_on": "2026-12-01"}


async def test_owing_a_notice_outside_a_transaction_is_refused():
    tenant = await platform.tenant()
    with pytest.raises(RuntimeError, match="inside the transaction"):
        await services.owe_notice(
            tenant_id=tenant.id, kind="acceptance_notice", subject_type="complaint", subject_id=1,
            recipient=Recipient(name="x"), channel="email", data={}, due_on=None, unique_key=key(),
        )


@pytest.mark.parametrize("channel,kind", [("fax", "acceptance_notice"), ("email", "Bad Kind!")])
async def test_owing_an_unknown_channel_or_malformed_kind_is_a_programming_error(channel, kind):
    tenant = await platform.tenant()
    with pytest.raises(ValueError):
        async with transaction(tenant.id):
            await services.owe_notice(
                tenant_id=tenant.id, kind=kind, subject_type="complaint", subject_id=1,
                recipient=Recipient(name="x"), channel=channel, data={}, due_on=None, unique_key=key(),
            )
