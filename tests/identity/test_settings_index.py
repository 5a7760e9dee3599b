"""Every settings page is reachable: the Settings tab lists the ones the member may use."""

from __future__ import annotations

import re

from tests import factories


async def test_an_admin_reaches_every_settings_page_from_the_tab(as_alice, cast):
    home = await as_alice.get(f"/t/{cast.tenant_a.slug}/")
    assert f'href="/t/{cast.tenant_a.slug}/settings"' in home.text
    page = await as_alice.get(f"/t/{cast.tenant_a.slug}/settings")
    links = re.findall(r'<li><a href="([^"]+)">', page.text.split('id="settings-links"')[1])
    assert links == [f"/t/{cast.tenant_a.slug}/{p}" for p in
                     ("members", "settings/identity", "settings/tokens", "complaints/contact", "notices/templates",
                      "notices/settings", "duties/positions")]
    for link in links:
        assert (await as_alice.get(link)).status_code == 200, link


async def test_an_agent_sees_only_what_their_positions_allow(as_bob, cast):
    page = await as_bob.get(f"/t/{cast.tenant_a.slug}/settings")
    assert page.status_code == 200
    assert f"/t/{cast.tenant_a.slug}/members" not in page.text
    assert f"/t/{cast.tenant_a.slug}/settings/identity" not in page.text


async def test_the_platform_console_links_the_holiday_calendar(make_client):
    root = await factories.user(superuser=True)
    client = make_client()
    await client.signin(root.email)
    page = await client.get("/admin/tenants")
    assert 'id="holidays-link"' in page.text and 'href="/admin/holidays"' in page.text
