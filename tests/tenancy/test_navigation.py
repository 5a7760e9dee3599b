"""Every page a role needs is reachable by following links: the test starts at "/" and follows
every same-site link (no typing of URLs), as a new user would, then checks the pages issue 11
names (members, tokens, identity provider, contact details, notice wording and settings,
positions, holidays) and every page without an object id that the role may open."""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

import pytest
import pytest_asyncio
from litestar.routes import HTTPRoute

from kefu.core.packs import ADMIN_POSITION
from tests import factories

# Links, and the fragments a page loads itself (hx-get with hx-trigger="load").
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]+)"|\bhx-get="([^"#]+)"[^>]*hx-trigger="load"')
DOWNLOADS = (".xlsx", ".pdf", ".csv", ".zip")
MAX_PAGES = 400


async def crawl(client, start: str = "/") -> set[str]:
    """Every same-site path reachable from `start` by links (query strings dropped), GETs only."""
    seen: set[str] = set()
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if path.endswith(DOWNLOADS) or path.startswith("/static/"):
            continue
        response = await client.get(path)
        if response.status_code in (301, 302, 303) and response.headers["location"].startswith("/"):
            queue.append(urlsplit(response.headers["location"]).path)
            continue
        if response.status_code != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        for link, fragment in HREF.findall(response.text):
            target = urlsplit(html.unescape(link or fragment))
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            queue.append(target.path.rstrip("/") or "/")
    return seen


def plain_pages(app, prefix: str) -> list[tuple[str, str]]:
    """(path, route name) of every GET page under `prefix` without an object id in its path."""
    found = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if "GET" in (handler.http_methods or ()) and route.path.startswith(prefix):
                rest = route.path[len(prefix):]
                if "{" not in rest and not rest.endswith(DOWNLOADS):
                    found.append((rest, handler.name))
    return found


@pytest_asyncio.fixture(loop_scope="session")
async def admin_of(make_client):
    async def make(kind: str):
        tenant = await factories.tenant(kind=kind)
        person = await factories.member(tenant, [ADMIN_POSITION], name="Nav 管理员")
        c = make_client()
        await c.signin(person.email)
        return tenant, c

    return make


# Pages reached some other way than a link on purpose (a form's result, a sign-in page for the
# signed-out, a page only a form's button opens).
NOT_LINKED = {
    "/signin",  # the tenant's sign-in page: for the signed-out
    "/signin/oidc/callback",  # the provider sends the browser back here
    # Linked from the outbox only while emails go to the local mailbox (development, no SMTP).
    "/notices/mailbox",
    # A fragment the property desk loads for the units it shows (none on an empty desk).
    "/fees/units/arrears",
}


@pytest.mark.parametrize("kind", ["insurance", "property"])
async def test_a_tenant_admin_reaches_every_page_by_links(app, admin_of, kind):
    tenant, c = await admin_of(kind)
    prefix = f"/t/{tenant.slug}"
    reached = await crawl(c)
    named = {"/members", "/settings", "/settings/tokens", "/settings/identity", "/notices/templates",
             "/notices/settings", "/duties/positions"}
    if kind == "insurance":
        named.add("/complaints/contact")
    assert {prefix + p for p in named} <= reached, sorted({prefix + p for p in named} - reached)
    assert "/account/profile" in reached
    missing = []
    for rest, name in plain_pages(app, "/t/{slug:str}"):
        if rest in NOT_LINKED:
            continue
        url = prefix + rest
        if url.rstrip("/") not in reached and (await c.get(url)).status_code == 200:
            missing.append(f"{url} ({name})")  # the admin may open it, but no link leads there
    assert not missing, missing


async def test_the_platform_admin_reaches_the_console_pages_by_links(make_client):
    root = make_client()
    await root.signin((await factories.user(superuser=True)).email)
    reached = await crawl(root)
    assert {"/admin/tenants", "/admin/health", "/admin/holidays", "/account/profile"} <= reached


async def test_the_forgotten_password_page_is_reached_from_the_signin_page(client):
    reached = await crawl(client, "/signin")
    assert "/password/forgot" in reached
