"""A refused request writes nothing: for every unsafe tenant route (POST, PUT, PATCH, DELETE),
another tenant's admin and a member of the tenant who lacks the permission are refused, and
the row counts of every tenant-owned table (the audit trail among them) of every tenant
involved, and the platform's users and tenants, are the same before and after.

The sweep (test_sweep.py) proves the answer shows nothing of A; this proves the refusal did
not act first and answer after.
"""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from kefu.accounts.tables import User
from kefu.db import transaction
from kefu.tenancy.tables import Tenant
from tests import factories
from tests.fixtures import Client
from tests.isolation.tenant_tables import tenant_owned_classes
from tests.isolation.test_sweep import (  # noqa: F401  (the sweep fixture is used by name)
    TENANT,
    Endpoint,
    Party,
    Sweep,
    as_party,
    assert_denied,
    make_objects,
    send,
    sweep,
    url,
)

UNSAFE = [ep for ep in TENANT if not ep.safe]


async def _counts(tenant_id: int) -> dict[str, int]:
    """Rows per tenant-owned table of one tenant, in one statement inside its transaction."""
    tables = tenant_owned_classes()
    sql = " UNION ALL ".join(
        f"SELECT '{t._meta.tablename}' AS name, COUNT(*) AS n FROM \"{t._meta.tablename}\" WHERE tenant_id = {{}}"  # noqa: S608 (table names from the code)
        for t in tables
    )
    async with transaction(tenant_id, write=False):
        rows = await tables[0].raw(sql, *([tenant_id] * len(tables)))
    return {r["name"]: r["n"] for r in rows}


async def _snapshot(tenant_ids: list[int]) -> dict[str, Any]:
    found: dict[str, Any] = {str(t): await _counts(t) for t in tenant_ids}
    found["users"] = await User.count()
    found["tenants"] = await Tenant.count()
    return found


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def nobody(app, sweep: Sweep):  # noqa: F811
    """A member of A (and of each mirror's owner tenant, Sweep.for_route) with no position:
    every permission-guarded route refuses them. By tenant id."""
    found: dict[int, Party] = {}
    for tenant in (sweep.alice.tenant, *(m.alice.tenant for m in sweep.mirrors.values())):
        user = await factories.member(tenant, [], name="Nobody 无岗位")
        client = Client(app)
        await client.signin(user.email)
        found[tenant.id] = Party("nobody", tenant, user, client, await factories.api_token(tenant, user))
    yield found
    for party in found.values():
        await party.client.aclose()


def test_there_are_unsafe_tenant_routes_to_check():
    assert len(UNSAFE) > 20, [str(ep) for ep in UNSAFE]


@pytest.mark.parametrize("ep", UNSAFE, ids=str)
async def test_a_refused_request_writes_nothing(sweep: Sweep, nobody: dict[int, Party], ep: Endpoint):  # noqa: F811
    sweep = sweep.for_route(ep)
    stranger = nobody[sweep.alice.tenant.id]
    ids = await make_objects(ep, sweep.alice.tenant, factories.unique("refused"))
    tenants = [sweep.alice.tenant.id, sweep.carol.tenant.id, sweep.dave.tenant.id]
    attempts = [
        (sweep.carol, url(ep, sweep.alice.tenant.slug, ids), (403, 404)),  # A's slug, B's admin
        (stranger, url(ep, sweep.alice.tenant.slug, ids), (403,)),  # A's member, no permission
    ]
    if ids:  # dave's own slug with A's ids (without ids he would act in his own tenant)
        attempts.append((sweep.dave, url(ep, sweep.dave.tenant.slug, ids), (404,)))
    # Filled in, so that a check done after the write would have something to write.
    form = None if ep.api else {
        "name": "x", "title": "x", "subject": "x", "description": "x", "reason": "x", "note": "x"}
    for party, target, allowed in attempts:
        before = await _snapshot(tenants)
        response = await as_party(sweep, party, ep, target, form=form)
        assert_denied(response, f"{ep} as {party.name} ({target})", sweep.secrets(), allowed)
        after = await _snapshot(tenants)
        assert after == before, f"{ep} as {party.name}: a refused request changed rows: " + str(
            {k: (before[k], after[k]) for k in before if before[k] != after[k]})


async def test_a_refused_anonymous_api_call_writes_nothing(sweep: Sweep):  # noqa: F811
    ep = next(e for e in UNSAFE if e.api)
    ids = await make_objects(ep, sweep.alice.tenant, factories.unique("refused"))
    before = await _snapshot([sweep.alice.tenant.id])
    response = await send(sweep.anonymous, ep, url(ep, sweep.alice.tenant.slug, ids), bearer="kf_1_forged")
    assert response.status_code == 401
    assert await _snapshot([sweep.alice.tenant.id]) == before
