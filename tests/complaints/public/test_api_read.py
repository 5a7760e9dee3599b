"""GET /api/t/{slug}/complaints/{complaint_id} and the list: filters, paging, isolation."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.complaints.public.conftest import bearer, make_shop, payload


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def stocked(app):
    """A shop with seven complaints: received 23 Feb - 1 March, two channels, two statuses."""
    import httpx

    shop = await make_shop()
    made = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        for i, day in enumerate(["2026-02-23", "2026-02-24", "2026-02-25", "2026-02-26",
                                 "2026-02-27", "2026-02-28", "2026-03-01"]):
            body = payload(
                received_on=day, channel="hotline" if i % 2 else "email",
                materials_complete=i < 4, subject=f"第{i}号投诉",
                category="claims" if i < 5 else "sales",
            )
            response = await http.post(shop.api(), json=body, headers=bearer(shop.agent_token))
            assert response.status_code == 201, response.text
            made.append(response.json())
    return shop, made


async def get(client, shop, suffix="", token=None):
    response = await client.http.get(shop.api(suffix), headers=bearer(token or shop.viewer_token))
    return response


async def test_get_one_carries_the_documented_fields(client, stocked):
    shop, made = stocked
    response = await get(client, shop, f"/{made[0]['id']}")
    assert response.status_code == 200
    body = response.json()
    assert {"id", "number", "status", "deadlines"} <= set(body)
    assert set(body["deadlines"]) == {
        "materials_notice_due", "acceptance_notice_due", "decision_due", "regulator_report_due",
        "provisional",
    }
    assert body["complainant"] == {"name": "张三", "phone": "13800138000",
                                   "email": "zhang@example.test", "relation": "consumer"}
    assert body["description"] == "三月初报案，至今未收到理赔款。"


async def test_list_is_newest_first_with_total_and_next(client, stocked):
    shop, made = stocked
    first = (await get(client, shop, "?limit=3")).json()
    assert first["total"] == 7 and first["limit"] == 3 and first["offset"] == 0
    assert [c["id"] for c in first["items"]] == [c["id"] for c in reversed(made)][:3]
    assert "description" not in first["items"][0]
    assert first["next"] == f"{shop.api()}?limit=3&offset=3"
    second = (await client.http.get(first["next"], headers=bearer(shop.viewer_token))).json()
    third = (await client.http.get(second["next"], headers=bearer(shop.viewer_token))).json()
    assert len(third["items"]) == 1 and third["next"] is None
    seen = [c["id"] for page in (first, second, third) for c in page["items"]]
    assert sorted(seen) == sorted(c["id"] for c in made)


async def test_list_filters_by_status_channel_category_and_dates(client, stocked):
    shop, made = stocked

    async def ids(query: str) -> set[int]:
        response = await get(client, shop, f"?{query}")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {c["id"] for c in body["items"]}

    under_review = {c["id"] for c in made if c["status"] == "under_review"}
    registered = {c["id"] for c in made if c["status"] == "registered"}
    assert len(under_review) == 4 and len(registered) == 3
    assert await ids("status=under_review") == under_review
    assert await ids("status=under_review,registered") == under_review | registered
    assert await ids("channel=email") == {c["id"] for c in made if c["channel"] == "email"}
    assert await ids("category=sales") == {made[5]["id"], made[6]["id"]}
    assert await ids("received_from=2026-02-25&received_to=2026-02-27") == {
        made[2]["id"], made[3]["id"], made[4]["id"]}
    assert await ids("received_from=2026-03-01") == {made[6]["id"]}
    assert await ids("status=closed") == set()


async def test_next_keeps_the_filters(client, stocked):
    shop, _ = stocked
    body = (await get(client, shop, "?channel=email&limit=2")).json()
    assert body["total"] == 4
    assert body["next"] == f"{shop.api()}?channel=email&limit=2&offset=2"


async def test_another_tenants_complaint_is_404_like_a_missing_one(client, stocked, other_shop):
    shop, made = stocked
    theirs = made[0]["id"]
    foreign = await get(client, other_shop, f"/{theirs}", token=other_shop.admin_token)
    missing = await get(client, other_shop, "/2147483000", token=other_shop.admin_token)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert made[0]["number"] not in foreign.text
    listing = (await get(client, other_shop, token=other_shop.admin_token)).json()
    assert theirs not in {c["id"] for c in listing["items"]}


async def test_a_token_of_tenant_a_on_tenant_bs_slug_is_404(client, stocked, other_shop):
    shop, made = stocked
    for suffix in ("", f"/{made[0]['id']}"):
        response = await client.http.get(other_shop.api(suffix), headers=bearer(shop.admin_token))
        assert response.status_code == 404
        assert shop.tenant.name not in response.text and other_shop.tenant.name not in response.text
    response = await client.http.post(other_shop.api(), json=payload(), headers=bearer(shop.admin_token))
    assert response.status_code == 404


@pytest.mark.parametrize("suffix", ["/0", "/-1", "/99999999999999999999", "/abc"])
async def test_odd_ids_are_404_or_400_never_500(client, stocked, suffix):
    shop, _ = stocked
    response = await get(client, shop, suffix)
    assert response.status_code in (400, 404), response.text
    assert response.headers["content-type"].startswith("application/json")
