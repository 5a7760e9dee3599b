"""A fee item's rate over time: the manager changes the rate from a day (the old item ends the
day before, a new one of the same code starts) or ends the item; a billed month cannot be taken
back; bad input is a field error that changes nothing; the desk sees the item, may not change it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from kefu.fees.tables import FeeItem
from tests.fees import factories
from tests.fees.support import count, field_invalid, rows


async def test_a_new_rate_from_a_day_ends_the_old_one_the_day_before(centre):
    old = await factories.item(centre.tenant, code="management", rate="2.50", valid_from=date(2026, 1, 1))
    client = await centre.client("manager")
    page = await client.get(centre.url(f"/items/{old.id}"))
    assert page.status_code == 200 and 'id="rate-form"' in page.text
    made = await client.post(centre.url(f"/items/{old.id}/rate"), {"rate": "2.80", "valid_from": "2026-07-01"})
    assert made.status_code == 303, made.text[:400]
    items = sorted(await rows(centre.tenant, FeeItem), key=lambda i: i.valid_from)
    assert [(i.code, Decimal(str(i.rate)), i.valid_from, i.valid_until) for i in items] == [
        ("management", Decimal("2.50"), date(2026, 1, 1), date(2026, 6, 30)),
        ("management", Decimal("2.80"), date(2026, 7, 1), None),
    ]
    assert items[1].name == old.name and items[1].uses == old.uses and items[1].basis == old.basis


async def test_the_manager_ends_an_item(centre):
    old = await factories.item(centre.tenant, valid_from=date(2026, 1, 1))
    done = await (await centre.client("manager")).post(centre.url(f"/items/{old.id}/end"), {"valid_until": "2026-12-31"})
    assert done.status_code == 303
    [item] = await rows(centre.tenant, FeeItem)
    assert item.valid_until == date(2026, 12, 31)


async def test_a_billed_month_cannot_be_taken_back(centre):
    old = await factories.item(centre.tenant, valid_from=date(2026, 1, 1))
    await factories.bill(centre.tenant, item_row=old, period=date(2026, 11, 1))
    client = await centre.client("manager")
    for path, data, field in ((f"/items/{old.id}/end", {"valid_until": "2026-11-15"}, "valid_until"),
                              (f"/items/{old.id}/rate", {"rate": "3.00", "valid_from": "2026-11-30"}, "valid_from")):
        page = await client.post(centre.url(path), data)
        assert page.status_code == 422 and field_invalid(page.text, field) and "2026-11" in page.text
    [item] = await rows(centre.tenant, FeeItem)
    assert item.valid_until is None
    assert (await client.post(centre.url(f"/items/{old.id}/rate"), {"rate": "3.00", "valid_from": "2026-12-01"})).status_code == 303


@pytest.mark.parametrize(("path", "field", "value"), [
    ("rate", "rate", ""), ("rate", "rate", "-1"), ("rate", "rate", "2.555"), ("rate", "rate", "１２"),
    ("rate", "valid_from", ""), ("rate", "valid_from", "2026-13-01"), ("rate", "valid_from", "2025-12-31"),
    ("rate", "valid_from", "2026-01-01"), ("end", "valid_until", ""), ("end", "valid_until", "2025-12-31"),
    ("end", "valid_until", "x\x00"),
])
async def test_bad_input_is_a_field_error_and_changes_nothing(centre, path, field, value):
    old = await factories.item(centre.tenant, valid_from=date(2026, 1, 1))
    good = {"rate": "3.00", "valid_from": "2026-07-01"} if path == "rate" else {"valid_until": "2026-12-31"}
    page = await (await centre.client("manager")).post(centre.url(f"/items/{old.id}/{path}"), {**good, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), page.text[:300]
    [item] = await rows(centre.tenant, FeeItem)
    assert item.valid_until is None


async def test_a_new_rate_may_not_overlap_a_later_item_of_the_code(centre):
    old = await factories.item(centre.tenant, code="water", valid_from=date(2026, 1, 1), valid_until=date(2026, 6, 30))
    await factories.item(centre.tenant, code="water", valid_from=date(2026, 7, 1))
    client = await centre.client("manager")
    page = await client.post(centre.url(f"/items/{old.id}/end"), {"valid_until": "2026-08-31"})
    assert page.status_code == 422 and field_invalid(page.text, "valid_until")
    assert await count(centre.tenant, FeeItem) == 2


async def test_the_desk_sees_the_item_but_may_not_change_it(centre):
    old = await factories.item(centre.tenant, name="<i>水</i>")
    client = await centre.client("desk")
    page = await client.get(centre.url(f"/items/{old.id}"))
    assert page.status_code == 200 and "&lt;i&gt;水&lt;/i&gt;" in page.text and 'id="rate-form"' not in page.text
    assert (await client.post(centre.url(f"/items/{old.id}/end"), {"valid_until": "2026-12-31"})).status_code == 403
    assert (await rows(centre.tenant, FeeItem))[0].valid_until is None
