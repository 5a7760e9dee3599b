"""Every tenant route declares what it requires, as a guard, read from the app's route table.

A route under /t/{slug}/ or /api/t/{slug}/ without `requires(...)` or `requires_member()`
fails here by name; so does a guard naming a permission no pack defines (a typo would refuse
everybody). A handler that takes the `ctx` dependency without such a guard fails closed.
"""

from __future__ import annotations

import pytest
from litestar import Litestar, get
from litestar.di import NamedDependency, Provide
from litestar.routes import HTTPRoute
from litestar.testing import AsyncTestClient

from kefu.app import create_app
from kefu.core.packs import all_packs
from kefu.core.tenancy import TenantContext
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import declared_requirement

TENANT_PREFIXES = ("/t/{slug:str}", "/api/t/{slug:str}")
# The only tenant paths served to nobody signed in: the tenant's own sign-in pages (marked with
# opt kefu_public_tenant_page; tests/identity/sweep_support.py lists them for the sweep).
PUBLIC_TENANT_PAGES = {"/t/{slug:str}/signin", "/t/{slug:str}/signin/oidc", "/t/{slug:str}/signin/oidc/callback"}
# Litestar adds an OPTIONS handler (204 + Allow, no tenant lookup) to every route.
AUTO_OPTIONS = "create_options_handler.<locals>.options_handler"


def tenant_handlers() -> list[tuple[str, object]]:
    found = []
    for route in create_app().routes:
        if not isinstance(route, HTTPRoute):
            continue
        if not any(route.path == p or route.path.startswith(p + "/") for p in TENANT_PREFIXES):
            continue
        for handler in route.route_handlers:
            if getattr(handler.fn, "__qualname__", "").endswith(AUTO_OPTIONS):
                continue
            if handler.opt.get("kefu_public_tenant_page"):
                assert route.path in PUBLIC_TENANT_PAGES, f"{route.path}: not a listed public tenant page"
                continue
            methods = ",".join(sorted(handler.http_methods))
            found.append((f"{methods} {route.path} ({handler.name})", handler))
    return sorted(found, key=lambda item: item[0])


HANDLERS = tenant_handlers()
KNOWN_PERMISSIONS = {code for pack in all_packs().values() for code in pack.permissions}


def test_the_route_table_is_read():
    names = {name for name, _ in HANDLERS}
    assert any("/api/t/{slug:str}/complaints" in n for n in names), names
    assert any(n.startswith("POST /t/{slug:str}/complaints/{complaint_id:int}/accept") for n in names)
    assert len(HANDLERS) > 80


@pytest.mark.parametrize(("name", "handler"), HANDLERS, ids=[name for name, _ in HANDLERS])
def test_tenant_route_declares_a_guard(name: str, handler):
    required = declared_requirement(handler)
    assert required is not None, (
        f"{name} declares no tenancy guard: add guards=[requires('<module>.<permission>')] "
        f"(or guards=[requires_member()] if any member may use it) from kefu.tenancy.guards"
    )
    assert required == "" or required in KNOWN_PERMISSIONS, (
        f"{name} requires {required!r}, which no pack under tenants/ defines"
    )


@get("/t/{slug:str}/unguarded", dependencies={"ctx": Provide(provide_tenant_context)})
async def _unguarded(ctx: NamedDependency[TenantContext]) -> str:
    return "reached"


async def test_ctx_without_a_guard_never_reaches_the_handler():
    async with AsyncTestClient(Litestar(route_handlers=[_unguarded])) as client:
        response = await client.get("/t/anything/unguarded")
    assert response.status_code == 500
    assert "reached" not in response.text
