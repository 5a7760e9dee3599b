"""Shared fixtures: the app, signed-in clients, and the standing cast.

alice — admin of tenant A; bob — agent in tenant A (no admin permissions);
carol — admin of tenant B. Each run creates them with unique slugs and emails.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from litestar import Litestar

from kefu.app import create_app
from kefu.settings import get_settings
from tests import factories

PASSWORD = factories.PASSWORD


@pytest.fixture(scope="session")
def settings():
    return get_settings()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def app() -> Litestar:
    """The app with its lifespan (the embedded worker) running on the tests' own loop.

    AsyncTestClient would run the lifespan on a portal thread's loop, and Redis connections made
    on one loop cannot be closed on another. The lifespan's enter and exit must share one task,
    hence the task that holds it open until the session ends.
    """
    application = create_app()
    started, stop = asyncio.Event(), asyncio.Event()

    async def hold_lifespan() -> None:
        async with application.lifespan():
            started.set()
            await stop.wait()

    task = asyncio.create_task(hold_lifespan())
    waiter = asyncio.ensure_future(started.wait())
    await asyncio.wait([task, waiter], return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        task.result()  # the lifespan failed: raise its error
    yield application
    stop.set()
    await task


class Client:
    """A browser-like client: its own cookies, CSRF header from the cookie, helpers."""

    def __init__(self, app: Litestar) -> None:
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver", follow_redirects=False
        )

    async def get(self, url: str, **kw) -> httpx.Response:
        return await self.http.get(url, **kw)

    async def csrf(self) -> str:
        token = self.http.cookies.get("kefu_csrf")
        if not token:
            await self.http.get("/signin")
            token = self.http.cookies.get("kefu_csrf")
        return token or ""

    async def post(self, url: str, data: dict | None = None, *, htmx: bool = False, **kw) -> httpx.Response:
        headers = {"x-csrftoken": await self.csrf(), **kw.pop("headers", {})}
        if htmx:
            headers["hx-request"] = "true"
        return await self.http.post(url, data=data or {}, headers=headers, **kw)

    async def signin(self, email: str, password: str = PASSWORD) -> httpx.Response:
        response = await self.post("/signin", {"email": email, "password": password})
        assert response.status_code == 302, response.text
        return response

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def client(app):
    c = Client(app)
    yield c
    await c.aclose()


@pytest.fixture
def make_client(app):
    made: list[Client] = []

    def make() -> Client:
        made.append(Client(app))
        return made[-1]

    return make


@dataclass
class Cast:
    tenant_a: object
    tenant_b: object
    alice: object
    bob: object
    carol: object


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def cast(app) -> Cast:
    tenant_a = await factories.tenant(kind="insurance", name="甲保险 Alpha Insurance " + uuid.uuid4().hex[:6])
    tenant_b = await factories.tenant(kind="property", name="乙物业 Beta Property " + uuid.uuid4().hex[:6])
    alice = await factories.member(tenant_a, ["admin"], name="Alice 艾丽斯")
    bob = await factories.member(tenant_a, ["agent"], name="Bob 鲍勃")
    carol = await factories.member(tenant_b, ["admin"], name="Carol 卡罗")
    return Cast(tenant_a, tenant_b, alice, bob, carol)


@pytest_asyncio.fixture(loop_scope="session")
async def as_alice(app, cast):
    c = Client(app)
    await c.signin(cast.alice.email)
    yield c
    await c.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def as_bob(app, cast):
    c = Client(app)
    await c.signin(cast.bob.email)
    yield c
    await c.aclose()


@pytest_asyncio.fixture(loop_scope="session")
async def as_carol(app, cast):
    c = Client(app)
    await c.signin(cast.carol.email)
    yield c
    await c.aclose()


def form_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else None
