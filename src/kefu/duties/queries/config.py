"""The tenant's duty pack: its own configuration (DutyConfig) once an administrator has edited
it, else the pack's (tenants/<kind>/duties.toml). Every duties page, service and the sweep read
it through `pack_of`; a parsed configuration is kept per (tenant, version), so a request pays
one small query."""

from __future__ import annotations

from typing import Any

from kefu.core.packs import get_pack
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.duties.policy.config import from_json
from kefu.duties.policy.pack import DutyPack, duties_for, parse_duties
from kefu.duties.tables import DutyConfig

_PARSED: dict[int, tuple[int, DutyPack]] = {}


async def config_row(tenant_id: int) -> dict[str, Any] | None:
    """The tenant's configuration row (id, version, updated_at), or None: the pack's."""
    async with transaction(tenant_id, write=False):
        return await scoped(DutyConfig, tenant_id, DutyConfig.id, DutyConfig.version, DutyConfig.updated_at).first()


async def pack_of(tenant_id: int, kind: str) -> DutyPack:
    """The duty pack the tenant runs on."""
    async with transaction(tenant_id, write=False):
        row = await scoped(DutyConfig, tenant_id, DutyConfig.version).first()
        if row is None:
            return duties_for(kind)
        cached = _PARSED.get(tenant_id)
        if cached is not None and cached[0] == row["version"]:
            return cached[1]
        full = await scoped(DutyConfig, tenant_id, DutyConfig.version, DutyConfig.document).first()
    assert full is not None
    base = get_pack(kind)
    pack = parse_duties(from_json(full["document"]), f"tenant {tenant_id} duty configuration", set(base.positions), base)
    _PARSED[tenant_id] = (full["version"], pack)
    return pack
