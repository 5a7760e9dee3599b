"""Helpers for the customer page tests."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from kefu.audit.tables import AuditEvent
from kefu.core.scoping import get_in_tenant, scoped, scoped_count
from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.db import transaction


def listed_ids(html: str) -> list[int]:
    section = html.split('id="customers"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r'<tr data-id="(\d+)"', section)]


def field_invalid(html: str, name: str) -> bool:
    pattern = rf'name="{re.escape(name)}"[^>]*aria-invalid="true"'
    return bool(re.search(pattern, html)) and f'id="{name}-error"' in html


def xlsx_rows(content: bytes) -> list[list]:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


async def customers(tenant) -> list[Customer]:
    async with transaction(tenant.id, write=False):
        from kefu.core.scoping import scoped_objects

        return await scoped_objects(Customer, tenant.id).order_by(Customer.id)


async def count(tenant) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(Customer, tenant.id)


async def tags(tenant, customer_id: int) -> list[str]:
    async with transaction(tenant.id, write=False):
        rows = await scoped(CustomerTag, tenant.id, CustomerTag.tag).where(
            CustomerTag.customer == customer_id).order_by(CustomerTag.id)
    return [r["tag"] for r in rows]


async def reload(tenant, customer_id: int) -> Customer:
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(Customer, tenant.id, customer_id)


async def load_import(tenant, import_id: int) -> CustomerImport:
    async with transaction(tenant.id, write=False):
        return await get_in_tenant(CustomerImport, tenant.id, import_id)


async def audit_actions(tenant, object_type: str) -> list[str]:
    async with transaction(tenant.id, write=False):
        rows = await scoped(AuditEvent, tenant.id, AuditEvent.action).where(
            AuditEvent.object_type == object_type).order_by(AuditEvent.id)
    return [r["action"] for r in rows]


async def customer_page_with_sections(client, slug: str, customer_id: int) -> str:
    """A customer's page as a browser with JavaScript shows it: the page, then the complaints and
    surveys sections it loads (htmx) from those modules' routes; each section's link is the
    fallback without JavaScript."""
    page = await client.get(f"/t/{slug}/customers/{customer_id}")
    assert page.status_code == 200, page.text[:500]
    texts = [page.text]
    for module in ("complaints", "surveys"):
        url = f"/t/{slug}/{module}/customers/{customer_id}"
        assert f'hx-get="{url}"' in page.text and f'href="{url}"' in page.text, module
        fragment = await client.get(url, headers={"hx-request": "true"})
        assert fragment.status_code == 200, fragment.text[:500]
        assert "<html" not in fragment.text, "htmx gets the section alone"
        texts.append(fragment.text)
    return "\n".join(texts)
