"""Materials (A art. 12): files stored under var/attachments, outside the web root, served
only to the tenant's staff through `open_attachment`."""

from __future__ import annotations

import hashlib
from pathlib import Path

from kefu.audit import services as audit
from kefu.complaints.tables import Complaint, ComplaintAttachment
from kefu.core import files
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction

AREA = "attachments"  # under var/: kefu.core.files


async def add_attachment(
    ctx: TenantContext, complaint_id: int, *, filename: str, content_type: str, data: bytes
) -> ComplaintAttachment:
    """Store one material of a complaint. Raises FieldError("file"), 403
    (complaints.register), 404."""
    ctx.require("complaints.register")
    name = files.check(files.Upload(filename, content_type, data))
    path: Path | None = None
    try:
        async with transaction(ctx.tenant_id):
            c = await get_in_tenant(Complaint, ctx.tenant_id, complaint_id)
            relative = files.write(AREA, ctx.tenant_id, c.id, data)
            path = files.root(AREA) / relative
            row = ComplaintAttachment(
                tenant=ctx.tenant_id, complaint=c.id, path=str(relative), filename=name,
                content_type=content_type, size=len(data),
                sha256=hashlib.sha256(data).hexdigest(), uploaded_by=ctx.user.id,
            )
            await row.save()
            await audit.record(
                tenant_id=ctx.tenant_id, actor_id=ctx.user.id, action="complaint.attachment",
                object_type="complaint", object_id=c.id,
                after={"attachment_id": row.id, "filename": name, "size": len(data)},
            )
    except BaseException:
        if path is not None:
            path.unlink(missing_ok=True)  # no orphan file when the row was not written
        raise
    return row


async def open_attachment(
    ctx: TenantContext, attachment_id: int
) -> tuple[ComplaintAttachment, Path]:
    """The attachment's row and file path, for a staff download. Raises 403
    (complaints.view), 404."""
    ctx.require("complaints.view")
    async with transaction(ctx.tenant_id, write=False):
        row = await get_in_tenant(ComplaintAttachment, ctx.tenant_id, attachment_id)
    return row, files.root(AREA) / row.path
