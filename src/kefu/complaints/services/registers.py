"""Reads for pages and the API, the public contact details (A art. 11) and the governance
register (A art. 19)."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

import msgspec

from kefu.audit import services as audit
from kefu.complaints.policy import GOVERNANCE_KINDS
from kefu.complaints.schemas import EMAIL_RE
from kefu.complaints.tables import Complaint, ContactInfo, GovernanceDocument
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant, scoped, scoped_objects
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.db import transaction

CONTACT_LIMITS = {
    "phone": 40, "fax": 40, "postal_address": 300, "reception_address": 300, "email": 254,
}


class PublicStatus(msgspec.Struct, frozen=True):
    """What the complainant's secret link shows: status and dates, never notes or staff."""

    number: str
    status: str
    received_on: date
    acceptance_notice_due: date | None
    decision_due: date | None
    deadlines_provisional: bool
    decided_on: date | None
    closed_on: date | None


class DeadlineRow(Protocol):
    """The deadline columns of a complaint: a Complaint row, or a selected row's namespace."""

    @property
    def materials_notice_due(self) -> date | None: ...
    @property
    def acceptance_notice_due(self) -> date | None: ...
    @property
    def decision_due(self) -> date | None: ...
    @property
    def regulator_report_due(self) -> date | None: ...
    @property
    def deadlines_provisional(self) -> bool: ...


def deadlines_view(c: DeadlineRow) -> dict[str, Any]:
    """The API's `deadlines` object."""
    def iso(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "materials_notice_due": iso(c.materials_notice_due),
        "acceptance_notice_due": iso(c.acceptance_notice_due),
        "decision_due": iso(c.decision_due),
        "regulator_report_due": iso(c.regulator_report_due),
        "provisional": bool(c.deadlines_provisional),
    }


async def get_complaint(ctx: TenantContext, complaint_id: int) -> Complaint:
    """Raises 403 (complaints.view), 404 (missing or another tenant's)."""
    ctx.require("complaints.view")
    async with transaction(ctx.tenant_id, write=False):
        return await get_in_tenant(Complaint, ctx.tenant_id, complaint_id)


async def public_status(tenant: TenantRow, token: str) -> PublicStatus | None:
    """The status page behind the secret link; None for an unknown token (show a 404)."""
    if not token or len(token) > 64:
        return None
    fields = [f for f in PublicStatus.__struct_fields__]
    async with transaction(tenant.id, write=False):
        row = await scoped(Complaint, tenant.id, *[getattr(Complaint, f) for f in fields]).where(
            Complaint.public_token == token
        ).first()
    return msgspec.convert(row, PublicStatus) if row else None


async def get_contact_info(tenant: TenantRow) -> ContactInfo | None:
    """A art. 11: the published complaint contact details (public page; no permission)."""
    async with transaction(tenant.id, write=False):
        return await scoped_objects(ContactInfo, tenant.id).first()


def _contact_fields(fields: dict[str, str]) -> dict[str, str]:
    clean = {}
    for name, value in fields.items():
        if name not in CONTACT_LIMITS:
            raise FieldError(name, "Unknown field.")
        value = (value or "").strip()
        if len(value) > CONTACT_LIMITS[name]:
            raise FieldError(name, "At most %(max)s characters.", max=CONTACT_LIMITS[name])
        if name == "email" and value and not EMAIL_RE.match(value):
            raise FieldError(name, "Enter a valid email address.")
        clean[name] = value
    return clean


async def update_contact_info(ctx: TenantContext, **fields: str) -> ContactInfo:
    """Set any of phone, fax, postal_address, reception_address, email. Raises FieldError,
    403 (complaints.settings)."""
    ctx.require("complaints.settings")
    clean = _contact_fields(fields)
    async with transaction(ctx.tenant_id):
        row = await scoped_objects(ContactInfo, ctx.tenant_id).first()
        before = {k: getattr(row, k) for k in clean} if row else {}
        row = row or ContactInfo(tenant=ctx.tenant_id)
        for name, value in clean.items():
            setattr(row, name, value)
        row.updated_at = clock.now()
        await row.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="complaints.contact_info",
            object_type="contact_info", object_id=row.id, before=before, after=clean,
        )
    return row


async def add_governance_document(
    ctx: TenantContext, *, kind: str, body: str, title: str = "",
    filed_with_regulator_on: date | None = None,
) -> GovernanceDocument:
    """A art. 19: a new version of one of the four registers (policy.GOVERNANCE_KINDS).
    Raises FieldError (kind, title, body, filed_with_regulator_on), 403 (complaints.settings)."""
    ctx.require("complaints.settings")
    if kind not in GOVERNANCE_KINDS:
        raise FieldError("kind", "Choose one of the listed values.")
    body, title = (body or "").strip(), (title or "").strip()
    if not body:
        raise FieldError("body", "This field is required.")
    if len(body) > 200_000 or len(title) > 200:
        raise FieldError("body" if len(body) > 200_000 else "title", "Too long.")
    if filed_with_regulator_on and filed_with_regulator_on > clock.today_in(ctx.tenant.timezone):
        raise FieldError("filed_with_regulator_on", "The date cannot be in the future.")
    async with transaction(ctx.tenant_id):
        latest = await scoped(GovernanceDocument, ctx.tenant_id, GovernanceDocument.version).where(
            GovernanceDocument.kind == kind
        ).order_by(GovernanceDocument.version, ascending=False).first()
        doc = GovernanceDocument(
            tenant=ctx.tenant_id, kind=kind, version=(latest["version"] if latest else 0) + 1,
            title=title, body=body, filed_with_regulator_on=filed_with_regulator_on,
            created_by=ctx.user.id,
        )
        await doc.save()
        await audit.record(
            tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="complaints.governance",
            object_type="governance_document", object_id=doc.id,
            after={"kind": kind, "version": doc.version, "filed": str(filed_with_regulator_on)},
        )
    return doc
