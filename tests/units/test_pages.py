"""The unit pages: list, search by address, building filter, paging, export, the new and edit
forms with per-field errors that change nothing, XSS escaped, and who may see what."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kefu.units.tables import Building
from tests.units import factories
from tests.units.support import (
    audit_actions,
    count,
    field_invalid,
    listed_ids,
    reload,
    units,
    xlsx_rows,
)

GOOD = {"building": "3栋", "entrance": "2", "room": "1501", "floor": "", "area": "89.5",
        "use": "residential", "notes": ""}


async def test_empty_list_says_how_to_start(estate):
    page = await (await estate.client()).get(estate.url("/"))
    assert page.status_code == 200
    assert 'id="units-empty"' in page.text and 'id="export-link"' not in page.text


async def test_search_by_address_written_any_way(estate):
    a = await factories.unit(estate.tenant, "3栋", "1501", entrance="2")
    b = await factories.unit(estate.tenant, "3栋", "1501", entrance="1")
    c = await factories.unit(estate.tenant, "4栋", "1501", entrance="2")
    client = await estate.client()
    for q, wanted in (
        ("3-2-1501", [a.id]), ("3栋2单元1501", [a.id]), ("3幢1501室", [b.id, a.id]),
        ("3栋1501", [b.id, a.id]), ("1501", [b.id, a.id, c.id]), ("4栋", [c.id]), ("9-9-9", []),
    ):
        page = await client.get(estate.url("/"), params={"q": q})
        assert sorted(listed_ids(page.text)) == sorted(wanted), q


async def test_filter_by_building_and_htmx_fragment(estate):
    a = await factories.unit(estate.tenant, "1栋", "101")
    await factories.unit(estate.tenant, "2栋", "101")
    async with __import__("kefu.db", fromlist=["transaction"]).transaction(estate.tenant.id):
        b1 = await Building.objects().where(Building.tenant == estate.tenant.id, Building.code == "1").first()
    client = await estate.client()
    page = await client.get(estate.url("/"), params={"building": str(b1.id)},
                            headers={"hx-request": "true"})
    assert listed_ids(page.text) == [a.id]
    assert "<html" not in page.text and 'id="results"' in page.text
    bad = await client.get(estate.url("/"), params={"building": "x²", "use": "<b>", "page": "-1"})
    assert bad.status_code == 200


async def test_paging(estate):
    for n in range(55):
        await factories.unit(estate.tenant, "5栋", str(1000 + n))
    client = await estate.client()
    first = await client.get(estate.url("/"))
    second = await client.get(estate.url("/"), params={"page": "2"})
    assert len(listed_ids(first.text)) == 50 and len(listed_ids(second.text)) == 5
    assert not set(listed_ids(first.text)) & set(listed_ids(second.text))


async def test_create_then_edit_with_audit(estate):
    client = await estate.client()
    made = await client.post(estate.url("/"), GOOD)
    assert made.status_code == 303, made.text[:400]
    [u] = await units(estate.tenant)
    assert (u.entrance, u.room, u.floor, u.area, u.use) == ("2", "1501", 15, Decimal("89.50"), "residential")
    assert u.address_key == "3|2|1501"
    edited = await client.post(estate.url(f"/{u.id}"), {**GOOD, "area": "90", "use": "shop"})
    assert edited.status_code == 303
    u = await reload(estate.tenant, u.id)
    assert (u.area, u.use) == (Decimal("90.00"), "shop")
    assert await audit_actions(estate.tenant, "unit") == ["unit.create", "unit.update"]
    page = await client.get(estate.url(f"/{u.id}"))
    assert page.status_code == 200 and "1501" in page.text


@pytest.mark.parametrize(("field", "value"), [
    ("building", ""), ("room", ""), ("room", "15 01!"), ("floor", "１５"), ("floor", "9999"),
    ("area", "八十"), ("area", "0"), ("use", "office"), ("notes", "x" * 2001), ("entrance", "a\x00"),
])
async def test_bad_input_is_a_field_error_and_changes_nothing(estate, field, value):
    client = await estate.client()
    page = await client.post(estate.url("/"), {**GOOD, field: value})
    assert page.status_code == 422
    assert field_invalid(page.text, field), field
    assert await count(estate.tenant) == 0
    assert await count(estate.tenant, Building) == 0


async def test_the_same_unit_twice_is_refused(estate):
    client = await estate.client()
    assert (await client.post(estate.url("/"), GOOD)).status_code == 303
    again = await client.post(estate.url("/"), {**GOOD, "building": "3幢", "room": "1501室"})
    assert again.status_code == 422 and field_invalid(again.text, "room")
    assert await count(estate.tenant) == 1


async def test_xss_in_building_and_notes_is_escaped(estate):
    client = await estate.client()
    evil = "<script>alert(1)</script>"
    made = await client.post(estate.url("/"), {**GOOD, "building": "<b>栋", "notes": evil})
    assert made.status_code == 303
    [u] = await units(estate.tenant)
    for url in (estate.url(f"/{u.id}"), estate.url("/"), estate.url(f"/{u.id}/edit")):
        page = await client.get(url)
        assert evil not in page.text and "<b>栋" not in page.text, url
        assert "&lt;" in page.text


async def test_export_has_the_filtered_units(estate):
    await factories.unit(estate.tenant, "1栋", "101", area="88.80", use="shop")
    await factories.unit(estate.tenant, "2栋", "201")
    client = await estate.client()
    got = await client.get(estate.url("/export.xlsx"), params={"q": "1栋"})
    assert got.status_code == 200 and got.headers["cache-control"] == "private, no-store"
    rows = xlsx_rows(got.content)
    assert len(rows) == 2 and rows[1][0] == "1栋" and rows[1][3] == "101"
    assert "88.8" in str(rows[1][4])


async def test_a_large_export_is_written_by_a_job(estate, monkeypatch):
    from tests.jobs import large_export

    # Given the filtered list over the size a request writes itself (the limit lowered to 0),
    await factories.unit(estate.tenant, "1栋", "101", use="shop")
    await factories.unit(estate.tenant, "2栋", "201")
    client = await estate.client()
    # when the export is asked for, a job writes it with the list's filters.
    _, got = await large_export(client, estate.url("/export.xlsx"), estate.tenant.id, monkeypatch,
                                params={"q": "1栋"})
    rows = xlsx_rows(got.content)
    assert [(r[0], r[3]) for r in rows[1:]] == [("1栋", "101")]


async def test_front_desk_sees_but_does_not_edit(estate):
    u = await factories.unit(estate.tenant)
    client = await estate.client("desk")
    assert (await client.get(estate.url("/"))).status_code == 200
    assert 'id="new-unit-link"' not in (await client.get(estate.url("/"))).text
    assert (await client.get(estate.url("/new"))).status_code == 403
    assert (await client.post(estate.url(f"/{u.id}"), GOOD)).status_code == 403
    assert (await reload(estate.tenant, u.id)).room == u.room


async def test_an_insurer_never_sees_units(insurer):
    client = await insurer.client()
    assert (await client.get(insurer.url("/"))).status_code == 403
    home = await client.get(f"/t/{insurer.slug}/")
    assert "/units" not in home.text
