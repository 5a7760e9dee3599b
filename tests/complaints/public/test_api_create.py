"""POST /api/t/{slug}/complaints: 201 with the number and the deadlines; idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

from kefu.core import clock
from tests.complaints.public.conftest import bearer, complaint_count, complaints, payload


async def test_create_answers_201_with_number_status_and_deadlines(client, shop):
    response = await client.http.post(shop.api(), json=payload(), headers=bearer(shop.agent_token))
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["number"].startswith("TS2026-")
    assert body["status"] == "under_review"
    assert body["received_on"] == "2026-03-02"
    assert body["source"] == "api"
    # Received Mon 2 March 2026, materials complete the same day: A art. 16 -> 10 working days
    # (16 March); decision 15 natural days (17 March). No materials notice is owed.
    assert body["deadlines"] == {
        "materials_notice_due": None, "acceptance_notice_due": "2026-03-16",
        "decision_due": "2026-03-17", "regulator_report_due": None, "provisional": False,
    }
    assert response.headers["location"] == shop.api(f"/{body['id']}")
    assert body["status_url"].startswith(f"/p/{shop.tenant.slug}/status/")
    again = await client.http.get(response.headers["location"], headers=bearer(shop.viewer_token))
    assert again.status_code == 200
    assert again.json() == body


async def test_incomplete_materials_owe_the_materials_notice(client, shop):
    response = await client.http.post(
        shop.api(), json=payload(materials_complete=False, received_on="2026-02-27"),
        headers=bearer(shop.agent_token),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["status"] == "registered" and body["materials_complete"] is False
    # Fri 27 Feb: 5 working days (A art. 12), and Sat 28 Feb is a make-up working day after
    # Spring Festival (调休): 28 Feb, 2, 3, 4, 5 March. No acceptance notice until the
    # materials are complete.
    assert body["deadlines"]["materials_notice_due"] == "2026-03-05"
    assert body["deadlines"]["acceptance_notice_due"] is None
    assert body["deadlines"]["provisional"] is False


async def test_received_on_defaults_to_today_in_the_tenants_zone(client, shop):
    # 20:00 UTC on 1 March is already 04:00 on 2 March in Shanghai.
    with clock.frozen(datetime(2026, 3, 1, 20, 0, tzinfo=UTC)):
        response = await client.http.post(shop.api(), json=payload(), headers=bearer(shop.agent_token))
    assert response.status_code == 201, response.text
    assert response.json()["received_on"] == "2026-03-02"


async def test_a_receipt_in_2027_has_provisional_deadlines(client, fresh_shop):
    # The official schedule for 2027 is not loaded: computed on what is known, and marked.
    with clock.frozen(datetime(2027, 2, 1, 2, 0, tzinfo=UTC)):
        response = await client.http.post(
            fresh_shop.api(), json=payload(), headers=bearer(fresh_shop.agent_token)
        )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["number"] == "TS2027-000001"
    assert body["deadlines"]["provisional"] is True
    assert body["deadlines"]["decision_due"] >= "2027-02-16"


async def test_a_2026_receipt_is_not_provisional(client, shop):
    response = await client.http.post(
        shop.api(), json=payload(received_on="2026-01-05"), headers=bearer(shop.agent_token)
    )
    assert response.status_code == 201
    assert response.json()["deadlines"]["provisional"] is False


async def test_the_same_idempotency_key_creates_one_complaint(client, fresh_shop):
    url, headers = fresh_shop.api(), bearer(fresh_shop.agent_token)
    first = await client.http.post(url, json=payload(idempotency_key="callcentre-000123"), headers=headers)
    again = await client.http.post(url, json=payload(idempotency_key="callcentre-000123"), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    # The header form of the key, too; a replay consumes no number.
    by_header = {**headers, "Idempotency-Key": "callcentre-000124"}
    third = await client.http.post(url, json=payload(), headers=by_header)
    fourth = await client.http.post(url, json=payload(), headers=by_header)
    assert third.json()["id"] == fourth.json()["id"]
    assert third.json()["number"] == "TS2026-000002"
    assert await complaint_count(fresh_shop.tenant.id) == 2
    rows = await complaints(fresh_shop.tenant.id)
    assert [r["source"] for r in rows] == ["api", "api"]
    assert rows[0]["registered_by_id"] == fresh_shop.agent.id


async def test_a_viewer_may_read_but_not_register(client, shop):
    before = await complaint_count(shop.tenant.id)
    response = await client.http.post(shop.api(), json=payload(), headers=bearer(shop.viewer_token))
    assert response.status_code == 403
    assert response.json()["error"]["status"] == 403
    assert await complaint_count(shop.tenant.id) == before
    listing = await client.http.get(shop.api(), headers=bearer(shop.viewer_token))
    assert listing.status_code == 200


async def test_without_a_token_it_is_401(client, shop):
    response = await client.http.post(shop.api(), json=payload())
    assert response.status_code == 401
    assert response.json()["error"]["status"] == 401
