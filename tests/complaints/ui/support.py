"""Helpers for the staff-page tests: form data, complaints made through the services, counts."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from kefu.complaints import services
from kefu.complaints.tables import Complaint
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.notifications.tables import Notice
from tests.complaints.payloads import complaint_payload
from tests.fixtures import context  # noqa: F401  (the one TenantContext maker; tests import it from here)


def form(**over) -> dict[str, str]:
    """The register form as a browser posts it (dotted names for the complainant)."""
    data = {
        "channel": "hotline",
        "received_on": "2026-03-02",
        "complainant.name": "张三",
        "complainant.phone": "138 0013 8000",
        "complainant.email": "zhang@example.test",
        "complainant.relation": "consumer",
        "customer_ref": "P-2026-0001",
        "subject": "理赔款迟迟未到账",
        "description": "三月初报案，至今未收到理赔款。",
        "category": "claims",
    }
    for key, value in over.items():
        key = key.replace("__", ".")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def api_data(**over) -> dict:
    """The same complaint in the service's (API) shape."""
    return complaint_payload(**over)


async def register(ctx: TenantContext, **over) -> Complaint:
    return await services.register_complaint(ctx, api_data(**over))


async def reload(tenant, complaint_id: int) -> Complaint:
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(Complaint, tenant.id, complaint_id)


async def count(tenant) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(Complaint, tenant.id)


async def notice_kinds(tenant, complaint_id: int) -> list[str]:
    async with transaction(tenant.id, write=False):
        rows = await scoped(Notice, tenant.id, Notice.kind).where(
            Notice.subject_type == "complaint", Notice.subject_id == complaint_id
        ).order_by(Notice.id)
    return [r["kind"] for r in rows]


def worklist_ids(html: str) -> list[int]:
    section = html.split('id="worklist"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r'<tr data-id="(\d+)"', section)]


def due_of(html: str, complaint_id: int) -> str:
    match = re.search(rf'<tr data-id="{complaint_id}" data-due="(\w+)"', html)
    assert match, f"complaint {complaint_id} is not on the page"
    return match.group(1)


def xlsx_rows(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def field_invalid(html: str, name: str) -> bool:
    """The input/select/textarea named `name` is marked invalid and its error is shown."""
    pattern = rf'name="{re.escape(name)}"[^>]*aria-invalid="true"'
    return bool(re.search(pattern, html)) and f'id="{name}-error"' in html


def days_ago(n: int, today: date) -> str:
    from datetime import timedelta

    return (today - timedelta(days=n)).isoformat()
