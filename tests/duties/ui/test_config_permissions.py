"""A tenant gives its positions its own permissions on the duties configuration page: checked
as positions.toml is, audited, in the versioned configuration, and honoured by the guards from
the next request (by membership and by assignment). The admin position always grants every
permission, and nobody takes from themselves the permission to edit. Another tenant keeps the
pack's."""

from __future__ import annotations

from datetime import date

from kefu.audit.tables import AuditEvent
from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.queries.config import pack_of
from kefu.duties.tables import DutyConfig
from kefu.tenancy.queries import members_with, pack_of_tenant

ROLES = {"admin": "admin", "mgr": "manager", "sup": "relations_supervisor", "desk": "front_desk"}
FRONT_DESK = get_pack("property").positions["front_desk"].permissions


async def _rows(tenant, table, *where):
    async with transaction(tenant.id, write=False):
        query = scoped(table, tenant.id)
        return await (query.where(*where) if where else query)


async def test_the_guards_honour_the_tenants_permissions(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="en")
    other = await make_staff("property", {"admin": "admin", "desk": "front_desk"})
    admin, desk = await staff.client("admin"), await staff.client("desk")
    assert (await desk.get(staff.url("/complaints/new"))).status_code == 200
    assert (await desk.get(staff.url("/duties/board/"))).status_code == 403
    # The front desk no longer registers complaints, and now sees the duties board.
    granted = [p for p in FRONT_DESK if p != "complaints.register"] + ["duties.board"]
    page = await admin.post(staff.url("/duties/config/permissions"), {"position": "front_desk", "permissions": granted})
    assert page.status_code == 303
    assert (await desk.get(staff.url("/complaints/new"))).status_code == 403
    assert (await desk.get(staff.url("/duties/board/"))).status_code == 200
    assert (await (await other.client("desk")).get(other.url("/complaints/new"))).status_code == 200
    # Who holds a permission (notices, escalations) follows too, whatever pack the caller passes.
    pack = get_pack("property")
    assert staff.users["desk"].id not in {u.id for u in await members_with(staff.tenant.id, pack, "complaints.register")}
    assert other.users["desk"].id in {u.id for u in await members_with(other.tenant.id, pack, "complaints.register")}
    own = await pack_of_tenant(staff.tenant.id)
    assert own is not None and "duties.board" in own.positions["front_desk"].permissions
    # Versioned, audited with before and after; the page shows the position's own set.
    [config] = await _rows(staff.tenant, DutyConfig)
    assert config["version"] == 1
    assert (await pack_of(staff.tenant.id, "property")).permissions["front_desk"] == tuple(
        p for p in pack.permissions if p in granted)
    [event] = await _rows(staff.tenant, AuditEvent, AuditEvent.action == "duty_config.permissions")
    after = event["after"] if isinstance(event["after"], dict) else __import__("json").loads(event["after"])
    assert after["position"] == "front_desk" and "complaints.register" not in after["permissions"]
    page = await admin.get(staff.url("/duties/config/"))
    assert "this centre&#39;s own" in page.text or "this centre's own" in page.text
    # Ticking the pack's set again returns the position to the pack's.
    assert (await admin.post(staff.url("/duties/config/permissions"),
                             {"position": "front_desk", "permissions": list(FRONT_DESK)})).status_code == 303
    assert (await desk.get(staff.url("/complaints/new"))).status_code == 200
    assert (await pack_of(staff.tenant.id, "property")).permissions == {}
    assert (await pack_of_tenant(staff.tenant.id)) is pack


async def test_an_assignment_grants_the_tenants_permissions(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="zh_CN")
    admin = await staff.client("admin")
    assert (await admin.post(staff.url("/duties/config/permissions"), {
        "position": "relations_supervisor", "permissions": ["tenant.view", "duties.board"]})).status_code == 303
    # The front desk acts as relations supervisor from today: the supervisor's (own) permissions join hers.
    assert (await admin.post(staff.url("/duties/assignments"), {
        "user_id": staff.users["desk"].id, "position": "relations_supervisor", "role": "acting",
        "starts_on": "2026-11-02"})).status_code == 303
    desk = await staff.client("desk")
    assert (await desk.get(staff.url("/duties/board/"))).status_code == 200
    assert (await (await staff.client("sup")).get(staff.url("/complaints/new"))).status_code == 403


async def test_nobody_locks_themselves_out(make_staff, frozen_clock):
    frozen_clock.travel(date(2026, 11, 2))
    staff = await make_staff("property", ROLES, locale="en")
    admin = await staff.client("admin")
    url = staff.url("/duties/config/permissions")
    # The admin position always grants every permission: the tenant's administrators can undo anything.
    page = await admin.post(url, {"position": "admin", "permissions": ["tenant.view"]})
    assert page.status_code == 422 and "always grants every permission" in page.text
    for bad in ({"position": "pilot", "permissions": ["tenant.view"]},
                {"position": "front_desk", "permissions": ["tenant.view", "fly.planes"]}):
        page = await admin.post(url, bad)
        assert page.status_code == 422 and "kefu-error" in page.text, bad
    assert await _rows(staff.tenant, DutyConfig) == []
    # The manager is given the settings; she cannot then take them from her only position.
    mgr_perms = list(get_pack("property").positions["manager"].permissions)
    assert (await admin.post(url, {"position": "manager", "permissions": [*mgr_perms, "tenant.settings"]})).status_code == 303
    mgr = await staff.client("mgr")
    page = await mgr.post(url, {"position": "manager", "permissions": mgr_perms})
    assert page.status_code == 422 and "could not then give back" in page.text
    assert "tenant.settings" in (await pack_of(staff.tenant.id, "property")).permissions["manager"]
    # She may change another position's; an administrator may take hers.
    assert (await mgr.post(url, {"position": "front_desk", "permissions": ["tenant.view"]})).status_code == 303
    assert (await admin.post(url, {"position": "manager", "permissions": mgr_perms})).status_code == 303
    assert (await mgr.get(staff.url("/duties/config/"))).status_code == 403
    # XSS-free: a permission code is never echoed raw from the form.
    page = await admin.post(url, {"position": "front_desk", "permissions": ['<img src=x onerror="alert(1)">']})
    assert page.status_code == 422 and '<img src=x' not in page.text
