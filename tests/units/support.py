"""Helpers for the unit tests."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from kefu.audit.tables import AuditEvent
from kefu.core.scoping import get_in_tenant, scoped, scoped_count, scoped_objects
from kefu.db import transaction
from kefu.units.tables import Unit


def listed_ids(html: str, table: str = "units") -> list[int]:
    section = html.split(f'id="{table}"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r'<tr data-id="(\d+)"', section)]


def field_invalid(html: str, name: str) -> bool:
    pattern = rf'name="{re.escape(name)}"[^>]*aria-invalid="true"'
    return bool(re.search(pattern, html)) and f'id="{name}-error"' in html


def xlsx_rows(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


async def units(tenant) -> list[Unit]:
    async with transaction(tenant.id, write=False):
        return await scoped_objects(Unit, tenant.id).order_by(Unit.id)


async def count(tenant, table=Unit) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(table, tenant.id)


async def reload(tenant, unit_id: int) -> Unit:
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(Unit, tenant.id, unit_id)


async def audit_actions(tenant, object_type: str) -> list[str]:
    async with transaction(tenant.id, write=False):
        rows = await scoped(AuditEvent, tenant.id, AuditEvent.action).where(
            AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    return [r["action"] for r in rows]
