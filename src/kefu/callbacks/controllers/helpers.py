"""What the callbacks pages share: the pack's words and the tenant's today."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from kefu.callbacks import labels
from kefu.callbacks.policy.pack import CallbackPack, callbacks_for
from kefu.core import clock, forms
from kefu.core.errors import FieldError
from kefu.core.files import Upload
from kefu.core.forms import read_raw
from kefu.core.tenancy import TenantContext

UPLOAD_BODY_LIMIT = 21 * 1024 * 1024


def pack(ctx: TenantContext) -> CallbackPack:
    return callbacks_for(ctx.tenant.kind)


def words(ctx: TenantContext) -> dict[str, Any]:
    return labels.helpers(ctx.pack, pack(ctx)) | {"today": clock.today_in(ctx.tenant.timezone)}


async def upload_of(request: Request, field: str = "file") -> Upload | None:
    raw = await read_raw(request)
    file = raw.get(field)
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    if forms.has_control(file.filename):
        raise FieldError(field, "Enter a valid value.")
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    return Upload(file.filename, content_type, await file.read())
