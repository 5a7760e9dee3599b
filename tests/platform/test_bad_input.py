"""Bad input: each a clear error in the user's language, never a trace, and nothing changed."""

from __future__ import annotations

import httpx
import pytest
from litestar import get

from kefu.accounts.tables import User
from kefu.app import create_app
from kefu.tenancy.services import add_member
from kefu.tenancy.tables import Tenant
from tests import factories
from tests.accounts.support import (
    alert,
    field_error,
    has_chinese,
    html_lang,
    is_signin_redirect,
    main_block,
    membership,
    membership_count,
    no_trace,
    plant_cookie,
    signin_error,
)

CSRF_EN = "Your form has expired. Reload the page and try again."
NOT_FOUND_EN = "This page does not exist, or you do not have access to it."
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


# --- wrong password -------------------------------------------------------------------------


async def test_wrong_password_is_a_clear_error_and_signs_nobody_in(make_client):
    person = await factories.user()
    c = make_client()
    plant_cookie(c, "kefu_lang", "en")
    response = await c.post("/signin", {"email": person.email, "password": "wrong-wrong-wrong"})
    assert response.status_code == 400
    assert signin_error(response.text) == "Wrong email or password."
    no_trace(response)
    assert is_signin_redirect(await c.get("/account/tenants"))
    row = await User.objects().where(User.id == person.id).first()
    assert row.last_signin_at is None


# --- unknown tenant ---------------------------------------------------------------------------


async def test_unknown_tenant_is_404_exactly_like_a_tenant_one_is_not_in(as_alice, cast):
    for suffix in ("/", "/members", "/audit/"):
        unknown = await as_alice.get(f"/t/no-such-tenant-{factories.unique('x')}{suffix}")
        foreign = await as_alice.get(f"/t/{cast.tenant_b.slug}{suffix}")
        assert unknown.status_code == foreign.status_code == 404, suffix
        assert main_block(unknown.text) == main_block(foreign.text)
        assert alert(foreign.text) == NOT_FOUND_EN
        assert cast.tenant_b.name not in foreign.text
        no_trace(foreign)


async def test_unknown_and_foreign_tenant_look_alike_to_htmx_too(as_alice, cast):
    unknown = await as_alice.get("/t/nothing-here-at-all/members", headers={"hx-request": "true"})
    foreign = await as_alice.get(f"/t/{cast.tenant_b.slug}/members", headers={"hx-request": "true"})
    assert unknown.status_code == foreign.status_code == 404
    assert main_block(unknown.text) == main_block(foreign.text)


async def test_an_inactive_tenant_is_404_like_an_unknown_one(make_client, cast):
    tenant = await factories.tenant()
    person = await factories.member(tenant, ["admin"])
    c = make_client()
    await c.signin(person.email)
    assert (await c.get(f"/t/{tenant.slug}/")).status_code == 200
    await Tenant.update({Tenant.is_active: False}).where(Tenant.id == tenant.id)
    gone = await c.get(f"/t/{tenant.slug}/")
    unknown = await c.get("/t/never-existed-anywhere/")
    assert gone.status_code == unknown.status_code == 404
    assert main_block(gone.text) == main_block(unknown.text)


async def test_signed_out_visitors_cannot_probe_tenants(client, cast):
    known = await client.get(f"/t/{cast.tenant_a.slug}/members")
    unknown = await client.get("/t/never-existed-anywhere/members")
    assert is_signin_redirect(known) and is_signin_redirect(unknown)


async def test_404_page_is_in_chinese_by_default(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="zh_CN")
    c = make_client()
    await c.signin(person.email)
    response = await c.get(f"/t/{cast.tenant_b.slug}/")
    assert response.status_code == 404
    assert html_lang(response.text) == "zh-CN"
    assert has_chinese(alert(response.text))
    anonymous = await make_client().get("/no/such/page")
    assert anonymous.status_code == 404
    assert has_chinese(alert(anonymous.text))


# --- missing CSRF token ---------------------------------------------------------------------


async def post_without_csrf(c, url: str, data: dict, token: str | None = None) -> httpx.Response:
    await c.csrf()  # the browser holds the cookie; the form just does not carry the token
    headers = {"x-csrftoken": token} if token is not None else {}
    return await c.http.post(url, data=data, headers=headers)


@pytest.mark.parametrize("token", [None, "", "forged-token-value"], ids=["missing", "empty", "forged"])
async def test_missing_csrf_token_adds_no_member(as_alice, cast, token):
    person = await factories.user()
    before = await membership_count(cast.tenant_a)
    response = await post_without_csrf(
        as_alice, f"/t/{cast.tenant_a.slug}/members", {"email": person.email, "position": "admin"}, token
    )
    assert response.status_code == 403
    assert alert(response.text) == CSRF_EN
    no_trace(response)
    assert await membership_count(cast.tenant_a) == before
    assert await membership(cast.tenant_a, person) is None


async def test_missing_csrf_token_creates_no_tenant(make_client):
    root = await factories.user(superuser=True)
    c = make_client()
    await c.signin(root.email)
    slug = factories.unique("csrf")
    response = await post_without_csrf(c, "/admin/tenants", {"slug": slug, "name": "No", "kind": "insurance"})
    assert response.status_code == 403
    assert alert(response.text) == CSRF_EN
    assert not await Tenant.exists().where(Tenant.slug == slug)


async def test_missing_csrf_token_changes_no_language(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="en")
    c = make_client()
    await c.signin(person.email)
    response = await post_without_csrf(c, "/account/locale", {"locale": "zh_CN"})
    assert response.status_code == 403
    assert alert(response.text) == CSRF_EN
    row = await User.select(User.locale).where(User.id == person.id).first()
    assert row["locale"] == "en"


async def test_missing_csrf_token_does_not_sign_out(as_bob, cast):
    response = await post_without_csrf(as_bob, "/signout", {})
    assert response.status_code == 403
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/")).status_code == 200


async def test_missing_csrf_token_on_signin_signs_nobody_in(make_client, cast):
    c = make_client()
    response = await post_without_csrf(c, "/signin", {"email": cast.bob.email, "password": factories.PASSWORD})
    assert response.status_code == 403
    message = alert(response.text)
    assert has_chinese(message) and message != CSRF_EN  # no language cookie yet: Chinese
    assert is_signin_redirect(await c.get("/account/tenants"))


async def test_the_token_in_the_form_field_is_accepted(make_client, cast):
    # Plain forms (no htmx) carry the token in a hidden field instead of the header.
    c = make_client()
    token = await c.csrf()
    response = await c.http.post(
        "/signin", data={"email": cast.bob.email, "password": factories.PASSWORD, "_csrf_token": token}
    )
    assert response.status_code == 302


# --- malformed JSON and the API -------------------------------------------------------------


async def test_missing_bearer_token_is_a_json_error(client, cast):
    response = await client.get(f"/api/t/{cast.tenant_a.slug}/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"]["status"] == 401
    no_trace(response)


async def test_malformed_json_to_the_api_is_a_json_error(client, cast):
    token = await factories.api_token(cast.tenant_a, cast.alice)
    for headers in ({}, {"Authorization": f"Bearer {token}"}):
        response = await client.http.post(
            f"/api/t/{cast.tenant_a.slug}/me", content=b'{"tenant": ',
            headers={"content-type": "application/json", **headers},
        )
        assert 400 <= response.status_code < 500
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["error"]["message"]
        no_trace(response)
    unknown_route = await client.http.post(
        "/api/t/whatever/nothing", content=b"[[[", headers={"content-type": "application/json"}
    )
    assert unknown_route.status_code == 404
    assert unknown_route.json()["error"]["status"] == 404


async def test_malformed_json_to_a_form_changes_nothing(as_alice, cast):
    before = await membership_count(cast.tenant_a)
    response = await as_alice.post(
        f"/t/{cast.tenant_a.slug}/members", content=b'{"email": ', headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    no_trace(response)
    assert await membership_count(cast.tenant_a) == before


# --- over-long input --------------------------------------------------------------------------


async def test_an_overlong_body_is_refused_clearly(as_alice, cast):
    before = await membership_count(cast.tenant_a)
    response = await as_alice.post(
        f"/t/{cast.tenant_a.slug}/members",
        content=b"email=" + b"a" * (11 * 1024 * 1024),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert alert(response.text) == "The form is too large."
    no_trace(response)
    assert await membership_count(cast.tenant_a) == before


async def test_an_overlong_query_filter_is_harmless(as_alice, cast):
    response = await as_alice.get(f"/t/{cast.tenant_a.slug}/audit/", params={"action": "x" * 30_000, "object_type": "y" * 30_000})
    # The shared gate: an over-long filter is named as such, and the page still lists events.
    assert response.status_code == 422
    assert response.text.count("x" * 100) == 0  # not echoed back whole
    for limit in ("80", "60"):
        assert f"{limit} 个字符" in response.text or f"At most {limit} characters" in response.text
    no_trace(response)


# --- characters the database cannot hold -----------------------------------------------------
# No browser sends a NUL character, and PostgreSQL refuses one in any text (even to compare).


async def test_nul_in_a_signin_field_is_a_wrong_signin(make_client, cast):
    c = make_client()
    plant_cookie(c, "kefu_lang", "en")
    response = await c.post("/signin", {"email": cast.bob.email + "\x00", "password": factories.PASSWORD})
    assert response.status_code == 400
    assert signin_error(response.text) == "Wrong email or password."
    no_trace(response)


async def test_nul_in_a_form_field_names_the_field_and_changes_nothing(as_alice, cast, make_client):
    person = await factories.user()
    before = await membership_count(cast.tenant_a)
    response = await as_alice.post(
        f"/t/{cast.tenant_a.slug}/members", {"email": person.email + "\x00", "position": "agent"}
    )
    assert response.status_code == 422
    assert field_error(response.text, "email") == "Enter a valid value."
    assert await membership_count(cast.tenant_a) == before
    root = await factories.user(superuser=True)
    admin = make_client()
    await admin.signin(root.email)
    slug = factories.unique("nul")
    response = await admin.post("/admin/tenants", {"slug": slug, "name": "a\x00b", "kind": "insurance"})
    assert response.status_code == 422
    assert field_error(response.text, "name") == "Enter a valid value."
    assert not await Tenant.exists().where(Tenant.slug == slug)


async def test_nul_in_a_query_string_is_a_clear_error_on_both_engines(as_alice, cast):
    # The shared gate refuses it by field before any query, so both engines answer alike.
    plant_cookie(as_alice, "kefu_lang", "en")
    response = await as_alice.get(f"/t/{cast.tenant_a.slug}/audit/", params={"action": "a\x00b"})
    no_trace(response)
    assert response.status_code == 422
    assert "Enter a valid value." in response.text


# --- unhandled errors -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def failing_app():
    """A separate app instance with two routes that fail; the shared app gets no test routes."""

    @get("/test-only/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals 0xdeadbeef")

    @get("/api/test-only/boom")
    async def api_boom() -> None:
        raise RuntimeError("secret internals 0xdeadbeef")

    application = create_app()
    application.register(boom)
    application.register(api_boom)
    return application


async def test_an_unhandled_error_renders_the_500_page_without_a_trace(failing_app):
    transport = httpx.ASGITransport(app=failing_app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as h:
        page = await h.get("/test-only/boom")
        assert page.status_code == 500
        assert html_lang(page.text) == "zh-CN"
        assert has_chinese(alert(page.text))
        no_trace(page)
        assert "0xdeadbeef" not in page.text and "RuntimeError" not in page.text
        h.cookies.set("kefu_lang", "en", domain="testserver.local")
        page = await h.get("/test-only/boom")
        assert alert(page.text) == (
            "Something went wrong on our side. The error has been logged; please try again."
        )
        api = await h.get("/api/test-only/boom")
        assert api.status_code == 500
        assert api.json()["error"]["status"] == 500
        assert "0xdeadbeef" not in api.text
        no_trace(api)


# --- HTML escaping ----------------------------------------------------------------------------


async def test_names_with_markup_render_escaped(make_client, cast):
    tenant = await factories.tenant(name=f"{SCRIPT} 租户")
    person = await factories.member(tenant, ["admin"], name=f"{SCRIPT} 用户")
    await add_member(tenant=cast.tenant_a, user=person, positions=["agent"])  # for the switcher
    c = make_client()
    await c.signin(person.email)
    pages = [
        await c.get(f"/t/{tenant.slug}/"),
        await c.get(f"/t/{tenant.slug}/members"),
        await c.get(f"/t/{tenant.slug}/members", headers={"hx-request": "true"}),
        await c.get("/account/tenants"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in page.text
        assert ESCAPED in page.text
    assert 'id="tenant-switcher"' in pages[0].text


async def test_typed_markup_is_echoed_escaped(as_alice, cast, make_client):
    response = await as_alice.post(
        f"/t/{cast.tenant_a.slug}/members", {"email": '"><script>alert(1)</script>', "position": "agent"}
    )
    assert response.status_code == 422
    assert SCRIPT not in response.text
    signin = await make_client().post("/signin", {"email": SCRIPT, "password": "x"})
    assert signin.status_code == 400
    assert SCRIPT not in signin.text and ESCAPED in signin.text


async def test_superuser_tenant_list_escapes_names(make_client):
    await factories.tenant(name=f"{SCRIPT} 平台列表")
    root = await factories.user(superuser=True)
    c = make_client()
    await c.signin(root.email)
    page = await c.get("/admin/tenants")
    assert SCRIPT not in page.text and ESCAPED in page.text
