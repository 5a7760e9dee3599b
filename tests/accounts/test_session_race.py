"""A request that read the session before a sign-out cannot bring it back when it answers after.

The browser journey caught this: the home page's fragments were still loading when the user
signed out, and their answers wrote the session back to the store."""

from __future__ import annotations

import asyncio

import pytest

from tests.accounts.support import is_signin_redirect, plant_cookie, session_id


async def _held_post(c, url: str, body: bytes, release: asyncio.Event):
    """POST whose body arrives only once `release` is set: the session is loaded before then."""

    async def chunks():
        await release.wait()
        yield body

    headers = {"x-csrftoken": await c.csrf(), "content-type": "application/x-www-form-urlencoded"}
    return await c.http.post(url, content=chunks(), headers=headers)


@pytest.mark.parametrize(
    ("body", "changes_session"),
    [(b"slug=__none__", True), (None, False)],
    ids=["request-that-flashes", "request-that-changes-nothing"],
)
async def test_a_request_in_flight_at_signout_does_not_sign_the_user_in_again(
    make_client, cast, body, changes_session
):
    c = make_client()
    await c.signin(cast.bob.email)
    old = session_id(c)
    home = f"/t/{cast.tenant_a.slug}/"
    release = asyncio.Event()
    in_flight = asyncio.create_task(
        _held_post(c, "/account/switch", body or f"slug={cast.tenant_a.slug}".encode(), release)
    )
    await asyncio.sleep(0.2)  # the held request has loaded the session and waits for its body
    assert not in_flight.done()
    other_tab = make_client()
    plant_cookie(other_tab, "kefu_session", old)
    assert (await other_tab.post("/signout")).status_code == 302
    release.set()
    answer = await in_flight
    assert answer.status_code == 302
    if changes_session:
        assert answer.headers["location"] == "/account/tenants"
    replay = make_client()
    plant_cookie(replay, "kefu_session", old)
    assert is_signin_redirect(await replay.get(home))


async def test_a_session_that_changes_nothing_still_slides(make_client, cast):
    c = make_client()
    await c.signin(cast.bob.email)
    response = await c.get(f"/t/{cast.tenant_a.slug}/")
    assert response.status_code == 200
    cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith("kefu_session=")]
    assert cookies and f"kefu_session={session_id(c)}" in cookies[0] and "Max-Age=" in cookies[0]
