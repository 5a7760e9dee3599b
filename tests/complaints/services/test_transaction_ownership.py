"""Who owns the transaction: the outermost one commits or rolls back as a whole, and every
service inside it is a savepoint, atomic on its own whoever calls it."""

from __future__ import annotations

import pytest

from kefu.audit import services as audit
from kefu.audit.tables import AuditEvent
from kefu.complaints import services
from kefu.complaints.tables import Complaint
from kefu.core.errors import FieldError
from kefu.core.scoping import scoped
from kefu.db import TenantSwitchError, transaction
from tests import factories
from tests.complaints.services.conftest import complaint_data


class Boom(RuntimeError):
    pass


async def _service_that_fails_after_writing(tenant_id: int, marker: str) -> None:
    async with transaction(tenant_id):
        await audit.record(tenant_id=tenant_id, actor_id=None, action="test.first_write",
                           object_type="test", after={"marker": marker})
        raise Boom


async def _markers(tenant_id: int) -> list[str]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(AuditEvent, tenant_id, AuditEvent.after).where(
            AuditEvent.object_type == "test").output(load_json=True)
    return sorted(r["after"]["marker"] for r in rows)


async def test_a_failing_service_leaves_nothing_and_the_callers_writes_stand(desk):
    tenant_id = desk.tenant.id
    async with transaction(tenant_id):
        await audit.record(tenant_id=tenant_id, actor_id=None, action="test.caller",
                           object_type="test", after={"marker": "caller"})
        with pytest.raises(Boom):
            await _service_that_fails_after_writing(tenant_id, "service")
        # The caller goes on in the same transaction after the refusal (a page answering 422).
        await audit.record(tenant_id=tenant_id, actor_id=None, action="test.caller",
                           object_type="test", after={"marker": "after"})
    assert await _markers(tenant_id) == ["after", "caller"]


async def test_a_failing_service_on_its_own_leaves_nothing(desk):
    with pytest.raises(Boom):
        await _service_that_fails_after_writing(desk.tenant.id, "alone")
    assert await _markers(desk.tenant.id) == []


async def test_the_outer_transaction_rolls_back_as_a_whole(desk):
    tenant_id = desk.tenant.id
    with pytest.raises(Boom):
        async with transaction(tenant_id):
            async with transaction(tenant_id):
                await audit.record(tenant_id=tenant_id, actor_id=None, action="test.inner",
                                   object_type="test", after={"marker": "inner"})
            raise Boom
    assert await _markers(tenant_id) == []


async def test_a_nested_transaction_cannot_switch_tenant(desk):
    other = await factories.tenant()
    async with transaction(desk.tenant.id):
        with pytest.raises(TenantSwitchError):
            async with transaction(other.id):
                pass


async def _numbers(tenant_id: int) -> list[str]:
    async with transaction(tenant_id, write=False):
        rows = await scoped(Complaint, tenant_id, Complaint.number).order_by(Complaint.id)
    return [r["number"] for r in rows]


async def test_a_replayed_key_inside_the_request_transaction_consumes_no_number(desk):
    # Given a complaint registered with a key, then the same form again and a new one, all in
    # one outer transaction (as the request holds it)
    async with transaction(desk.tenant.id):
        first = await services.register_complaint(desk.agent, complaint_data(idempotency_key="form-0001-aa"))
        again, replayed = await services.register_complaint_once(
            desk.agent, complaint_data(idempotency_key="form-0001-aa"))
        second = await services.register_complaint(desk.agent, complaint_data(idempotency_key="form-0002-bb"))
    # Then the replay answered with the first and the numbers run on without a gap
    assert replayed and again.id == first.id
    numbers = await _numbers(desk.tenant.id)
    assert numbers == [first.number, second.number]
    assert int(second.number.rsplit("-", 1)[1]) == int(first.number.rsplit("-", 1)[1]) + 1


async def test_a_refused_complaint_names_every_bad_field_and_consumes_no_number(desk):
    async with transaction(desk.tenant.id):
        with pytest.raises(FieldError) as refused:
            await services.register_complaint(desk.agent, complaint_data(subject="", description=""))
        ok = await services.register_complaint(desk.agent, complaint_data())
    assert set(refused.value.translated_all()) == {"subject", "description"}
    assert (await _numbers(desk.tenant.id)) == [ok.number]
    assert ok.number.endswith("-000001")
