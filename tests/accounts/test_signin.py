"""Sign-in and sign-out: sessions, no enumeration, no fixation, no open redirect, throttling."""

from __future__ import annotations

import asyncio
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from kefu.accounts.tables import User
from tests import factories
from tests.accounts.support import (
    has_chinese,
    is_signin_redirect,
    plant_cookie,
    session_id,
    signin_error,
)
from tests.fixtures import Client

PASSWORD = factories.PASSWORD
WRONG = "not-the-right-password"
BAD_SIGNIN_EN = "Wrong email or password."
THROTTLED_EN = "Too many failed sign-ins. Wait a few minutes and try again."


def nobody() -> str:
    return f"{factories.unique('nobody')}@example.test"


async def test_right_password_signs_in_and_the_session_works(client, cast):
    response = await client.post("/signin", {"email": cast.bob.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["location"] == "/"
    home = await client.get(f"/t/{cast.tenant_a.slug}/")
    assert home.status_code == 200
    assert cast.bob.name in home.text
    row = await User.objects().where(User.id == cast.bob.id).first()
    assert row.last_signin_at is not None


async def test_email_is_matched_without_regard_to_case_or_spaces(client, cast):
    response = await client.post("/signin", {"email": f"  {cast.bob.email.upper()} ", "password": PASSWORD})
    assert response.status_code == 302


async def test_wrong_password_and_unknown_email_answer_alike_in_chinese_by_default(make_client):
    person = await factories.user()
    wrong = await make_client().post("/signin", {"email": person.email, "password": WRONG})
    unknown = await make_client().post("/signin", {"email": nobody(), "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 400
    message = signin_error(wrong.text)
    assert message == signin_error(unknown.text)
    assert has_chinese(message) and message != BAD_SIGNIN_EN
    # The form comes back with the address typed, and nobody is signed in.
    assert person.email in wrong.text
    assert "location" not in wrong.headers


async def test_wrong_password_and_unknown_email_answer_alike_in_english(make_client):
    person = await factories.user()
    first, second = make_client(), make_client()
    for c in (first, second):
        plant_cookie(c, "kefu_lang", "en")
    wrong = await first.post("/signin", {"email": person.email, "password": WRONG})
    unknown = await second.post("/signin", {"email": nobody(), "password": WRONG})
    assert wrong.status_code == unknown.status_code == 400
    assert signin_error(wrong.text) == signin_error(unknown.text) == BAD_SIGNIN_EN
    assert '<html lang="en">' in wrong.text


async def test_empty_and_overlong_credentials_get_the_same_answer(make_client):
    c = make_client()
    plant_cookie(c, "kefu_lang", "en")
    for data in (
        {},
        {"email": "", "password": ""},
        {"email": "x" * 5000 + "@example.test", "password": "y" * 20000},
    ):
        response = await c.post("/signin", data)
        assert response.status_code == 400, data
        assert signin_error(response.text) == BAD_SIGNIN_EN
        assert "Traceback" not in response.text


async def test_an_anonymous_visitor_gets_no_session(client):
    # Nothing to keep, nothing stored: public pages and bots leave no session behind.
    response = await client.get("/signin")
    assert response.status_code == 200
    assert session_id(client) is None
    assert "kefu_session" not in response.headers.get("set-cookie", "")


async def test_session_id_changes_at_signin(client, cast):
    planted = "attacker-chosen-session-id"  # session fixation: a cookie set before sign-in
    plant_cookie(client, "kefu_session", planted)
    await client.get("/signin")
    await client.signin(cast.bob.email)
    after = session_id(client)
    assert after and after != planted
    assert not is_signin_redirect(await client.get("/"))  # signed in under the new id


async def test_a_planted_session_id_is_not_signed_in(make_client, cast):
    planted = "ab" * 32
    victim = make_client()
    plant_cookie(victim, "kefu_session", planted)
    await victim.signin(cast.bob.email)
    assert session_id(victim) != planted
    attacker = make_client()
    plant_cookie(attacker, "kefu_session", planted)
    response = await attacker.get(f"/t/{cast.tenant_a.slug}/")
    assert is_signin_redirect(response)


async def test_signing_in_again_replaces_the_old_session(make_client, cast):
    c = make_client()
    await c.signin(cast.bob.email)
    old = session_id(c)
    await c.signin(cast.alice.email)
    assert session_id(c) != old
    replay = make_client()
    plant_cookie(replay, "kefu_session", old)
    assert is_signin_redirect(await replay.get(f"/t/{cast.tenant_a.slug}/"))


async def test_signout_ends_the_session(make_client, cast):
    c = make_client()
    await c.signin(cast.bob.email)
    home = f"/t/{cast.tenant_a.slug}/"
    assert (await c.get(home)).status_code == 200
    old = session_id(c)
    response = await c.post("/signout")
    assert response.status_code == 302
    assert response.headers["location"] == "/signin"
    after = await c.get(home)
    assert is_signin_redirect(after)
    assert after.headers["location"] == f"/signin?next={home.rstrip('/')}"
    # The old id is dead on the server too, not only forgotten by this browser.
    replay = make_client()
    plant_cookie(replay, "kefu_session", old)
    assert is_signin_redirect(await replay.get(home))


async def test_signed_out_visitors_are_sent_to_signin(client, cast):
    for path in (f"/t/{cast.tenant_a.slug}/", f"/t/{cast.tenant_a.slug}/members", "/account/tenants", "/"):
        response = await client.get(path)
        assert is_signin_redirect(response), path


def browser_target(location: str) -> str:
    """Where a browser would go: it reads a backslash as a slash and drops tabs and newlines."""
    cleaned = location.replace("\\", "/").replace("\t", "").replace("\n", "").replace("\r", "")
    return urljoin("http://testserver/", cleaned)


OFF_SITE = [
    "//evil.test",
    "//evil.test/t/x/",
    "https://evil.test",
    "https://evil.test/signin",
    "http:evil.test",
    "https:/evil.test",
    "/\\evil.test",
    "/\\/evil.test",
    "/\t/evil.test",
    "javascript:alert(1)",
    "evil.test",
]


@pytest.mark.parametrize("target", OFF_SITE)
async def test_next_cannot_redirect_off_site(make_client, cast, target):
    c = make_client()
    response = await c.post("/signin", {"email": cast.bob.email, "password": PASSWORD, "next": target})
    assert response.status_code == 302
    destination = urlsplit(browser_target(response.headers["location"]))
    assert destination.scheme == "http" and destination.netloc == "testserver"


@pytest.mark.parametrize("target", ["//evil.test", "https://evil.test"])
async def test_next_cannot_redirect_off_site_when_already_signed_in(as_bob, target):
    response = await as_bob.get("/signin", params={"next": target})
    assert response.status_code == 302
    assert response.headers["location"] == "/"


async def test_signin_page_does_not_echo_an_off_site_next(client):
    page = await client.get("/signin", params={"next": "https://evil.test"})
    assert page.status_code == 200
    assert "evil.test" not in page.text


async def test_next_on_the_site_is_followed(make_client, cast):
    target = f"/t/{cast.tenant_a.slug}/"
    page = await make_client().get("/signin", params={"next": target})
    assert f'value="{target}"' in page.text
    response = await make_client().post(
        "/signin", {"email": cast.bob.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["location"] == target


async def test_throttle_after_max_failures_even_with_the_right_password(make_client, settings):
    person, other = await factories.user(), await factories.user()
    c = make_client()
    plant_cookie(c, "kefu_lang", "en")
    for _ in range(settings.signin_max_failures):
        response = await c.post("/signin", {"email": person.email, "password": WRONG})
        assert response.status_code == 400
    blocked = await c.post("/signin", {"email": person.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert signin_error(blocked.text) == THROTTLED_EN
    assert "location" not in blocked.headers
    assert is_signin_redirect(await c.get("/account/tenants"))
    # The same address however it is typed.
    shouted = await c.post("/signin", {"email": person.email.upper(), "password": PASSWORD})
    assert shouted.status_code == 429
    # Another email from the same client is unaffected.
    assert (await c.post("/signin", {"email": other.email, "password": PASSWORD})).status_code == 302


async def test_throttle_holds_against_parallel_guesses(make_client, settings):
    person = await factories.user()
    c = make_client()
    await c.csrf()
    attempts = [c.post("/signin", {"email": person.email, "password": f"guess-{i}-wrong"}) for i in range(20)]
    statuses = sorted(r.status_code for r in await asyncio.gather(*attempts))
    assert statuses.count(400) == settings.signin_max_failures
    assert statuses.count(429) == 20 - settings.signin_max_failures
    assert (await c.post("/signin", {"email": person.email, "password": PASSWORD})).status_code == 429


async def test_throttle_counts_per_client(app, make_client, settings):
    person = await factories.user()
    c = make_client()
    for _ in range(settings.signin_max_failures):
        await c.post("/signin", {"email": person.email, "password": WRONG})
    assert (await c.post("/signin", {"email": person.email, "password": PASSWORD})).status_code == 429
    elsewhere = Client(app)
    elsewhere.http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("198.51.100.7", 40000)),
        base_url="http://testserver", follow_redirects=False,
    )
    try:
        assert (await elsewhere.post("/signin", {"email": person.email, "password": PASSWORD})).status_code == 302
    finally:
        await elsewhere.aclose()


async def test_throttle_message_is_in_chinese_by_default(make_client, settings):
    person = await factories.user()
    c = make_client()
    for _ in range(settings.signin_max_failures):
        await c.post("/signin", {"email": person.email, "password": WRONG})
    blocked = await c.post("/signin", {"email": person.email, "password": WRONG})
    assert blocked.status_code == 429
    message = signin_error(blocked.text)
    assert has_chinese(message) and message != THROTTLED_EN


async def test_a_success_clears_earlier_failures(make_client, settings):
    person = await factories.user()
    c = make_client()
    for _ in range(settings.signin_max_failures - 1):
        await c.post("/signin", {"email": person.email, "password": WRONG})
    await c.signin(person.email)
    for _ in range(settings.signin_max_failures - 1):
        assert (await c.post("/signin", {"email": person.email, "password": WRONG})).status_code == 400
    assert (await c.post("/signin", {"email": person.email, "password": PASSWORD})).status_code == 302


async def test_inactive_user_cannot_sign_in(make_client):
    person = await factories.user()
    await User.update({User.is_active: False}).where(User.id == person.id)
    c = make_client()
    plant_cookie(c, "kefu_lang", "en")
    response = await c.post("/signin", {"email": person.email, "password": PASSWORD})
    assert response.status_code == 400
    assert signin_error(response.text) == BAD_SIGNIN_EN


async def test_deactivating_a_user_ends_their_session(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"])
    c = make_client()
    await c.signin(person.email)
    home = f"/t/{cast.tenant_a.slug}/"
    assert (await c.get(home)).status_code == 200
    await User.update({User.is_active: False}).where(User.id == person.id)
    assert is_signin_redirect(await c.get(home))


async def test_htmx_request_without_a_session_redirects_the_whole_page(client, cast):
    # An XHR would follow a 302 and htmx would swap the sign-in page into the fragment's target.
    page = f"http://testserver/t/{cast.tenant_a.slug}/members"
    response = await client.post(
        f"/t/{cast.tenant_a.slug}/members", {"email": "x@example.test", "position": "agent"},
        htmx=True, headers={"hx-current-url": page},
    )
    assert response.status_code == 401
    assert response.headers["hx-redirect"] == f"/signin?next=/t/{cast.tenant_a.slug}/members"
    assert "<form" not in response.text
    fragment = await client.get(f"/t/{cast.tenant_a.slug}/members", headers={"hx-request": "true"})
    assert fragment.status_code == 401
    assert fragment.headers["hx-redirect"].startswith("/signin?next=")
