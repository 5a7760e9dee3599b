"""The user's own profile: name, language and password; bad input changes nothing."""

from __future__ import annotations

from kefu.accounts.queries import user_by_email
from tests import factories
from tests.fixtures import Client


async def _signed_in(app):
    person = await factories.user(name="Pat 帕特")
    client = Client(app)
    await client.signin(person.email)
    return person, client


async def test_name_and_language_are_saved(app):
    person, client = await _signed_in(app)
    page = await client.get("/account/profile")
    assert page.status_code == 200 and person.email in page.text
    saved = await client.post("/account/profile", {"name": "Pat 新名", "locale": "zh_CN"})
    assert saved.status_code in (302, 303)
    fresh = await user_by_email(person.email)
    assert (fresh.name, fresh.locale) == ("Pat 新名", "zh_CN")
    assert "个人资料" in (await client.get("/account/profile")).text
    await client.aclose()


async def test_bad_profile_input_changes_nothing(app):
    person, client = await _signed_in(app)
    for data, field in (({"name": "", "locale": "en"}, "name"), ({"name": "x" * 101, "locale": "en"}, "name"),
                        ({"name": "Pat", "locale": "fr"}, "locale")):
        response = await client.post("/account/profile", data)
        assert response.status_code == 422 and f'id="{field}-error"' in response.text
    fresh = await user_by_email(person.email)
    assert (fresh.name, fresh.locale) == ("Pat 帕特", "en")
    await client.aclose()


async def test_the_password_changes_only_with_the_current_one(app, make_client):
    person, client = await _signed_in(app)
    new = "a-brand-new-password-9"
    wrong = await client.post("/account/password", {"current": "nope-nope-nope", "password": new, "password2": new})
    assert wrong.status_code == 422 and 'id="current-error"' in wrong.text
    short = await client.post("/account/password", {"current": factories.PASSWORD, "password": "short", "password2": "short"})
    assert short.status_code == 422 and 'id="password-error"' in short.text
    differ = await client.post("/account/password", {"current": factories.PASSWORD, "password": new, "password2": new + "x"})
    assert differ.status_code == 422 and 'id="password2-error"' in differ.text
    ok = await client.post("/account/password", {"current": factories.PASSWORD, "password": new, "password2": new})
    assert ok.status_code in (302, 303)
    old = make_client()
    assert (await old.post("/signin", {"email": person.email, "password": factories.PASSWORD})).status_code == 400
    assert (await make_client().post("/signin", {"email": person.email, "password": new})).status_code == 302
    await client.aclose()


async def test_signed_out_visitors_are_sent_to_sign_in(make_client):
    response = await make_client().get("/account/profile")
    assert response.status_code in (302, 303) and response.headers["location"].startswith("/signin")
