"""Every page names the project's icon, and the icon is served."""

from __future__ import annotations

import re

from tests.fixtures import Client


async def test_pages_link_an_icon_that_is_served(app, as_alice, cast):
    anonymous = Client(app)
    try:
        for client, path in ((anonymous, "/signin"), (as_alice, f"/t/{cast.tenant_a.slug}/complaints")):
            page = await client.get(path)
            assert page.status_code == 200, path
            icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page.text)
            assert icon, path
            served = await anonymous.get(icon.group(1))
            assert served.status_code == 200
            assert served.headers["content-type"].startswith("image/svg+xml")
            assert served.content.startswith(b"<svg")
    finally:
        await anonymous.aclose()
