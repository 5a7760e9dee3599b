"""Objects for the tenant-isolation sweep (tests/isolation/test_sweep.py): one complaint, or one
attachment of a complaint, in a given tenant, carrying a unique marker where the staff pages
show it (the complainant's name and the subject; the file's name and content).

    make_complaint(tenant) -> (complaint_id, marker)
    make_attachment(tenant) -> (attachment_id, marker)

ID_FACTORIES has the sweep's shape ({path parameter: async (tenant, marker=…) -> id}) for the
route parameters `complaint_id` and `attachment_id`.
"""

from __future__ import annotations

from kefu.complaints import services
from tests import factories
from tests.complaints.ui.support import context

_STAFF: dict[int, object] = {}  # tenant id -> a member allowed to upload (made once per tenant)


def _data(marker: str) -> dict:
    # "other" is a category of every pack's complaint policy.
    return {
        "complainant": {"name": marker, "phone": "13800138000", "relation": "consumer"},
        "subject": f"投诉 {marker}", "description": f"经过 {marker}", "category": "other",
    }


async def make_complaint(tenant, marker: str | None = None) -> tuple[int, str]:
    """A complaint filed on the tenant's public form (no staff member needed)."""
    marker = marker or factories.unique("complaint")
    complaint = await services.register_public_complaint(tenant, _data(marker))
    return complaint.id, marker


async def make_attachment(tenant, marker: str | None = None) -> tuple[int, str]:
    marker = marker or factories.unique("attachment")
    complaint_id, _ = await make_complaint(tenant, marker)
    if tenant.id not in _STAFF:
        _STAFF[tenant.id] = await factories.member(tenant, ["admin"], name="Sweep 上传员")
    ctx = await context(tenant, _STAFF[tenant.id])
    row = await services.add_attachment(
        ctx, complaint_id, filename=f"{marker}.txt", content_type="text/plain",
        data=f"材料 {marker}".encode(),
    )
    return row.id, marker


async def _complaint_id(tenant, marker: str) -> int:
    return (await make_complaint(tenant, marker))[0]


async def _attachment_id(tenant, marker: str) -> int:
    return (await make_attachment(tenant, marker))[0]


ID_FACTORIES = {"complaint_id": _complaint_id, "attachment_id": _attachment_id}
