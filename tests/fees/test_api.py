"""The fees JSON API: bills by month, one bill with its payments, recording a payment (amounts as
strings, a bad field is a 422 naming it, a settled bill a 409, nothing written on refusal);
another tenant's token is a 404."""

from __future__ import annotations

from datetime import date

import pytest

from kefu.fees.tables import Payment
from tests import factories as base
from tests.fees import factories
from tests.fees.support import count, reload

GOOD = {"amount": "50.50", "method": "alipay", "paid_on": "2026-12-01", "reference": "ZFB-1"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_bills_and_a_payment_through_the_api(client, centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    token = await base.api_token(centre.tenant, centre.users["desk"])
    bill = await factories.bill(centre.tenant, amount="200.00", period=date(2026, 11, 1))
    listed = await client.http.get(f"/api/t/{centre.slug}/bills/?period=2026-11", headers=bearer(token))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert (item["id"], item["amount"], item["outstanding"], item["period"]) == (bill.id, "200.00", "200.00", "2026-11")
    made = await client.http.post(f"/api/t/{centre.slug}/bills/{bill.id}/payments", json=GOOD, headers=bearer(token))
    assert made.status_code == 201, made.text
    assert made.json()["receipt_no"].startswith("SJ2026-") and made.json()["amount"] == "50.50"
    detail = (await client.http.get(f"/api/t/{centre.slug}/bills/{bill.id}", headers=bearer(token))).json()
    assert detail["paid"] == "50.50" and [p["reference"] for p in detail["payments"]] == ["ZFB-1"]


@pytest.mark.parametrize(("field", "value"), [("amount", "1e3"), ("amount", "0"), ("amount", "500"),
                                              ("method", "paypal"), ("paid_on", "2026-12-32"), ("reference", "x\x00")])
async def test_a_bad_field_is_named_and_nothing_is_written(client, centre, frozen_clock, field, value):
    frozen_clock.travel(date(2026, 12, 6))
    token = await base.api_token(centre.tenant, centre.users["desk"])
    bill = await factories.bill(centre.tenant, amount="200.00")
    response = await client.http.post(f"/api/t/{centre.slug}/bills/{bill.id}/payments",
                                      json={**GOOD, field: value}, headers=bearer(token))
    assert response.status_code == 422 and field in response.json()["error"]["fields"]
    assert await count(centre.tenant, Payment) == 0 and (await reload(centre.tenant, bill.id)).paid == 0


async def test_a_settled_bill_is_a_409_and_a_wrong_shape_a_400(client, centre, frozen_clock):
    frozen_clock.travel(date(2026, 12, 6))
    token = await base.api_token(centre.tenant, centre.users["desk"])
    bill = await factories.bill(centre.tenant, amount="10", paid="10")
    settled = await client.http.post(f"/api/t/{centre.slug}/bills/{bill.id}/payments", json=GOOD, headers=bearer(token))
    assert settled.status_code == 409 and settled.json()["error"]["code"] == "settled"
    wrong = await client.http.post(f"/api/t/{centre.slug}/bills/{bill.id}/payments",
                                   json={**GOOD, "amount": 50.5}, headers=bearer(token))
    assert wrong.status_code == 400
    assert await count(centre.tenant, Payment) == 0


async def test_a_missing_month_is_a_422(client, centre):
    token = await base.api_token(centre.tenant, centre.users["desk"])
    response = await client.http.get(f"/api/t/{centre.slug}/bills/?period=2026-13", headers=bearer(token))
    assert response.status_code == 422 and "period" in response.json()["error"]["fields"]
