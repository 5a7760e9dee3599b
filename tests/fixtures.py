"""Shared fixtures: the app, signed-in clients, the standing cast, staff per position, one clock.

alice — admin of tenant A; bob — agent in tenant A (no admin permissions);
carol — admin of tenant B. Each run creates them with unique slugs and emails.

`make_staff(kind, roles)` (or `staff_of` outside a test) makes a fresh tenant with one named
member per role (who -> position code; by default every position of the kind's pack, named by
its code), as users, TenantContexts and signed-in clients. `frozen_clock` holds kefu.core.clock
still: `frozen_clock.travel(day)` puts it at 10:00 of `day` in the tenants' zone (Asia/Shanghai).
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import NoReturn
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio
from litestar import Litestar

from kefu.app import create_app
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped_objects
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.settings import get_settings
from kefu.tenancy.services import add_member
from kefu.tenancy.tables import Membership
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


def missing_system_part(reason: str) -> NoReturn:
    """A test that needs a part of the system the project cannot install itself: skipped with
    its reason outside CI, a failure in CI (KEFU_CI=1), where .ci/run installs every such part."""
    if os.environ.get("KEFU_CI") == "1":
        pytest.fail(f"KEFU_CI=1: {reason}")
    pytest.skip(reason)


def form_value(html: str, name: str) -> str | None:
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    return match.group(1) if match else None


# ---- one frozen clock ------------------------------------------------------------------------

ZONE = "Asia/Shanghai"  # every pack's tenants live here
HOUR = 10  # the tests' working hour, local time


def at(day: date, hour: int = HOUR, zone: str = ZONE) -> datetime:
    """`hour` o'clock of `day` in `zone`, as the UTC instant kefu.core.clock holds."""
    return datetime.combine(day, time(hour), ZoneInfo(zone)).astimezone(UTC)


class FrozenClock:
    """kefu.core.clock held still until the test ends; each `travel` moves it on (or back)."""

    def __init__(self, zone: str = ZONE, hour: int = HOUR) -> None:
        self.zone, self.hour = zone, hour
        self._held = ExitStack()

    def at(self, day: date, hour: int | None = None) -> datetime:
        return at(day, self.hour if hour is None else hour, self.zone)

    def travel(self, when: date | datetime) -> datetime:
        """Freeze at `when`: a day means `hour` o'clock local time; a datetime must be aware."""
        instant = when if isinstance(when, datetime) else self.at(when)
        self._held.enter_context(clock.frozen(instant))
        return instant

    freeze = travel

    def release(self) -> None:
        self._held.close()


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    held = FrozenClock()
    yield held
    held.release()


# ---- staff: a named member per position ------------------------------------------------------

_PEOPLE: dict[tuple[str, str], object] = {}  # users are platform-wide: made once (argon2 is slow)


async def person(who: str, locale: str = "en"):
    """The one user called `who` (named "<Who> 员工") in `locale`, member of as many tenants as asked."""
    if (who, locale) not in _PEOPLE:
        _PEOPLE[who, locale] = await factories.user(name=f"{who.title()} 员工", locale=locale)
    return _PEOPLE[who, locale]


def positions_of(kind: str) -> dict[str, str]:
    """Every position of the kind's pack (tenants/<kind>/positions.toml), each named by its code."""
    return {code: code for code in get_pack(kind).positions}


async def context(tenant, user) -> TenantContext:
    """The TenantContext a service call takes, for a member of `tenant`."""
    async with transaction(tenant.id, write=False):
        membership = await scoped_objects(Membership, tenant.id).where(Membership.user == user.id).first()
    pack = get_pack(tenant.kind)
    return TenantContext(
        tenant=tenant, user=user, membership=membership, pack=pack,
        permissions=pack.permissions_of(membership.held_positions()),
    )


@dataclass
class Staff:
    """One tenant and its members by name; `home` is the section its `url` points into."""

    app: Litestar | None
    tenant: object
    users: dict[str, object]
    home: str = ""
    clients: dict[str, Client] = field(default_factory=dict)

    @property
    def slug(self) -> str:
        return self.tenant.slug

    def url(self, path: str = "") -> str:
        return f"/t/{self.tenant.slug}{self.home}{path}"

    async def client(self, who: str) -> Client:
        if who not in self.clients:
            if self.app is None:
                raise RuntimeError("this staff was made without the app: no clients")
            c = Client(self.app)
            await c.signin(self.users[who].email)
            self.clients[who] = c
        return self.clients[who]

    async def ctx(self, who: str) -> TenantContext:
        return await context(self.tenant, self.users[who])

    async def contexts(self) -> dict[str, TenantContext]:
        return {who: await self.ctx(who) for who in self.users}

    async def aclose(self) -> None:
        for c in self.clients.values():
            await c.aclose()
        self.clients.clear()


async def staff_of(
    kind: str = "insurance", roles: dict[str, str] | None = None, *, app: Litestar | None = None,
    name: str | None = None, locale: str = "en", home: str = "", fresh: bool = False,
    names: dict[str, str] | None = None, cleared: bool = True,
) -> Staff:
    """A fresh tenant of `kind` with a member per role (who -> position; every position by default).

    The members are the shared users of `person`, unless `fresh` or `names` (who -> a person's
    name, as a page shows it): then new users, for tests that change a user (its locale, its
    password) or read names on pages, so nothing leaks into other tenants' tests.
    Each has passed the training their position requires (A art. 8), unless `cleared` is False.
    """
    tenant = await factories.tenant(kind=kind, name=name)
    users = {}
    for who, position in (roles or positions_of(kind)).items():
        named = (names or {}).get(who)
        users[who] = (
            await factories.user(name=named or f"{who.title()} 员工", locale=locale)
            if fresh or named else await person(who, locale)
        )
        await add_member(tenant=tenant, user=users[who], positions=[position])
        if cleared:
            await factories.clear_training(tenant, users[who], [position])
    return Staff(app, tenant, users, home)


@pytest_asyncio.fixture(loop_scope="session")
async def make_staff(app):
    """make_staff(kind, roles, **kw): a Staff whose clients are closed when the test ends."""
    made: list[Staff] = []

    async def make(kind: str = "insurance", roles: dict[str, str] | None = None, **kw) -> Staff:
        made.append(await staff_of(kind, roles, app=app, **kw))
        return made[-1]

    yield make
    for staff in made:
        await staff.aclose()
