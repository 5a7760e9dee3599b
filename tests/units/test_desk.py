"""The desk search: by name, whole phone, last four digits, or a unit written any way; each
result shows the resident's unit and its occupancy; htmx asks for the results alone."""

from __future__ import annotations

import re

import pytest

from tests.units import factories


def found(html: str) -> list[tuple[str, str]]:
    """(unit id or "", customer id or "") per result row."""
    section = html.split('id="desk-results"')[1].split("</table>")[0]
    rows = re.findall(r"<tr((?: data-\w+=\"\d+\")*)>", section)
    return [(_attr(r, "unit"), _attr(r, "customer")) for r in rows if r]


def _attr(text: str, name: str) -> str:
    m = re.search(rf'data-{name}="(\d+)"', text)
    return m.group(1) if m else ""


@pytest.fixture
async def flat(estate):
    u = await factories.unit(estate.tenant, "3栋", "1501", entrance="2", occupancy="owner_occupied")
    owner = await factories.residency(estate.tenant, u, "陈静", phone="13912341501")
    other = await factories.unit(estate.tenant, "3栋", "1501", entrance="1")
    return u, owner, other


@pytest.mark.parametrize("q", ["3-2-1501", "3栋2单元1501", "3号楼2单元1501室", "陈静", "陈", "13912341501",
                               "139 1234 1501"])
async def test_finds_the_resident_any_way(estate, flat, q):
    u, owner, _ = flat
    page = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/", params={"q": q},
                                                   headers={"hx-request": "true"})
    assert page.status_code == 200 and "<html" not in page.text
    assert (str(u.id), str(owner.customer)) in found(page.text), q
    assert "Owner-occupied" in page.text and 'data-slot="fees"' in page.text


async def test_a_unit_without_entrance_lists_every_entrance(estate, flat):
    u, _, other = flat
    page = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/", params={"q": "3幢1501"})
    units = {unit for unit, _ in found(page.text)}
    assert units == {str(u.id), str(other.id)}


async def test_last_four_digits_find_the_phone_and_the_room(estate, flat):
    u, owner, other = flat
    room = await factories.unit(estate.tenant, "5栋", "1234")
    page = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/", params={"q": "1234"})
    rows = found(page.text)
    assert (str(room.id), "") in rows  # room 1234, nobody lives there
    page = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/", params={"q": "1501"})
    assert (str(u.id), str(owner.customer)) in found(page.text)  # phone ends 1501, and room 1501


async def test_ended_residents_are_not_found_and_nobody_says_so(estate, flat):
    page = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/", params={"q": "查无此人"})
    assert 'id="desk-empty"' in page.text and found(page.text) == []
    empty = await (await estate.client("desk")).get(f"/t/{estate.slug}/desk/")
    assert empty.status_code == 200 and 'hx-trigger="input changed delay:200ms' in empty.text


async def test_markup_in_a_name_and_the_query_is_escaped(estate):
    u = await factories.unit(estate.tenant, "8栋", "801")
    await factories.residency(estate.tenant, u, "<b>坏</b>", phone="13800008888")
    client = await estate.client("desk")
    for q in ("<b>坏", "8-801", "<script>alert(1)</script>", "x\x00y"):
        page = await client.get(f"/t/{estate.slug}/desk/", params={"q": q})
        assert page.status_code == 200
        assert "<b>坏" not in page.text and "<script>alert(1)" not in page.text, q


async def test_an_insurer_has_no_desk(insurer):
    client = await insurer.client()
    assert (await client.get(f"/t/{insurer.slug}/desk/")).status_code == 403
