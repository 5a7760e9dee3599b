"""The fuzz sweep (run in shards by test_fuzz_*.py): hostile input in every route of the app's route table gives no 5xx.

For every (path, method) the app serves (public, the user's own pages, platform admin, tenant
pages and the JSON API, read from `app.routes` like tests/isolation/test_sweep.py), signed in as
a member holding every position of the tenant's pack (a superuser for /admin), a seeded sample
of hostile values goes into:

- every path parameter (the tenant slug excepted: other path values are real objects);
- every query parameter the handler declares;
- every form field the route reads: the fields its form page shows (`name="…"` in the GET page
  of the same path) and the fields the shared form reader (kefu.core.forms.Form) was asked for
  when the route answered an empty form; each field alone, and all at once;
- the body as a whole: invalid UTF-8 (urlencoded and multipart), a JSON body nested 100,000
  deep, the wrong content type.

Any answer of 500 or more fails, with the request that caused it. The sample is drawn per route
from a fixed seed, so a failure reproduces; FUZZ_SEED changes it, FUZZ_PER_FIELD widens it.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
import pytest_asyncio
from litestar.routes import HTTPRoute

from kefu import settings as settings_module
from kefu.core import forms
from kefu.core.packs import get_pack
from kefu.tenancy.services import add_member
from tests import factories
from tests.complaints.payloads import complaint_payload
from tests.fixtures import Client
from tests.isolation.test_sweep import (
    AUTO_OPTIONS,
    OBJECT_FACTORIES,
    PARAM_RE,
    PATH_FACTORIES,
    Endpoint,
    classify,
)

SEED = int(os.environ.get("FUZZ_SEED", "20261206"))
PER_FIELD = int(os.environ.get("FUZZ_PER_FIELD", "1"))

# Hostile text values; bytes are sent as they are (invalid UTF-8 in a urlencoded body).
VALUES: list[str | bytes] = [
    b"\xff\xfe\x80invalid",
    b"\xc3(",
    "\x00",
    "a\x00b",
    "\x01\x1b[31m\x7f\x85",
    "²",
    "١٢٣",
    "𝟙𝟚",
    "99999999999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "2147483648",
    "-1",
    "0",
    "1e309",
    "NaN",
    "x" * 10240,
    "长" * 5000,
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "' OR 1=1 --",
    "1; DROP TABLE users",
    "",
    " ",
    "../../etc/passwd",
    "2026-02-30",
    "9999-99-99",
    "{{ 7*7 }}{% for x in range(10**9) %}{% endfor %}",
    "\u202e\ufeff",
]
# What a numeric field must refuse: digits that are not ASCII ("²".isdigit() is true and int()
# fails), numbers past the id range; one of these goes into every field, among valid values.
# (int() reads Arabic-Indic or full-width digits; superscripts and circled ones it refuses.)
NON_ASCII_DIGITS = ["²", "³", "¹", "①", "1²"]
OUT_OF_RANGE = ["99999999999999999999999", "2147483648", "-9223372036854775809", "1e309", "-1"]
# Hostile path segments, already as they travel (percent-encoded).
PATH_VALUES = [
    "%FF%FE", "%00", "%C2%B2", "%D9%A1", "99999999999999999999999", "9223372036854775808",
    "2147483648", "-1", "0", "x" * 10240, "%3Cscript%3E", "%27%20OR%201%3D1", "1.5", "1e3",
]
# Authorization headers, sent as bytes (a header is latin-1 on the wire).
BEARERS: list[str | bytes] = [
    "Bearer kf_\xb2_" + "a" * 30, "Bearer kf_\u0661_" + "a" * 30, "Bearer kf_99999999999999999999_" + "a" * 30,
    "Bearer kf_2147483648_" + "a" * 30, "Bearer kf_-1_" + "a" * 30, "Bearer kf_0_" + "a" * 30, "Bearer ",
    "Bearer kf__", "Basic YWxhZGRpbjpvcGVuc2VzYW1l", "Bearer " + "x" * 8000, b"Bearer kf_1_\xff\xfe" + b"\x00" * 30,
]
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000
SKIP_FIELDS = {"_csrf_token", "csrf_token"}


def _endpoints(app) -> list[tuple[Endpoint, Any]]:
    found: dict[Endpoint, Any] = {}
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if getattr(handler.fn, "__qualname__", "").endswith(AUTO_OPTIONS):
                continue
            for method in handler.http_methods:
                if method in ("HEAD", "OPTIONS"):
                    continue
                found[Endpoint(route.path, method)] = handler
    return sorted(found.items(), key=lambda item: str(item[0]))


def _query_params(handler: Any, path_params: set[str]) -> list[str]:
    """The handler's own query parameters (not its path parameters or dependencies)."""
    names = []
    skip = {"request", "ctx", "data", "socket", "state", "scope", "headers", "cookies", "query"}
    deps = set(handler.resolve_dependencies())
    for name in handler.parsed_fn_signature.parameters:
        if name not in skip and name not in deps and name not in path_params:
            names.append(name)
    return names


def _encode(fields: dict[str, str | bytes]) -> bytes:
    def part(value: str | bytes) -> str:
        raw = value if isinstance(value, bytes) else value.encode()
        return quote_from_bytes(raw, safe="")

    return "&".join(f"{part(k)}={part(v)}" for k, v in fields.items()).encode()


def _multipart(fields: dict[str, str | bytes]) -> tuple[bytes, str]:
    boundary = "fuzz" + uuid.uuid4().hex
    chunks = []
    for name, value in fields.items():
        raw = value if isinstance(value, bytes) else value.encode()
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + raw + b"\r\n"
        )
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


# --- which fields a route reads ------------------------------------------------------------

_ASKED: set[str] = set()


class _Recording(dict):
    def get(self, key, default=None):  # type: ignore[override]
        _ASKED.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        _ASKED.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        _ASKED.add(key)
        return super().__contains__(key)


@pytest.fixture
def recording_forms(monkeypatch):
    original = forms.Form.__init__

    def init(self, data, lists=None):
        original(self, data, lists)
        self.data = _Recording(self.data)
        self.lists = _Recording(self.lists)

    monkeypatch.setattr(forms.Form, "__init__", init)
    return _ASKED


class _Forms(HTMLParser):
    """Each <form>'s action and its fields with the values the page fills in (first option of a
    select, a textarea's text, a checked box's value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def _fields(self) -> dict[str, str]:
        if not self.forms:
            self.forms.append(("", {}))
        return self.forms[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((a.get("action") or a.get("hx-post") or "", {}))
            return
        for attr in ("hx-post", "formaction"):
            if attr in a and self.forms:  # a button posting elsewhere: its form's fields go there too
                self.forms.append((a[attr], dict(self.forms[-1][1])))
        name = a.get("name")
        if tag == "input" and name:
            if a.get("type") in ("checkbox", "radio") and "checked" not in a and name in self._fields():
                return
            self._fields().setdefault(name, a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self._fields().setdefault(self._select, a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields().setdefault(name, "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._fields()[self._textarea] += data


def page_forms(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


# --- the parties ---------------------------------------------------------------------------


@dataclass
class Realm:
    tenant: Any
    user: Any
    client: Client
    token: str
    made: dict[tuple, dict[str, int]] = field(default_factory=dict)


@dataclass
class Fuzz:
    realms: dict[str, Realm]
    admin: Client  # a superuser, for /admin
    anonymous: Client
    public: dict[str, str]  # path values of the public pages that open something
    stats: dict[str, int] = field(default_factory=lambda: {"requests": 0, "routes": 0, "fields": 0})


async def _realm(app, kind: str) -> Realm:
    tenant = await factories.tenant(kind=kind, name=f"Fuzz {kind} {uuid.uuid4().hex[:6]}")
    user = await factories.user(name="Fuzz 全权")
    await add_member(tenant=tenant, user=user, positions=list(get_pack(kind).positions))
    client = Client(app)
    await client.signin(user.email)
    return Realm(tenant, user, client, await factories.api_token(tenant, user))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def fuzz(app):
    from tests.bulletins import factories as bulletin_factories
    from tests.complaints.public.sweep_support import status_token
    from tests.surveys import factories as survey_factories

    realms = {kind: await _realm(app, kind) for kind in ("insurance", "property")}
    root = await factories.user(name="Fuzz Root", superuser=True)
    admin = Client(app)
    await admin.signin(root.email)
    prop = realms["property"].tenant
    survey = await survey_factories.survey_round(prop)
    invitation = await survey_factories.invitation(prop, survey)
    event = await bulletin_factories.bulletin(prop, kind="event", capacity=100_000)  # the public sign-up form
    public = {"slug": prop.slug, "token": invitation.token, "status": await status_token(prop), "bulletin": event.id}
    state = Fuzz(realms, admin, Client(app), public)
    yield state
    for client in (*(r.client for r in realms.values()), admin, state.anonymous):
        await client.aclose()


# --- one route -----------------------------------------------------------------------------


class Fuzzer:
    def __init__(self, fz: Fuzz, ep: Endpoint, handler: Any, rng: random.Random) -> None:
        self.fz, self.ep, self.handler, self.rng = fz, ep, handler, rng
        self.kind = classify(ep)
        self.failures: list[str] = []
        self.realm: Realm = fz.realms["insurance"]

    @property
    def client(self) -> Client:
        if self.kind == "public":
            return self.fz.anonymous
        if self.kind == "platform_admin":
            return self.fz.admin
        return self.realm.client

    async def ids(self) -> dict[str, str]:
        values: dict[str, str] = {}
        if self.kind == "public":
            values["slug"] = self.fz.public["slug"]
            values["token"] = self.fz.public["status" if "/status/" in self.ep.path else "token"]
            values["file_path"] = "css/kefu.css"
            values["path"] = "openapi.json"
            values["bulletin_id"] = str(self.fz.public["bulletin"])
            return values
        if self.kind == "platform_admin":
            return {name: str(self.realm.tenant.id) for name in PARAM_RE.findall(self.ep.path)}
        values["slug"] = self.realm.tenant.slug
        params = self.ep.params
        if not params:
            return values
        chain = tuple(id(self._factory(name)) for name in params)
        key = (self.realm.tenant.id, chain)
        if key not in self.realm.made:
            made: dict[str, int] = {}
            for name in params:
                make = self._factory(name)
                if make is None:
                    pytest.fail(f"{self.ep}: no factory for {name!r} (see tests/isolation/test_sweep.py)")
                made[name] = await make(self.realm.tenant, factories.unique("fuzz"), dict(made))
            self.realm.made[key] = made
        return {**values, **{k: str(v) for k, v in self.realm.made[key].items()}}

    def _factory(self, name: str):
        by_path = [f for (prefix, n), f in PATH_FACTORIES.items() if n == name and self.ep.path.startswith(prefix)]
        return by_path[0] if by_path else OBJECT_FACTORIES.get(name)

    @staticmethod
    def url(path: str, values: dict[str, str]) -> str:
        return PARAM_RE.sub(lambda m: values[m.group(1)], path)

    async def request(self, target: str, *, method: str | None = None, body: bytes | None = None,
                      content_type: str | None = None, params: dict | None = None, what: str = "") -> Any:
        method = method or self.ep.method
        headers: dict[str, str] = {}
        if self.ep.api:
            headers["authorization"] = f"Bearer {self.realm.token}"
        if method not in ("GET", "HEAD"):
            headers["x-csrftoken"] = await self.client.csrf()
        if content_type:
            headers["content-type"] = content_type
        http = self.fz.anonymous.http if self.ep.api else self.client.http
        started = time.monotonic()
        response = await http.request(method, target, content=body, headers=headers, params=params)
        self.fz.stats["requests"] += 1
        if response.status_code >= 500:
            self.failures.append(f"{method} {target[:200]} {what[:200]} -> {response.status_code}")
        elapsed = time.monotonic() - started
        if elapsed > 20:  # a PDF report takes seconds on a busy machine; a freeze takes longer
            self.failures.append(f"{method} {target[:200]} {what[:200]} took {elapsed:.1f}s")
        return response

    def sample(self, values: list, count: int) -> list:
        return self.rng.sample(values, min(count, len(values)))

    async def pick_realm(self, values: dict[str, str]) -> dict[str, str]:
        """A tenant route whose permission only the other kind grants is fuzzed in that kind."""
        if self.kind != "tenant":
            return values
        probe = await self.request(self.url(self.ep.path, values), method="GET" if self.ep.safe else self.ep.method,
                                   body=b"" if not self.ep.safe else None,
                                   content_type=None if self.ep.api or self.ep.safe else "application/x-www-form-urlencoded",
                                   what="(probe)")
        if probe.status_code == 403:
            self.realm = self.fz.realms["property"]
            values = await self.ids()
        return values

    async def run(self) -> None:
        values = await self.ids()
        values = await self.pick_realm(values)
        # path parameters
        for name in PARAM_RE.findall(self.ep.path):
            if name in ("slug", "file_path"):
                continue
            for bad in self.sample(PATH_VALUES, 5):
                await self.request(self.url(self.ep.path, {**values, name: bad}), what=f"path {name}={bad[:30]}",
                                   body=b"" if not self.ep.safe else None)
        target = self.url(self.ep.path, values)
        # query parameters
        path_names = set(PARAM_RE.findall(self.ep.path))
        for name in _query_params(self.handler, path_names):
            for bad in self.sample(VALUES, 4):
                text = bad.decode("latin-1") if isinstance(bad, bytes) else bad
                await self.request(target, params={name: text}, what=f"query {name}={text[:30]!r}",
                                   body=b"" if not self.ep.safe else None)
        if self.ep.api:
            await self.fuzz_bearer(target)
        if self.ep.safe:
            return
        if self.ep.api:
            await self.fuzz_json(target)
        else:
            await self.fuzz_form(target)

    async def fields(self, target: str) -> dict[str, str]:
        """The route's fields with the values its form page fills in ("" where no page shows them)."""
        _ASKED.clear()
        await self.request(target, body=b"", content_type="application/x-www-form-urlencoded", what="(empty form)")
        names: dict[str, str] = dict.fromkeys(_ASKED, "")
        # The form is on the page of the same path, or of the path one or two levels up.
        path = target.split("?")[0]
        for page_path in (path, path.rsplit("/", 1)[0], path.rsplit("/", 2)[0]):
            page = await self.client.http.get(page_path or "/")
            if page.status_code != 200 or "html" not in page.headers.get("content-type", ""):
                continue
            for action, found in page_forms(page.text):
                if action.split("?")[0] == path or (not action and page_path == path):
                    names.update(found)
        # An empty field gets "1", so a required one does not stop the form before the field fuzzed.
        return {n: v or "1" for n, v in names.items() if isinstance(n, str) and n not in SKIP_FIELDS}

    async def fuzz_form(self, target: str) -> None:
        defaults = await self.fields(target)
        names = sorted(defaults)
        self.fz.stats["fields"] += len(names)
        form = "application/x-www-form-urlencoded"
        # every field with hostile values: alone, and among the values its page fills in
        for name in names:
            for bad in self.sample(VALUES, PER_FIELD):
                await self.request(target, body=_encode({name: bad}), content_type=form, what=f"{name}={bad[:30]!r}")
            traps = [self.rng.choice(NON_ASCII_DIGITS), self.rng.choice(OUT_OF_RANGE)]
            for bad in [*traps, *self.sample(VALUES, PER_FIELD - 1)]:
                await self.request(target, body=_encode({**defaults, name: bad}), content_type=form,
                                   what=f"{name}={bad[:30]!r} among the page's values")
        # every field at once, for a sample of values
        if names:
            for bad in self.sample(VALUES, 6):
                await self.request(target, body=_encode(dict.fromkeys(names, bad)), content_type=form,
                                   what=f"all fields={bad[:30]!r}")
            body, multipart = _multipart(dict.fromkeys(names, b"\xff\xfe\x00"))
            await self.request(target, body=body, content_type=multipart, what="multipart invalid UTF-8")
        body, multipart = _multipart({"\xff": b"x"})
        await self.request(target, body=_encode({b"\xff\xfe": b"\xff"}), content_type=form, what="invalid UTF-8 name")
        await self.request(target, body=b"%zz=%%&&==&a", content_type=form, what="broken urlencoding")
        await self.request(target, body=b"--x\r\nbroken", content_type="multipart/form-data; boundary=x",
                           what="broken multipart")
        await self.request(target, body=b'{"a": 1}', content_type="application/json", what="JSON to a form")
        await self.request(target, body=DEEP_JSON, content_type="application/json", what="deep JSON to a form")
        await self.request(target, body=b"\x00\xff", content_type="text/plain", what="text/plain")

    async def fuzz_bearer(self, target: str) -> None:
        tenant_id = self.realm.tenant.id
        for token in self.sample(BEARERS, 4) + [f"kf_{tenant_id}_".encode() + b"\xff" * 24]:
            raw = token if isinstance(token, bytes) else token.encode("latin-1", errors="strict") \
                if token.isascii() or max(map(ord, token)) < 256 else token.encode("utf-8")
            response = await self.fz.anonymous.http.request(
                self.ep.method, target, headers={"authorization": raw}, content=b"{}" if not self.ep.safe else None)
            self.fz.stats["requests"] += 1
            if response.status_code >= 500:
                self.failures.append(f"{self.ep.method} {target} bearer {raw[:40]!r} -> {response.status_code}")

    async def fuzz_json(self, target: str) -> None:
        js = "application/json"
        for body, what in (
            (DEEP_JSON, "deep JSON"), (b"{" * 50_000, "unclosed JSON"), (b"\xff\xfe", "invalid UTF-8 JSON"),
            (b"[]", "a list"), (b"null", "null"), (b"{}", "empty object"), (b'{"a":' * 2000 + b"1" + b"}" * 2000, "deep object"),
        ):
            await self.request(target, body=body, content_type=js, what=what)
        await self.request(target, body=b"a=1", content_type="application/x-www-form-urlencoded", what="a form to JSON")
        payload = complaint_payload()
        hostile: list[Any] = [v for v in VALUES if isinstance(v, str)] + [
            10**30, -(10**30), 2**63, -1, 1.5, True, None, [], {}, [[[[[]]]]], {"a": {"b": {"c": 1}}},
        ]
        for name in payload:
            for bad in self.sample(hostile, max(2, PER_FIELD)):
                await self.request(target, body=json.dumps({**payload, name: bad}).encode(), content_type=js,
                                   what=f"{name}={str(bad)[:30]!r}")
        for name in payload["complainant"]:
            bad = self.rng.choice(hostile)
            body = {**payload, "complainant": {**payload["complainant"], name: bad}}
            await self.request(target, body=json.dumps(body).encode(), content_type=js,
                               what=f"complainant.{name}={str(bad)[:30]!r}")


def shard_of(app, shard: int, shards: int) -> list[tuple[Endpoint, Any]]:
    """The routes one shard sweeps: every `shards`-th of the sorted route table, so the shards
    together sweep each route once (a file of its own each: xdist --dist loadfile spreads them)."""
    return [item for i, item in enumerate(_endpoints(app)) if i % shards == shard]


async def sweep(app, fuzz: Fuzz, monkeypatch, shard: int, shards: int) -> None:
    """Every route of the shard, every parameter and field, a seeded sample of hostile values:
    no 5xx."""
    from kefu.bulletins.controllers import public as public_bulletins
    from kefu.complaints.controllers import public as public_complaints

    # the public form's limits would answer 429 to most of the sweep's posts
    monkeypatch.setattr(public_complaints, "ATTEMPT_LIMIT", 1_000_000)
    monkeypatch.setattr(public_complaints, "FORM_LIMIT", 1_000_000)
    monkeypatch.setattr(public_bulletins, "ATTEMPT_LIMIT", 1_000_000)
    # and the sign-in throttle would count its posts against the accounts and addresses other
    # tests sign in with (a limit of its own is a counter of its own)
    base = settings_module.get_settings()
    monkeypatch.setattr(settings_module, "_settings", dataclasses.replace(
        base, signin_max_failures=1_000_000, signin_account_max_failures=1_000_000))
    failures: list[str] = []
    started = time.monotonic()
    expected = 0
    for ep, handler in shard_of(app, shard, shards):
        if classify(ep) is None:
            continue
        if ep.path == "/signout" or ep.path.endswith("/signout"):
            continue  # would sign the fuzzer out; it takes no input
        expected += 1
        rng = random.Random(f"{SEED}:{ep}")
        fuzzer = Fuzzer(fuzz, ep, handler, rng)
        await fuzzer.run()
        fuzz.stats["routes"] += 1
        failures.extend(f"{ep}: {f}" for f in fuzzer.failures)
    elapsed = time.monotonic() - started
    print(f"\nfuzz shard {shard + 1}/{shards}: {fuzz.stats['routes']} routes, {fuzz.stats['fields']} form "
          f"fields, {fuzz.stats['requests']} requests, "
          f"{len(failures)} failures, {elapsed:.1f}s (seed {SEED})")
    assert not failures, f"{len(failures)} server errors:\n" + "\n".join(failures[:80])
    assert fuzz.stats["routes"] == expected and expected > 100 // shards, "the route table was not read"
