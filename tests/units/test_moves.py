"""Move-in and move-out: the pack's checklist, each item ticked with who and when, completion
only when every item is ticked (then the occupancy changes and the residents follow), the
handover form as a PDF with Chinese glyphs, and refusals that change nothing."""

from __future__ import annotations

import re

import pytest

from kefu.core.scoping import scoped_objects
from kefu.db import transaction
from kefu.units.policy import move_actions, units_pack
from kefu.units.tables import Move, MoveItem, Residency
from tests.complaints.reports.support import assert_pdf_shows
from tests.customers import factories as customer_factories
from tests.units import factories
from tests.units.support import count, field_invalid, reload

MOVE_IN = [c.code for c in units_pack("property").move_in]


def move_id(response) -> int:
    assert response.status_code == 303, response.text[:400]
    return int(re.search(r"/moves/(\d+)$", response.headers["location"]).group(1))


async def _residents(estate):
    async with transaction(estate.tenant.id, write=False):
        return await scoped_objects(Residency, estate.tenant.id).order_by(Residency.id)


async def test_move_in_checklist_then_occupied(estate):
    u = await factories.unit(estate.tenant, "6栋", "601")
    c = await customer_factories.customer(estate.tenant, "刘洋", phone="13600006000", kind="owner")
    client = await estate.client("desk")
    mid = move_id(await client.post(estate.url(f"/{u.id}/moves"),
                                    {"kind": "move_in", "customer": "13600006000", "role": "tenant"}))
    early = await client.post(estate.url(f"/moves/{mid}/complete"))
    assert early.status_code == 303 and (await reload(estate.tenant, u.id)).occupancy == "vacant"
    for code in MOVE_IN:
        await client.post(estate.url(f"/moves/{mid}/tick"), {"item": code, "note": "电表 0123" if code == "meters" else ""})
    page = await client.get(estate.url(f"/moves/{mid}"))
    assert page.text.count('data-ticked="yes"') == len(MOVE_IN) and "Desk 员工" in page.text
    assert "电表 0123" in page.text
    done = await client.post(estate.url(f"/moves/{mid}/complete"))
    assert done.status_code == 303
    assert (await reload(estate.tenant, u.id)).occupancy == "let"
    assert [(r.customer, r.role) for r in await _residents(estate)] == [(c.id, "tenant")]
    again = await client.post(estate.url(f"/moves/{mid}/complete"))
    assert again.status_code == 303 and len(await _residents(estate)) == 1


async def test_move_out_ends_residents_and_vacates(estate):
    u = await factories.unit(estate.tenant, "7栋", "701", occupancy="owner_occupied")
    await factories.residency(estate.tenant, u, "赵强")
    client = await estate.client("desk")
    assert (await client.post(estate.url(f"/{u.id}/moves"), {"kind": "move_in", "customer": "赵强",
                                                               "role": "owner"})).status_code == 303
    assert await count(estate.tenant, Move) == 0  # an occupied unit cannot start a move-in
    mid = move_id(await client.post(estate.url(f"/{u.id}/moves"), {"kind": "move_out"}))
    for code in [c.code for c in units_pack("property").move_out]:
        await client.post(estate.url(f"/moves/{mid}/tick"), {"item": code})
    await client.post(estate.url(f"/moves/{mid}/complete"))
    assert (await reload(estate.tenant, u.id)).occupancy == "vacant"
    assert all(r.ends_on is not None for r in await _residents(estate))


@pytest.mark.parametrize(("data", "field"), [
    ({"kind": "move_in", "customer": "", "role": "owner"}, "customer"),
    ({"kind": "move_in", "customer": "没人", "role": "owner"}, "customer"),
    ({"kind": "move_in", "customer": "孙经理", "role": "boss"}, "role"),
])
async def test_a_bad_start_is_a_field_error_and_starts_nothing(estate, data, field):
    u = await factories.unit(estate.tenant)
    await customer_factories.customer(estate.tenant, "孙经理", phone="13500000000", kind="owner")
    page = await (await estate.client("desk")).post(estate.url(f"/{u.id}/moves"), data)
    assert page.status_code == 422 and field_invalid(page.text, field)
    assert await count(estate.tenant, Move) == 0


async def test_a_bad_tick_changes_nothing(estate):
    m = await factories.move(estate.tenant)
    client = await estate.client("desk")
    for data in ({"item": "nope"}, {"item": "keys", "note": "x" * 201}, {"item": "keys", "note": "a\x00"}):
        page = await client.post(estate.url(f"/moves/{m.id}/tick"), data)
        assert page.status_code == 422, data
    async with transaction(estate.tenant.id, write=False):
        items = await scoped_objects(MoveItem, estate.tenant.id).where(MoveItem.move == m.id)
    assert all(i.ticked_at is None for i in items)


async def test_handover_form_is_a_pdf_with_chinese_glyphs(estate):
    u = await factories.unit(estate.tenant, "6栋", "602")
    await customer_factories.customer(estate.tenant, "王丽", phone="13600006001", kind="owner")
    client = await estate.client("desk")
    mid = move_id(await client.post(estate.url(f"/{u.id}/moves"),
                                    {"kind": "move_in", "customer": "王丽", "role": "owner"}))
    got = await client.get(estate.url(f"/moves/{mid}/handover.pdf"))
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/pdf")
    assert_pdf_shows(got.content, "王丽", "6栋")


def test_move_actions_table():
    assert move_actions("open", ["a", "b"], ["a"]) == {"tick"}
    assert move_actions("open", ["a", "b"], ["b", "a"]) == {"tick", "complete"}
    assert move_actions("done", ["a"], ["a"]) == frozenset()
