"""The callbacks JSON API for a call-centre system: the queue, logging attempts (a bad field is
a 422 naming it, a refusal a 409 with its code, nothing written), writing and submitting the
record, the archive; the operations are in the OpenAPI schema."""

from __future__ import annotations

import pytest

from kefu.callbacks.tables import CallbackAttempt, CallbackRecord
from kefu.core.scoping import scoped
from kefu.db import transaction
from tests import factories as base
from tests.callbacks import factories as cf
from tests.fixtures import staff_of

ROLES = {"agent": "agent", "head": "cs_head"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def count(tenant, table) -> int:
    async with transaction(tenant.id, write=False):
        return len(await scoped(table, tenant.id, table.id))


@pytest.fixture
async def desk():
    staff = await staff_of("insurance", ROLES)
    token = await base.api_token(staff.tenant, staff.users["agent"])
    return staff, token


async def test_a_call_centre_logs_calls_and_writes_the_record(client, desk):
    staff, token = desk
    head = await staff.ctx("head")
    task_id = await cf.task(staff.tenant, ctx=head, limit=2, reference="P-88")
    api = f"/api/t/{staff.slug}/callbacks"
    queue = await client.http.get(f"{api}/tasks", headers=bearer(token))
    assert queue.status_code == 200, queue.text
    assert task_id in [t["id"] for t in queue.json()["items"]]
    first = await client.http.post(f"{api}/tasks/{task_id}/attempts", json={"outcome": "no_answer"}, headers=bearer(token))
    assert first.status_code == 201, first.text
    assert first.json()["task"]["failed_attempts"] == 1
    reached = await client.http.post(f"{api}/tasks/{task_id}/attempts", headers=bearer(token), json={
        "outcome": "reached", "recording_ref": "CALL-1", "attempted_at": "2026-03-02T10:05:00+08:00"})
    assert reached.status_code == 201, reached.text
    written = await client.http.post(f"{api}/tasks/{task_id}/record", headers=bearer(token),
                                     json={"notes": "客户满意", "recording_ref": "CALL-1", "submit": True})
    assert written.status_code == 200, written.text
    assert written.json()["status"] == "submitted"
    again = await client.http.post(f"{api}/tasks/{task_id}/record", headers=bearer(token), json={"notes": "改"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "record_locked"
    detail = (await client.http.get(f"{api}/tasks/{task_id}", headers=bearer(token))).json()
    assert [a["outcome"] for a in detail["attempts"]] == ["no_answer", "reached"]
    assert detail["record"]["notes"] == "客户满意" and detail["status"] == "done"
    head_token = await base.api_token(staff.tenant, staff.users["head"])
    records = await client.http.get(f"{api}/records?customer=P-88", headers=bearer(head_token))
    assert [r["task_id"] for r in records.json()["items"]] == [task_id]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"outcome": "hung_up"}, 422, "outcome"),
        ({"outcome": "call_back"}, 422, "call_back_at"),
        ({"outcome": "call_back", "call_back_at": "soon"}, 422, "call_back_at"),
        ({"outcome": "busy", "attempted_at": "2026-03-0210:00"}, 422, "attempted_at"),
        ({"outcome": "busy", "attempted_at": "2030-01-01T10:00:00+08:00"}, 422, "attempted_at"),
        ({"outcome": "busy", "note": "x" * 501}, 422, "note"),
        ({"outcome": "busy", "note": "a\x00b"}, 422, "note"),
        ({"outcome": "busy", "recording_ref": "r" * 201}, 422, "recording_ref"),
        ({"outcome": 3}, 400, "body"),
        ({"outcome": "busy", "extra": 1}, 400, "body"),
    ],
)
async def test_a_bad_attempt_field_is_named_and_nothing_is_written(client, desk, body, status, field):
    staff, token = desk
    task_id = await cf.task(staff.tenant, ctx=await staff.ctx("head"))
    response = await client.http.post(f"/api/t/{staff.slug}/callbacks/tasks/{task_id}/attempts", json=body,
                                      headers=bearer(token))
    assert response.status_code == status, response.text
    assert field in response.json()["error"]["fields"]
    assert await count(staff.tenant, CallbackAttempt) == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notes": "x" * 5001}, "notes"),
        ({"callback_on": "2026-02-30"}, "callback_on"),
        ({"recording_ref": "r\x01"}, "recording_ref"),
        ({"answers": {"q9": "?"}}, "answers.q9"),
    ],
)
async def test_a_bad_record_field_is_named_and_nothing_is_written(client, desk, body, field):
    staff, token = desk
    task_id = await cf.task(staff.tenant, ctx=await staff.ctx("head"))
    response = await client.http.post(f"/api/t/{staff.slug}/callbacks/tasks/{task_id}/record", json=body,
                                      headers=bearer(token))
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert await count(staff.tenant, CallbackRecord) == 0


async def test_the_operations_are_in_the_openapi_schema(client):
    schema = (await client.http.get("/api/schema/openapi.json")).json()
    paths = schema["paths"]
    assert "/api/t/{slug}/callbacks/tasks/{task_id}/attempts" in paths
    body = paths["/api/t/{slug}/callbacks/tasks/{task_id}/attempts"]["post"]["requestBody"]
    assert "outcome" in body["content"]["application/json"]["schema"]["properties"]
    assert "/api/t/{slug}/callbacks/records" in paths


