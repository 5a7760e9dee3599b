"""The tenant-isolation sweep, built from the app's own route table.

Every (path, method) the app serves is classified here:

- PUBLIC: served to anyone (explicit list below);
- USER_SCOPED: the signed-in user's own things (explicit list below);
- PLATFORM_ADMIN: every path under /admin (superusers only);
- TENANT: every path under /t/{slug:str} or /api/t/{slug:str}.

A route in none of these fails `test_route_is_classified`, so every later route joins the
sweep. Every path parameter of a tenant route other than `slug` is an object id and needs an
entry in OBJECT_FACTORIES, which creates such an object in a given tenant carrying a unique
marker string (a module may also offer `ID_FACTORIES` in its tests/<module>/factories.py).

For every tenant route and method, tenant A's objects (the standing cast: alice's tenant) are
asked for by members of other tenants, through A's slug and through their own slug, and the
answer must be 404 (or 403) with none of A's data in it. The attackers are carol (admin of
tenant B, the cast) and dave, admin of a tenant of the same kind as A: a route whose permission
only A's kind grants would stop carol at a 403 in B, while dave reaches the object lookup.
"""

from __future__ import annotations

import html
import importlib
import inspect
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import pytest_asyncio
from litestar.routes import HTTPRoute

from kefu.app import create_app
from kefu.core.packs import ADMIN_POSITION, get_pack
from kefu.tenancy.guards import declared_requirement
from tests import factories
from tests.complaints.public import sweep_support as complaint_public_routes
from tests.fixtures import Client

# --- the classification --------------------------------------------------------------------


def _module_name(tests_dir: Path, path: Path) -> str:
    """tests/surveys/public/sweep_support.py -> tests.surveys.public.sweep_support"""
    return ".".join(("tests", *path.relative_to(tests_dir).with_suffix("").parts))


def _module_public_routes() -> set[tuple[str, str]]:
    """PUBLIC_ROUTES from every tests/<module>/sweep_support.py: each module lists its own
    public pages (/p/{slug}/…) and tests their isolation itself."""
    found: set[tuple[str, str]] = set()
    tests_dir = Path(__file__).resolve().parents[1]
    for path in sorted(tests_dir.glob("**/sweep_support.py")):
        module = importlib.import_module(_module_name(tests_dir, path))
        found |= set(getattr(module, "PUBLIC_ROUTES", set()))
    return found


PUBLIC: set[tuple[str, str]] = {
    ("/signin", "GET"),
    ("/signin", "POST"),
    ("/healthz", "GET"),
    ("/static/{file_path:path}", "GET"),
    ("/static/{file_path:path}", "HEAD"),
    # The JSON API's OpenAPI schema: the same document for everyone, no tenant's data.
    ("/api/schema", "GET"),
    ("/api/schema/openapi.json", "GET"),
    ("/api/schema/{path:str}", "GET"),
    ("/api/docs", "GET"),  # the same schema as a page
    # The public pages (/p/{slug}/…, no login) that tests/*/sweep_support.py list: the complaint
    # pages' own isolation tests are below; other modules test theirs in their own folders.
    *_module_public_routes(),
}
# Values for the path parameters of public routes (a token that opens nothing).
PUBLIC_PARAMS = {"file_path": "css/kefu.css", "token": "no-such-token", "path": "openapi.json",
                 "bulletin_id": "999999"}  # an id no tenant has (tests/bulletins/test_public.py crosses tenants)

USER_SCOPED: set[tuple[str, str]] = {
    ("/", "GET"),
    ("/signout", "POST"),
    ("/account/locale", "POST"),
    ("/account/tenants", "GET"),
    ("/account/switch", "POST"),
    ("/account/profile", "GET"),
    ("/account/profile", "POST"),
    ("/account/password", "POST"),
}

PLATFORM_ADMIN_PREFIX = "/admin"
TENANT_PREFIXES = ("/t/{slug:str}", "/api/t/{slug:str}")

# --- the object registry -------------------------------------------------------------------

# (tenant, marker, ids already made for the earlier parameters of the same path) -> object id.
# The marker must be stored in the object where its pages would show it.
ObjectFactory = Callable[[Any, str, dict[str, int]], Awaitable[int]]


async def _audit_event(tenant: Any, marker: str, made: dict[str, int]) -> int:
    return await factories.audit_event(tenant, marker)


async def _notice(tenant: Any, marker: str, made: dict[str, int]) -> int:
    # A letter already made into its PDF (state "ready"), so every notice route — the PDF
    # download included — has something to show its own tenant; the marker is the recipient.
    from kefu.notifications import delivery
    from kefu.notifications.services import Recipient
    from tests.notifications.factories import owe

    recipient = Recipient(name=marker, postal_address="上海市浦东新区世纪大道100号", locale="zh_CN")
    notice_id = await owe(tenant, channel="letter", recipient=recipient)
    assert await delivery.deliver(tenant.id, notice_id) == "ready"
    return notice_id


async def _notice_template(tenant: Any, marker: str, made: dict[str, int]) -> int:
    from kefu.db import transaction
    from kefu.notifications.tables import NoticeTemplate

    row = NoticeTemplate(
        tenant=tenant.id, kind=f"custom_{uuid.uuid4().hex[:8]}", locale="zh_CN", channel="email",
        subject=marker, body=marker,
    )
    async with transaction(tenant.id):
        await row.save()
    return row.id


# A parameter name two modules use for different objects (template_id: notice templates and
# survey templates) is told apart by path: an ID_FACTORIES key may be (path prefix, name).
PATH_FACTORIES: dict[tuple[str, str], ObjectFactory] = {}


def _module_factories() -> dict[str, ObjectFactory]:
    """`ID_FACTORIES = {param: async (tenant[, marker=…]) -> id}` from any tests/<module>/factories.py:
    a module can register its own objects; the entries below take precedence."""
    found: dict[str, ObjectFactory] = {}
    tests_dir = Path(__file__).resolve().parents[1]
    paths = [*tests_dir.glob("**/factories.py"), *tests_dir.glob("**/sweep_factories.py")]
    for path in sorted(p for p in paths if p.parent != tests_dir):
        module = importlib.import_module(_module_name(tests_dir, path))
        for name, make in getattr(module, "ID_FACTORIES", {}).items():
            if isinstance(name, tuple):
                PATH_FACTORIES[name] = _adapt(make)
            else:
                found[name] = _adapt(make)
    return found


def _factory(ep: Endpoint, name: str) -> ObjectFactory | None:
    by_path = [f for (prefix, n), f in PATH_FACTORIES.items() if n == name and ep.path.startswith(prefix)]
    return by_path[0] if by_path else OBJECT_FACTORIES.get(name)


def _adapt(make: Callable[..., Awaitable[int]]) -> ObjectFactory:
    takes_marker = "marker" in inspect.signature(make).parameters

    async def factory(tenant: Any, marker: str, made: dict[str, int]) -> int:
        return await (make(tenant, marker=marker) if takes_marker else make(tenant))

    return factory


OBJECT_FACTORIES: dict[str, ObjectFactory] = {
    **_module_factories(),
    "event_id": _audit_event,
    "notice_id": _notice,
    "template_id": _notice_template,
}

# --- the route table -----------------------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
HTTP_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
# Litestar adds an OPTIONS handler (204 + Allow, no body, no tenant lookup) to every route.
AUTO_OPTIONS = "create_options_handler.<locals>.options_handler"
PARAM_RE = re.compile(r"\{(\w+):[^}]*\}")


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    # The permission its tenancy guard requires ("" membership only, None no such guard).
    permission: str | None = field(default=None, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def params(self) -> tuple[str, ...]:
        """Object-id path parameters, in path order (everything but the tenant slug)."""
        return tuple(name for name in PARAM_RE.findall(self.path) if name != "slug")

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def safe(self) -> bool:
        return self.method in SAFE_METHODS


def _endpoints() -> list[Endpoint]:
    found: set[Endpoint] = set()
    for route in create_app().routes:
        if not isinstance(route, HTTPRoute):  # websocket / ASGI routes must be classified too
            found.add(Endpoint(route.path, type(route).__name__.upper()))
            continue
        for handler in route.route_handlers:
            if getattr(handler.fn, "__qualname__", "").endswith(AUTO_OPTIONS):
                continue
            for method in handler.http_methods:
                found.add(Endpoint(route.path, method, declared_requirement(handler)))
    return sorted(found, key=str)


def classify(ep: Endpoint) -> str | None:
    key = (ep.path, ep.method)
    if key in PUBLIC:
        return "public"
    if key in USER_SCOPED:
        return "user"
    if ep.method not in HTTP_METHODS:
        return None
    if ep.path == PLATFORM_ADMIN_PREFIX or ep.path.startswith(PLATFORM_ADMIN_PREFIX + "/"):
        return "platform_admin"
    if any(ep.path == p or ep.path.startswith(p + "/") for p in TENANT_PREFIXES):
        return "tenant"
    return None


# Computed at collection time, so every route is its own test id.
ENDPOINTS = _endpoints()
TENANT = [ep for ep in ENDPOINTS if classify(ep) == "tenant"]
TENANT_WITH_IDS = [ep for ep in TENANT if ep.params]
PLATFORM = [ep for ep in ENDPOINTS if classify(ep) == "platform_admin"]
USER = [ep for ep in ENDPOINTS if classify(ep) == "user"]
PUBLIC_EPS = [ep for ep in ENDPOINTS if classify(ep) == "public"]


def url(ep: Endpoint, slug: str = "", ids: dict[str, Any] | None = None) -> str:
    values = {"slug": slug, **PUBLIC_PARAMS, **(ids or {})}
    return PARAM_RE.sub(lambda m: quote(str(values[m.group(1)]), safe="/"), ep.path)


def missing_factory_message(ep: Endpoint, name: str) -> str:
    return (
        f"{ep}: path parameter {name!r} has no entry in OBJECT_FACTORIES "
        f"(tests/isolation/test_sweep.py). Add an async factory that creates that object in a "
        f"given tenant with the marker string in a field its pages show, so the isolation "
        f"sweep can ask for another tenant's object by id."
    )


async def make_objects(ep: Endpoint, tenant: Any, marker: str) -> dict[str, int]:
    made: dict[str, int] = {}
    for name in ep.params:
        factory = _factory(ep, name)
        if factory is None:
            pytest.fail(missing_factory_message(ep, name))
        made[name] = await factory(tenant, marker, dict(made))
    return made


# --- requests and checks -------------------------------------------------------------------


async def send(client: Client, ep: Endpoint, target: str, *, bearer: str | None = None, form: dict | None = None):
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    if ep.safe:
        return await client.http.request(ep.method, target, headers=headers)
    if ep.api:
        headers["x-csrftoken"] = await client.csrf()
        return await client.http.request(ep.method, target, headers=headers, json=form or {})
    if ep.method == "POST":
        return await client.post(target, form or {}, headers=headers)
    headers["x-csrftoken"] = await client.csrf()
    return await client.http.request(ep.method, target, headers=headers, data=form or {})


def _forms(value: str) -> set[str]:
    """The ways a string can appear in a body: raw, HTML-escaped, JSON-escaped, URL-quoted."""
    return {
        value,
        html.escape(value),
        html.escape(value, quote=False),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
        quote(value),
    }


def assert_no_leak(response, where: str, secrets: dict[str, str]) -> None:
    body = response.text
    header_text = " ".join(v for k, v in response.headers.items() if k.lower() != "location")
    for label, value in secrets.items():
        for form in _forms(value):
            assert form not in body, f"{where}: the response body shows {label} ({value!r})"
            assert form not in header_text, f"{where}: a response header shows {label} ({value!r})"


def assert_denied(response, where: str, secrets: dict[str, str], allowed=(403, 404)) -> None:
    assert response.status_code in allowed, (
        f"{where}: expected {' or '.join(map(str, allowed))}, got {response.status_code}\n"
        f"{response.text[:500]}"
    )
    assert_no_leak(response, where, secrets)


def assert_reaches_handler(response, where: str) -> None:
    """For positive controls: the tenant's own member is neither refused nor does the route fail."""
    assert response.status_code not in (401, 403, 404) and response.status_code < 500, (
        f"{where} got {response.status_code}; the sweep cannot prove isolation on a route that "
        f"refuses or fails for the tenant's own admin\n{response.text[:500]}"
    )


def assert_signin_required(response, ep: Endpoint, where: str, secrets: dict[str, str]) -> None:
    if ep.api:
        assert response.status_code == 401, f"{where}: expected 401, got {response.status_code}"
    else:
        assert response.status_code in (302, 303, 307), (
            f"{where}: expected a redirect to /signin, got {response.status_code}\n{response.text[:300]}"
        )
        location = response.headers.get("location", "")
        assert location.startswith("/signin"), f"{where}: redirected to {location!r}, not /signin"
    assert_no_leak(response, where, secrets)


# --- the parties ---------------------------------------------------------------------------


@dataclass
class Party:
    name: str
    tenant: Any
    user: Any
    client: Client  # signed in with a session
    token: str  # bearer token for the user's tenant


@dataclass
class Sweep:
    alice: Party  # admin of A: the owner of the data, for positive controls
    carol: Party  # admin of B (another kind than A)
    dave: Party  # admin of a tenant of A's kind
    anonymous: Client  # no session; used for the bearer-token requests too
    a_marker: str  # carried by an audit event of A made for the whole module
    bob_email: str  # another member of A
    # The same sweep with a tenant of another kind as the owner, by kind (see for_route).
    mirrors: dict[str, Sweep] = field(default_factory=dict)

    def grants(self, permission: str | None) -> bool:
        admin = get_pack(self.alice.tenant.kind).positions[ADMIN_POSITION]
        return not permission or permission in admin.permissions

    def for_route(self, ep: Endpoint) -> Sweep:
        """The sweep whose owner can use the route. A's kind grants most routes; a route that
        only another kind's pack grants (the property desk's units) is swept with a tenant of
        that kind as the owner, A's admin as the attacker of another kind, and a twin of that
        kind as the attacker who reaches the object lookup."""
        if self.grants(ep.permission):
            return self
        return next((m for m in self.mirrors.values() if m.grants(ep.permission)), self)

    def secrets(self, marker: str | None = None) -> dict[str, str]:
        found = {
            "tenant A's name": self.alice.tenant.name,
            "alice's email": self.alice.user.email,
            "bob's email (a member of A)": self.bob_email,
            "A's object marker (module)": self.a_marker,
        }
        if marker:
            found["A's object marker"] = marker
        return found


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def sweep(app, cast):
    twin = await factories.tenant(kind=cast.tenant_a.kind, name="丁保险 Twin " + uuid.uuid4().hex[:6])
    dave = await factories.member(twin, ["admin"], name="Dave 戴夫")
    parties = []
    for name, tenant, user in (
        ("alice", cast.tenant_a, cast.alice), ("carol", cast.tenant_b, cast.carol), ("dave", twin, dave)
    ):
        client = Client(app)
        await client.signin(user.email)
        parties.append(Party(name, tenant, user, client, await factories.api_token(tenant, user)))
    anonymous = Client(app)
    a_marker = factories.unique("sweep-a")
    await factories.audit_event(cast.tenant_a, a_marker)
    # B's kind as the owner: carol owns, alice attacks from another kind, erin from B's kind.
    twin_b = await factories.tenant(kind=cast.tenant_b.kind, name="戊物业 Twin " + uuid.uuid4().hex[:6])
    erin = await factories.member(twin_b, ["admin"], name="Erin 艾琳")
    client = Client(app)
    await client.signin(erin.email)
    erin_party = Party("erin", twin_b, erin, client, await factories.api_token(twin_b, erin))
    b_marker = factories.unique("sweep-b")
    await factories.audit_event(cast.tenant_b, b_marker)
    mirror = Sweep(parties[1], parties[0], erin_party, anonymous=anonymous, a_marker=b_marker,
                   bob_email=cast.bob.email)
    yield Sweep(*parties, anonymous=anonymous, a_marker=a_marker, bob_email=cast.bob.email,
                mirrors={cast.tenant_b.kind: mirror})
    for client in (*(p.client for p in parties), erin_party.client, anonymous):
        await client.aclose()


async def as_party(sw: Sweep, party: Party, ep: Endpoint, target: str, **kw):
    """A session request for HTML routes; a bearer request without cookies for the API."""
    if ep.api:
        return await send(sw.anonymous, ep, target, bearer=party.token, **kw)
    return await send(party.client, ep, target, **kw)


# --- the route table is read and every route is classified --------------------------------


def test_route_table_is_read():
    """Guards the sweep itself: if reading the table broke, every parametrized test would vanish."""
    ids = {str(ep) for ep in ENDPOINTS}
    for known in (
        "GET /signin", "GET /t/{slug:str}", "GET /t/{slug:str}/audit/{event_id:int}",
        "GET /api/t/{slug:str}/me", "GET /admin/tenants",
        # The customer page's sections, served by the modules that name the customer.
        "GET /t/{slug:str}/complaints/customers/{customer_id:int}",
        "GET /t/{slug:str}/surveys/customers/{customer_id:int}",
    ):
        assert known in ids, f"{known} is missing from the route table the sweep reads: {sorted(ids)}"
    assert TENANT_WITH_IDS and PLATFORM and USER and PUBLIC_EPS


@pytest.mark.parametrize("ep", ENDPOINTS, ids=str)
def test_route_is_classified(ep: Endpoint):
    assert classify(ep), (
        f"{ep} is not covered by the tenant-isolation sweep. Serve it under /t/{{slug:str}}/…, "
        f"/api/t/{{slug:str}}/… or /admin/…, or — only if it shows no tenant's data — add "
        f"({ep.path!r}, {ep.method!r}) to PUBLIC or USER_SCOPED in tests/isolation/test_sweep.py."
    )


def test_explicit_lists_name_existing_routes():
    served = {(ep.path, ep.method) for ep in ENDPOINTS}
    stale = sorted((PUBLIC | USER_SCOPED) - served)
    assert not stale, f"PUBLIC / USER_SCOPED name routes the app no longer serves: {stale}"


@pytest.mark.parametrize("ep", TENANT, ids=str)
def test_tenant_route_ids_have_factories(ep: Endpoint):
    missing = [name for name in ep.params if name not in OBJECT_FACTORIES]
    assert not missing, missing_factory_message(ep, missing[0])


# --- tenant routes -------------------------------------------------------------------------


@pytest.mark.parametrize("ep", TENANT, ids=str)
async def test_tenant_route_refuses_other_tenants_slug(sweep: Sweep, ep: Endpoint):
    """carol (B) and dave (A's kind) ask through A's slug for A's objects: 404/403, nothing of A."""
    sweep = sweep.for_route(ep)
    marker = factories.unique("sweep")
    ids = await make_objects(ep, sweep.alice.tenant, marker)
    target = url(ep, sweep.alice.tenant.slug, ids)
    secrets = sweep.secrets(marker)
    for party in (sweep.carol, sweep.dave):
        response = await as_party(sweep, party, ep, target)
        assert_denied(response, f"{ep} as {party.name} ({target})", secrets)
    if ep.api:
        # carol's own secret under A's tenant id: the tenant prefix of a token is not a credential.
        secret = sweep.carol.token.split("_", 2)[2]
        forged = f"kf_{sweep.alice.tenant.id}_{secret}"
        response = await send(sweep.anonymous, ep, target, bearer=forged)
        assert_denied(response, f"{ep} with carol's token relabelled for A", secrets, (401, 403, 404))
    if ep.safe:
        # Positive control: A's own admin gets past the tenant and permission checks (a 422 for a
        # missing query parameter is fine), so the 404 above is isolation, not a route that
        # refuses everyone.
        response = await as_party(sweep, sweep.alice, ep, target)
        assert_reaches_handler(response, f"{ep}: alice's own request {target}")
        if response.status_code == 200 and response.headers.get("content-type", "").startswith("text/html"):
            assert sweep.alice.tenant.name in response.text, (
                f"{ep}: alice's page does not show tenant A's name, so its absence proves nothing"
            )


@pytest.mark.parametrize("ep", TENANT_WITH_IDS, ids=str)
async def test_tenant_route_refuses_other_tenants_ids(sweep: Sweep, ep: Endpoint):
    """carol and dave ask through their own slug for A's objects by id: 404, nothing of A."""
    sweep = sweep.for_route(ep)
    marker = factories.unique("sweep")
    ids = await make_objects(ep, sweep.alice.tenant, marker)
    secrets = sweep.secrets(marker)
    # dave holds every permission of A's kind, so he reaches the lookup: strictly 404. carol's
    # tenant is another kind; a route only A's kind may use can stop her at 403 first.
    for party, allowed in ((sweep.carol, (403, 404)), (sweep.dave, (404,))):
        target = url(ep, party.tenant.slug, ids)
        response = await as_party(sweep, party, ep, target)
        assert_denied(response, f"{ep} as {party.name} ({target})", secrets, allowed)
    if ep.safe:
        # Positive control: dave's own objects through his own slug work, so his 404 is scoping.
        own = await make_objects(ep, sweep.dave.tenant, factories.unique("own"))
        target = url(ep, sweep.dave.tenant.slug, own)
        response = await as_party(sweep, sweep.dave, ep, target)
        assert_reaches_handler(response, f"{ep}: dave's request for his own tenant's objects {target}")


API = [ep for ep in TENANT if ep.api]


@pytest.mark.parametrize("ep", API, ids=str)
async def test_api_invalid_token_reveals_no_tenant(sweep: Sweep, ep: Endpoint):
    """An invalid token gets 401 whatever the slug: no probing which slugs exist or which
    tenant id a slug has (token prefixes are guessable small numbers)."""
    ids = await make_objects(ep, sweep.alice.tenant, factories.unique("sweep"))
    a_id = sweep.alice.tenant.id
    for slug in (sweep.alice.tenant.slug, sweep.carol.tenant.slug, factories.unique("no-such")):
        target = url(ep, slug, ids)
        for forged in (f"kf_{a_id}_{uuid.uuid4().hex}", f"kf_{2_000_000_000}_{uuid.uuid4().hex}"):
            response = await send(sweep.anonymous, ep, target, bearer=forged)
            assert_denied(response, f"{ep} with a forged token {forged[:14]}… ({target})", sweep.secrets(), (401,))


@pytest.mark.parametrize("ep", TENANT, ids=str)
async def test_tenant_route_requires_signin(sweep: Sweep, ep: Endpoint, make_client):
    marker = factories.unique("sweep")
    ids = await make_objects(ep, sweep.alice.tenant, marker)
    target = url(ep, sweep.alice.tenant.slug, ids)
    secrets = sweep.secrets(marker)
    stranger = make_client()
    response = await send(stranger, ep, target)
    assert_signin_required(response, ep, f"{ep} without a session ({target})", secrets)
    if ep.api:
        # A browser session, even the owner's, does not authenticate the API.
        response = await send(sweep.alice.client, ep, target)
        assert_signin_required(response, ep, f"{ep} with alice's session, no token", secrets)
    else:
        # A bearer token, even the owner's, does not authenticate the HTML pages.
        response = await send(stranger, ep, target, bearer=sweep.alice.token)
        assert_signin_required(response, ep, f"{ep} with alice's bearer token, no session", secrets)


# --- platform administration ---------------------------------------------------------------


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def superuser_client(app):
    root = await factories.user(name="Root 管理员", superuser=True)
    client = Client(app)
    await client.signin(root.email)
    yield client
    await client.aclose()


async def _platform_ids(ep: Endpoint, sweep: Sweep) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    for name in ep.params:
        if name in OBJECT_FACTORIES:
            ids[name] = await OBJECT_FACTORIES[name](sweep.alice.tenant, sweep.a_marker, dict(ids))
        elif name.endswith("id"):
            ids[name] = sweep.alice.tenant.id
        else:
            ids[name] = sweep.alice.tenant.slug
    return ids


@pytest.mark.parametrize("ep", PLATFORM, ids=str)
async def test_platform_admin_route_refuses_tenant_admins(sweep: Sweep, ep: Endpoint, make_client, superuser_client):
    target = url(ep, ids=await _platform_ids(ep, sweep))
    secrets = sweep.secrets()
    response = await send(sweep.carol.client, ep, target)
    assert_denied(response, f"{ep} as carol (tenant admin, not a superuser)", secrets, (403,))
    response = await send(make_client(), ep, target)
    assert_signin_required(response, ep, f"{ep} without a session", secrets)
    if ep.safe:
        response = await send(superuser_client, ep, target)
        assert response.status_code < 400, f"{ep}: a superuser got {response.status_code}"


# --- the user's own pages ------------------------------------------------------------------


@pytest.mark.parametrize("ep", USER, ids=str)
async def test_user_scoped_route_shows_nothing_of_other_tenants(sweep: Sweep, ep: Endpoint, as_carol):
    """carol, naming tenant A wherever a form could take it, sees and reaches nothing of A."""
    a_slug = sweep.alice.tenant.slug
    response = await send(as_carol, ep, url(ep), form={"slug": a_slug, "tenant": a_slug})
    assert response.status_code < 500, f"{ep}: {response.status_code}"
    assert_no_leak(response, f"{ep} as carol", sweep.secrets())
    location = response.headers.get("location", "")
    for prefix in (f"/t/{a_slug}", f"/api/t/{a_slug}"):
        assert not location.startswith(prefix), f"{ep} as carol redirected into tenant A: {location}"


async def test_tenant_list_shows_only_own_tenants(sweep: Sweep, as_carol):
    response = await as_carol.get("/account/tenants")
    assert response.status_code == 200
    assert sweep.carol.tenant.name in response.text
    assert_no_leak(response, "GET /account/tenants as carol", sweep.secrets())


async def test_home_leads_only_to_own_tenant(sweep: Sweep, as_carol):
    response = await as_carol.get("/")
    assert_no_leak(response, "GET / as carol", sweep.secrets())
    if response.status_code in (302, 303):
        assert response.headers["location"].rstrip("/") == f"/t/{sweep.carol.tenant.slug}"
        response = await as_carol.get(response.headers["location"])
    assert response.status_code == 200
    assert sweep.carol.tenant.name in response.text
    assert_no_leak(response, "carol's start page", sweep.secrets())


async def test_switch_refuses_a_tenant_the_user_is_not_in(sweep: Sweep, as_carol):
    response = await as_carol.post("/account/switch", {"slug": sweep.alice.tenant.slug})
    assert response.status_code in (302, 303)
    assert response.headers["location"] == "/account/tenants"
    page = await as_carol.get("/account/tenants")
    assert_no_leak(page, "the switcher after asking for tenant A", sweep.secrets())
    response = await as_carol.post("/account/switch", {"slug": sweep.carol.tenant.slug})
    assert response.headers["location"].rstrip("/") == f"/t/{sweep.carol.tenant.slug}"


# --- public routes -------------------------------------------------------------------------


@pytest.mark.parametrize("ep", PUBLIC_EPS, ids=str)
async def test_public_route_shows_no_tenant_data(sweep: Sweep, ep: Endpoint, make_client):
    response = await send(make_client(), ep, url(ep))
    assert response.status_code < 500, f"{ep}: {response.status_code}"
    assert_no_leak(response, f"{ep} without a session", sweep.secrets())


async def test_public_status_link_opens_only_in_its_own_tenant(sweep: Sweep, make_client):
    # Given a status token of tenant A, when it is used under tenant B's public slug,
    # then the answer is the same 404 as an unknown token, with none of A's data.
    marker = factories.unique("status")
    tenant_a = sweep.alice.tenant
    token = await complaint_public_routes.status_token(tenant_a, marker)
    client = make_client()
    own = await client.get(f"/p/{tenant_a.slug}/status/{token}")
    assert own.status_code == 200
    crossed = await client.get(f"/p/{sweep.carol.tenant.slug}/status/{token}")
    unknown = await client.get(f"/p/{sweep.carol.tenant.slug}/status/no-such-token")
    assert crossed.status_code == unknown.status_code == 404
    assert_no_leak(crossed, "status token under another slug", sweep.secrets(marker))
