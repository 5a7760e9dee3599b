"""Jobs for the isolation sweep (ID_FACTORIES: {path parameter: async (tenant, marker=…) -> id}).

A job's page and file are its member's own: the job is made by the tenant's first admin (the
sweep's owner of the data, alice, or the twin's dave), done, with a file named by the marker."""

from __future__ import annotations

from kefu.db import transaction
from kefu.tenancy.tables import Membership
from kefu.workers.tables import Job


async def job(tenant, marker: str = "job", *, state: str = "done") -> int:
    members = await Membership.objects().where(
        Membership.tenant == tenant.id, Membership.is_active.eq(True)).order_by(Membership.id)
    admin = next(m.user for m in members if "admin" in m.positions_list())
    row = Job(tenant=tenant.id, name="check_customer_import", title="Checking the customer file", state=state,
              created_by=admin, output=b"PK-" + marker.encode(), output_name=f"{marker}.xlsx",
              output_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    async with transaction(tenant.id):
        await row.save()
    return row.id


async def _job_id(tenant, marker: str = "job") -> int:
    return await job(tenant, marker)


ID_FACTORIES = {"job_id": _job_id}
