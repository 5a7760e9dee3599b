"""Materials (A art. 12): files stored under var/attachments, outside the web root, served
only to the tenant's staff through `open_attachment`."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from kefu.audit import services as audit
from kefu.complaints.tables import Complaint, ComplaintAttachment
from kefu.core.errors import FieldError
from kefu.core.scoping import get_in_tenant
from kefu.core.tenancy import TenantContext
from kefu.db import transaction
from kefu.settings import get_settings

MAX_BYTES = 20 * 1024 * 1024
# type -> the bytes such a file starts with (checked, so a renamed executable is refused)
TYPES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/webp": (b"RIFF",),
    "text/plain": (),
    "application/msword": (b"\xd0\xcf\x11\xe0",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (b"PK\x03\x04",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (b"PK\x03\x04",),
    "audio/mpeg": (b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"),
}


def _check(filename: str, content_type: str, data: bytes) -> str:
    name = Path((filename or "").replace("\\", "/")).name.strip()
    if not name or len(name) > 255:
        raise FieldError("file", "Give the file a name of at most 255 characters.")
    if content_type not in TYPES:
        raise FieldError("file", "This type of file is not accepted.")
    if not data or len(data) > MAX_BYTES:
        raise FieldError("file", "Files must be between 1 byte and %(mb)s MB.", mb=MAX_BYTES >> 20)
    magic = TYPES[content_type]
    if magic and not any(data.startswith(m) for m in magic):
        raise FieldError("file", "The file's content does not match its type.")
    return name


def _root() -> Path:
    return get_settings().var_dir / "attachments"


async def add_attachment(
    ctx: TenantContext, complaint_id: int, *, filename: str, content_type: str, data: bytes
) -> ComplaintAttachment:
    """Store one material of a complaint. Raises FieldError("file"), 403
    (complaints.register), 404."""
    ctx.require("complaints.register")
    name = _check(filename, content_type, data)
    relative = Path(str(ctx.tenant_id), str(complaint_id), secrets.token_hex(16))
    path = _root() / relative
    try:
        async with transaction(ctx.tenant_id):
            c = await get_in_tenant(Complaint, ctx.tenant_id, complaint_id)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
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
    return row, _root() / row.path
