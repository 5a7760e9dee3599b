"""Security headers and cookies: a Content-Security-Policy without inline script or style,
no framing, nosniff, a referrer policy, HSTS in production, no-store on what a signed-in user
or an API token receives; every cookie Secure in production and HttpOnly; 405 names Allow."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import httpx
import pytest

from kefu import settings as settings_module
from kefu.app import create_app
from kefu.core.security import CSP
from tests import factories

ROOT = Path(__file__).resolve().parents[2]
# Rendered to PDF on the server, never served to a browser: their inline <style> is theirs.
PDF_ONLY = {
    "notifications/letter.html", "complaints/reports/_print.html", "surveys/rounds/poster_print.html",
    "units/_print.html", "duties/_print.html", "duties/minutes_print.html",
}
INLINE = {
    "an inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style attribute": re.compile(r"\sstyle=[\"']", re.I),
    "an on* handler": re.compile(r"\son[a-z]+=[\"']", re.I),
    "an hx-on handler (eval)": re.compile(r"\shx-on[:-]", re.I),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def test_csp_forbids_inline_script_and_framing():
    directives = dict(d.split(" ", 1) for d in CSP.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in CSP


@pytest.mark.parametrize("template", sorted(
    str(p.relative_to(ROOT / "templates")) for p in (ROOT / "templates").rglob("*.html")
))
def test_no_template_needs_inline_script_or_style(template):
    if template in PDF_ONLY:
        return
    text = (ROOT / "templates" / template).read_text()
    found = [what for what, pattern in INLINE.items() if pattern.search(text)]
    assert not found, f"templates/{template} has {', '.join(found)}: the CSP would block it; use static/js or static/css"


async def test_every_answer_carries_the_headers(client, as_alice, cast):
    for response in (await client.get("/signin"), await client.get("/healthz"), await client.get("/no-such-page"),
                     await as_alice.get(f"/t/{cast.tenant_a.slug}/")):
        assert response.headers["content-security-policy"] == CSP
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"]
        assert "strict-transport-security" not in response.headers  # not production
    # the public pages behind a secret link keep their own stricter policy
    assert (await client.get(f"/p/{cast.tenant_a.slug}/complain")).headers["referrer-policy"] in ("same-origin", "no-referrer")


async def test_signed_in_pages_and_exports_are_not_stored(client, as_alice, cast):
    slug = cast.tenant_a.slug
    for path in (f"/t/{slug}/", f"/t/{slug}/complaints", f"/t/{slug}/complaints/export.xlsx", "/account/tenants"):
        response = await as_alice.get(path)
        assert response.status_code == 200, (path, response.status_code)
        assert "no-store" in response.headers.get("cache-control", ""), path
    static = await as_alice.get("/static/css/kefu.css")
    assert "no-store" not in static.headers.get("cache-control", "")
    token = await factories.api_token(cast.tenant_a, cast.alice)
    api = await client.get(f"/api/t/{slug}/me", headers={"authorization": f"Bearer {token}"})
    assert api.status_code == 200 and api.headers["cache-control"] == "no-store"


async def test_a_405_names_the_allowed_methods(client):
    response = await client.http.post("/healthz")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


async def test_in_production_every_cookie_is_secure_and_httponly_and_hsts_is_sent(monkeypatch, cast):
    production = dataclasses.replace(settings_module.get_settings(), env="production", secure_cookies=True)
    monkeypatch.setattr(settings_module, "_settings", production)
    app = create_app(production)
    user = await factories.member(cast.tenant_a, ["agent"], name="Secure cookie")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as http:
        page = await http.get("/signin")
        assert page.headers["strict-transport-security"].startswith("max-age=")
        response = await http.post("/signin", data={"email": user.email, "password": factories.PASSWORD},
                                   headers={"x-csrftoken": http.cookies["kefu_csrf"]})
        assert response.status_code == 302, response.text[:300]
        switched = await http.post("/account/locale", data={"locale": "en", "next": "/"},
                                   headers={"x-csrftoken": http.cookies["kefu_csrf"]})
        cookies = [*page.headers.get_list("set-cookie"), *response.headers.get_list("set-cookie"),
                   *switched.headers.get_list("set-cookie")]
    names = {c.split("=", 1)[0] for c in cookies}
    assert {"kefu_csrf", "kefu_session", "kefu_lang"} <= names, names
    for cookie in cookies:
        flags = {f.strip().lower() for f in cookie.split(";")[1:]}
        assert "secure" in flags, cookie
        assert "httponly" in flags, cookie
