"""The units JSON API: buildings, units filtered and paged as the staff list, one unit with its
current residents; a bad filter is a 422 naming it; another tenant's token or unit is a 404;
a token without units.view is a 403."""

from __future__ import annotations

import pytest

from tests import factories as base
from tests.units import factories


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_units_buildings_and_a_unit_with_its_residents(client, estate):
    token = await base.api_token(estate.tenant, estate.users["desk"])
    flat = await factories.unit(estate.tenant, "3栋", "1501", entrance="2", area="88.50", occupancy="owner_occupied")
    await factories.unit(estate.tenant, "4栋", "101", use="shop")
    owner = await factories.residency(estate.tenant, flat, "王业主", phone="13912345678")
    api = f"/api/t/{estate.slug}/units"

    buildings = (await client.http.get(f"{api}/buildings", headers=bearer(token))).json()["items"]
    assert sorted(b["name"] for b in buildings) == ["3栋", "4栋"]
    listed = await client.http.get(f"{api}/?q=3-2-1501", headers=bearer(token))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["id"], item["room"], item["entrance"], item["area"]) == (flat.id, "1501", "2", "88.50")
    shops = (await client.http.get(f"{api}/?use=shop", headers=bearer(token))).json()
    assert [u["building"]["name"] for u in shops["items"]] == ["4栋"] and shops["total"] == 1

    detail = (await client.http.get(f"{api}/{flat.id}", headers=bearer(token))).json()
    assert detail["occupancy"] == "owner_occupied"
    assert [(r["id"], r["name"], r["role"]) for r in detail["residents"]] == [(owner.id, "王业主", "owner")]


@pytest.mark.parametrize(("field", "value"), [("use", "castle"), ("building", "abc"), ("building", "-3"),
                                              ("q", "x" * 101), ("q", "a\x00b")])
async def test_a_bad_filter_is_a_422_naming_it(client, estate, field, value):
    token = await base.api_token(estate.tenant, estate.users["desk"])
    response = await client.http.get(f"/api/t/{estate.slug}/units/", params={field: value}, headers=bearer(token))
    assert response.status_code == 422, response.text
    assert list(response.json()["error"]["fields"]) == [field]


async def test_another_tenants_unit_is_a_404_and_no_permission_a_403(client, estate, insurer):
    flat = await factories.unit(estate.tenant, "5栋", "202", notes="秘密备注")
    own = await base.api_token(estate.tenant, estate.users["desk"])
    assert (await client.http.get(f"/api/t/{estate.slug}/units/{flat.id}", headers=bearer(own))).status_code == 200
    other = await base.api_token(insurer.tenant, insurer.users["manager"])
    for slug in (estate.slug, insurer.slug):
        response = await client.http.get(f"/api/t/{slug}/units/{flat.id}", headers=bearer(other))
        assert response.status_code in (403, 404) and "5栋" not in response.text
    denied = await client.http.get(f"/api/t/{insurer.slug}/units/", headers=bearer(other))
    assert denied.status_code == 403
