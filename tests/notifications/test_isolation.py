"""Every notifications route is a 404 for another tenant's member — through tenant A's slug, and
through their own slug with tenant A's ids."""

import re

from tests.notifications.factories import ID_FACTORIES, letter_id


def _routes(app) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            if (handler.name or "").startswith("notifications."):
                for method in handler.http_methods:
                    if method != "HEAD":
                        found.append((method, route.path))
    return sorted(set(found))


def _url(path: str, slug: str, ids: dict[str, int]) -> str:
    path = path.replace("{slug:str}", slug)
    return re.sub(r"\{(\w+):int\}", lambda m: str(ids[m.group(1)]), path)


async def test_the_routes_cover_the_outbox_and_the_templates(app):
    paths = {p for _, p in _routes(app)}
    assert "/t/{slug:str}/notices/{notice_id:int}/letter.pdf" in paths
    assert "/t/{slug:str}/notices/templates/{template_id:int}" in paths
    assert len(_routes(app)) >= 13


async def test_every_route_is_404_for_another_tenants_member(app, as_carol, cast):
    ids = {name: await make(cast.tenant_a) for name, make in ID_FACTORIES.items()}
    ids["notice_id"] = await letter_id(cast.tenant_a)  # so the PDF exists
    for method, path in _routes(app):
        for slug in (cast.tenant_a.slug, cast.tenant_b.slug):
            url = _url(path, slug, ids)
            if slug == cast.tenant_b.slug and "_id:int}" not in path:
                continue  # carol's own tenant, no ids of tenant A involved
            if method == "GET":
                response = await as_carol.get(url)
            else:
                response = await as_carol.post(url, {"kind": "acceptance_notice", "locale": "zh_CN", "channel": "email", "subject": "x", "body": "y", "posted_on": "2026-01-01"})
            assert response.status_code == 404, (method, url, response.status_code)
