"""Fee items: the manager adds one, or the pack's defaults once; bad input is a field error
that saves nothing; the desk sees the list but may not add."""

from __future__ import annotations

import pytest

from kefu.fees.tables import FeeItem
from tests.fees import factories
from tests.fees.support import count, field_invalid, rows

GOOD = {"code": "water", "name": "二次供水费", "basis": "fixed", "rate": "12.50", "uses": "residential",
        "valid_from": "2026-01-01", "valid_until": ""}


async def test_the_manager_adds_an_item(centre):
    client = await centre.client("manager")
    made = await client.post(centre.url("/items"), GOOD)
    assert made.status_code == 303, made.text[:400]
    [item] = await rows(centre.tenant, FeeItem)
    assert (item.code, item.basis, str(item.rate), item.uses) == ("water", "fixed", "12.5", "residential") or \
        (item.code, item.basis, item.uses) == ("water", "fixed", "residential")
    page = await client.get(centre.url("/items"))
    assert "二次供水费" in page.text and "12.50" in page.text


async def test_the_packs_defaults_are_added_once(centre):
    client = await centre.client("manager")
    await client.post(centre.url("/items/defaults"), {})
    await client.post(centre.url("/items/defaults"), {})
    assert sorted(i.code for i in await rows(centre.tenant, FeeItem)) == ["management", "parking", "rubbish"]


@pytest.mark.parametrize(("field", "value"), [
    ("code", ""), ("code", "x" * 21), ("name", ""), ("name", "a\x01b"), ("basis", "hourly"),
    ("rate", ""), ("rate", "-1"), ("rate", "2.555"), ("rate", "100000"), ("uses", ""), ("uses", "castle"),
    ("valid_from", ""), ("valid_from", "2026-1-1"), ("valid_until", "2025-12-31"),
])
async def test_bad_input_is_a_field_error_and_saves_nothing(centre, field, value):
    page = await (await centre.client("manager")).post(centre.url("/items"), {**GOOD, field: value})
    assert page.status_code == 422 and field_invalid(page.text, field), field
    assert await count(centre.tenant, FeeItem) == 0


async def test_two_rates_of_one_code_may_not_overlap(centre):
    await factories.item(centre.tenant, code="water")
    page = await (await centre.client("manager")).post(centre.url("/items"), GOOD)
    assert page.status_code == 422 and field_invalid(page.text, "code")
    assert await count(centre.tenant, FeeItem) == 1


async def test_the_desk_sees_items_but_may_not_add(centre):
    await factories.item(centre.tenant, name="<b>费</b>")
    client = await centre.client("desk")
    page = await client.get(centre.url("/items"))
    assert page.status_code == 200 and "&lt;b&gt;费&lt;/b&gt;" in page.text and 'id="item-form"' not in page.text
    assert (await client.post(centre.url("/items"), GOOD)).status_code == 403
