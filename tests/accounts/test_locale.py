"""Language: Chinese first, English per user, persisted on the user."""

from __future__ import annotations

from kefu.accounts.tables import User
from tests import factories
from tests.accounts.support import alert, has_chinese, html_lang, plant_cookie, signin_error


async def locale_of(user) -> str:
    row = await User.select(User.locale).where(User.id == user.id).first()
    return row["locale"]


async def test_locale_switches_to_english_and_back_and_is_persisted(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="zh_CN")
    c = make_client()
    await c.signin(person.email)
    home = f"/t/{cast.tenant_a.slug}/"
    page = await c.get(home)
    assert html_lang(page.text) == "zh-CN"
    assert "Sign out" not in page.text and has_chinese(page.text)

    response = await c.post("/account/locale", {"locale": "en", "next": home})
    assert response.status_code == 302
    assert response.headers["location"] == home
    assert await locale_of(person) == "en"
    page = await c.get(home)
    assert html_lang(page.text) == "en"
    assert "Sign out" in page.text

    # Persisted on the user: a new browser without a language cookie gets English too.
    fresh = make_client()
    await fresh.signin(person.email)
    assert html_lang((await fresh.get(home)).text) == "en"

    response = await c.post("/account/locale", {"locale": "zh_CN", "next": home})
    assert response.status_code == 302
    assert await locale_of(person) == "zh_CN"
    page = await c.get(home)
    assert html_lang(page.text) == "zh-CN"
    assert "Sign out" not in page.text


async def test_user_locale_wins_over_a_stale_cookie(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="en")
    c = make_client()
    await c.signin(person.email)
    plant_cookie(c, "kefu_lang", "zh_CN")
    assert html_lang((await c.get(f"/t/{cast.tenant_a.slug}/")).text) == "en"


async def test_invalid_locale_is_refused_naming_the_field(make_client, cast):
    person = await factories.member(cast.tenant_a, ["agent"], locale="en")
    c = make_client()
    await c.signin(person.email)
    for bad in ("xx", "", "fr_FR", "en" * 200, "zh_CN; DROP TABLE kefu_user"):
        response = await c.post("/account/locale", {"locale": bad})
        assert response.status_code == 422, bad
        assert "<strong>locale</strong>" in response.text
        assert "Choose a language from the list." in response.text
        assert html_lang(response.text) == "en"
        assert "Traceback" not in response.text
        assert await locale_of(person) == "en"
    assert html_lang((await c.get(f"/t/{cast.tenant_a.slug}/")).text) == "en"


async def test_signed_out_visitor_can_choose_english(make_client):
    c = make_client()
    page = await c.get("/signin")
    assert html_lang(page.text) == "zh-CN"
    response = await c.post("/account/locale", {"locale": "en", "next": "/signin"})
    assert response.status_code == 302
    assert response.headers["location"] == "/signin"
    page = await c.get("/signin")
    assert html_lang(page.text) == "en"
    wrong = await c.post("/signin", {"email": "nobody@example.test", "password": "nope-nope-nope"})
    assert signin_error(wrong.text) == "Wrong email or password."


async def test_signed_out_visitor_invalid_locale_is_refused(make_client):
    c = make_client()
    response = await c.post("/account/locale", {"locale": "klingon"})
    assert response.status_code == 422
    assert "<strong>locale</strong>" in response.text
    assert html_lang(response.text) == "zh-CN"
    assert has_chinese(alert(response.text))
    assert "kefu_lang" not in response.headers.get("set-cookie", "")


async def test_locale_next_cannot_leave_the_site(make_client):
    c = make_client()
    response = await c.post("/account/locale", {"locale": "en", "next": "https://evil.test"})
    assert response.status_code == 302
    assert response.headers["location"] == "/"
