"""A member without a route's permission is refused by its guard before the handler runs.

Built from the route table: every write route (and every API route) is asked by a member of
the tenant whose position lacks the permission the route declares, for real objects of that
tenant. Pages answer the 403 page, the API a 403 JSON error, and no row of the tenant changes
(not even the API token's last use).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import pytest_asyncio

from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.tenancy.guards import declared_requirement
from tests import factories
from tests.fixtures import Client
from tests.isolation.tenant_tables import tenant_owned_classes
from tests.isolation.test_sweep import TENANT, Endpoint, make_objects, send, url
from tests.tenancy.test_route_guards import HANDLERS

KINDS = ("insurance", "property")


def _permissions() -> dict[tuple[str, str], str]:
    found = {}
    for name, handler in HANDLERS:
        path = name.split(" ")[1]
        for method in handler.http_methods:
            found[(path, method)] = declared_requirement(handler) or ""
    return found


_PERMISSIONS = _permissions()
# Writes are where a missing check costs most; the API is checked whole.
SAMPLE = [ep for ep in TENANT if (ep.api or not ep.safe) and _PERMISSIONS.get((ep.path, ep.method))]


def _kind_and_position(permission: str) -> tuple[str, str] | None:
    """A tenant kind whose pack knows the permission, and a position there that lacks it."""
    for kind in KINDS:
        pack = get_pack(kind)
        if permission not in pack.permissions:
            continue
        for code, position in pack.positions.items():
            if permission not in position.permissions:
                return kind, code
    return None


class Tenants:
    def __init__(self, app) -> None:
        self.app = app
        self.tenants: dict[str, Any] = {}
        self.members: dict[tuple[str, str], tuple[Client, str]] = {}

    async def tenant(self, kind: str):
        if kind not in self.tenants:
            self.tenants[kind] = await factories.tenant(kind=kind, name=f"Guarded {uuid.uuid4().hex[:6]}")
        return self.tenants[kind]

    async def member(self, kind: str, position: str) -> tuple[Client, str]:
        """A signed-in client and a bearer token of a member holding only `position`."""
        if (kind, position) not in self.members:
            tenant = await self.tenant(kind)
            person = await factories.member(tenant, [position], name=f"Denied {position}")
            client = Client(self.app)
            await client.signin(person.email)
            self.members[(kind, position)] = (client, await factories.api_token(tenant, person))
        return self.members[(kind, position)]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def tenants(app):
    made = Tenants(app)
    yield made
    for client, _ in made.members.values():
        await client.aclose()


async def snapshot(tenant_id: int) -> dict[str, list[dict]]:
    """Every row of the tenant, table by table."""
    rows = {}
    async with transaction(tenant_id, write=False):
        for table in tenant_owned_classes():
            found = await scoped(table, tenant_id).order_by(table._meta.primary_key)
            rows[table.__name__] = found
    return rows


def test_the_sample_covers_pages_and_the_api():
    assert any(ep.api and ep.method == "POST" for ep in SAMPLE)
    assert any(not ep.api and ep.path.endswith("/accept") for ep in SAMPLE)
    assert len(SAMPLE) > 40


@pytest.mark.parametrize("ep", SAMPLE, ids=str)
async def test_member_without_the_permission_gets_403_and_nothing_is_written(
    tenants: Tenants, client, ep: Endpoint
):
    permission = _PERMISSIONS[(ep.path, ep.method)]
    found = _kind_and_position(permission)
    if found is None:
        pytest.skip(f"every position of every pack grants {permission}")
    kind, position = found
    tenant = await tenants.tenant(kind)
    member, token = await tenants.member(kind, position)
    ids = await make_objects(ep, tenant, factories.unique("guarded"))
    target = url(ep, tenant.slug, ids)
    before = await snapshot(tenant.id)

    if ep.api:
        response = await send(client, ep, target, bearer=token)  # no session
    else:
        response = await send(member, ep, target)

    where = f"{ep} as {position} (lacks {permission})"
    assert response.status_code == 403, f"{where}: got {response.status_code}\n{response.text[:300]}"
    if ep.api:
        assert response.json()["error"]["status"] == 403, where
    else:
        assert response.headers["content-type"].startswith("text/html"), where
    assert await snapshot(tenant.id) == before, f"{where}: the refused request changed the tenant's rows"
