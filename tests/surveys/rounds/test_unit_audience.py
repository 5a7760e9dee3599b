"""A round's audience by building read from the units (kefu.units): the current residents of the
chosen buildings' units, of the chosen occupancy states, each customer once, with the unit's
building as their snapshot; bad choices are named; the new-round form offers the buildings."""

from __future__ import annotations

from datetime import date

from kefu.db import transaction
from kefu.surveys.policy.audience import Audience
from kefu.surveys.queries.audience import select_invitees
from kefu.units.tables import Residency
from tests import factories
from tests.surveys.rounds.factories import customer
from tests.surveys.rounds.test_pages import _form
from tests.units import factories as unit_factories


async def _link(t, unit_row, c, *, ended: bool = False) -> None:
    async with transaction(t.id):
        await Residency(tenant=t.id, unit=unit_row.id, customer=c.id, role="owner",
                        ends_on=date(2026, 1, 1) if ended else None).save()


async def _estate(t):
    """3栋 1501 (owner-occupied): 甲 and 乙; 3栋 1502 (let): 乙 again; 5栋 101 (vacant): 丙 moved out."""
    a = await unit_factories.unit(t, "3栋", "1501", occupancy="owner_occupied")
    b = await unit_factories.unit(t, "3栋", "1502", occupancy="let")
    c = await unit_factories.unit(t, "5栋", "101", occupancy="vacant")
    d = await unit_factories.unit(t, "5栋", "102", occupancy="owner_occupied")
    jia, yi = await customer(t, "业主甲", building="写错的楼"), await customer(t, "业主乙", building="")
    bing, ding = await customer(t, "迁出丙"), await customer(t, "住户丁", kind="resident")
    await _link(t, a, jia)
    await _link(t, a, yi)
    await _link(t, b, yi)
    await _link(t, c, bing, ended=True)
    await _link(t, d, ding)
    return {name: (await unit_factories.building(t, name)).id for name in ("3栋", "5栋")}


async def _invited(t, audience):
    async with transaction(t.id, write=False):
        return sorted((i.name, i.building) for i in await select_invitees(t.id, audience))


async def test_residents_of_chosen_buildings_and_states(app):
    t = await factories.tenant(kind="property")
    b = await _estate(t)
    assert await _invited(t, Audience(kind="units", unit_buildings=(b["3栋"],))) == [("业主乙", "3栋"), ("业主甲", "3栋")]
    assert await _invited(t, Audience(kind="units", unit_buildings=(b["3栋"],), occupancy=("let",))) == [("业主乙", "3栋")]
    assert await _invited(t, Audience(kind="units")) == [("业主乙", "3栋"), ("业主甲", "3栋"), ("住户丁", "5栋")]
    assert await _invited(t, Audience(kind="units", customer_kinds=("resident",))) == [("住户丁", "5栋")]
    assert await _invited(t, Audience(kind="units", unit_buildings=(b["5栋"],), occupancy=("vacant",))) == []


async def test_the_form_offers_the_units_buildings_and_names_bad_choices(centre_pages):
    b = await _estate(centre_pages.tenant)
    me = await centre_pages.client("supervisor")
    page = await me.get(centre_pages.url("/rounds/new"))
    assert page.status_code == 200 and 'name="unit_buildings"' in page.text and 'id="unit-audience"' in page.text
    for over, field in (({"unit_buildings": "999999"}, "unit_buildings"), ({"unit_buildings": "x"}, "unit_buildings"),
                        ({"occupancy": "haunted"}, "occupancy")):
        response = await me.post(centre_pages.url("/rounds"), data=await _form(centre_pages, audience="units", **over))
        assert response.status_code == 422 and f'id="{field}-error"' in response.text, (over, response.status_code)
    made = await me.post(centre_pages.url("/rounds"),
                         data=await _form(centre_pages, audience="units", unit_buildings=str(b["3栋"])))
    assert made.status_code == 303, made.text[:500]
    detail = await me.get(made.headers["location"])
    assert "业主甲" in detail.text and "住户丁" not in detail.text and 'id="count-invited">2<' in detail.text
