"""What the tenant-isolation sweep (tests/isolation/test_sweep.py) needs from the public
complaint pages and the complaints API.

- PUBLIC_ROUTES: the public pages, for the sweep's PUBLIC list. They take the tenant from the
  slug in /p/{slug}/… and show only what that tenant publishes (its name, contact details,
  categories) or what the secret link opens.
- public_params(tenant): values for those routes' path parameters, `slug` and `token` (a
  status token of `tenant`), for PUBLIC_PARAMS; status_token makes such a token.
- ID_FACTORIES: `complaint_id` for /api/t/{slug}/complaints/{complaint_id:int} (and any staff
  route with the same parameter), in the shape of a tests/<module>/factories.py entry: an async
  (tenant, marker=…) -> id that stores the marker where the complaint's pages show it.
"""

from __future__ import annotations

from typing import Any

PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("/p/{slug:str}/contact", "GET"),
    ("/p/{slug:str}/complain", "GET"),
    ("/p/{slug:str}/complain", "POST"),
    ("/p/{slug:str}/status/{token:str}", "GET"),
}


def _complaint(marker: str, category: str) -> dict[str, Any]:
    return {
        "channel": "hotline",
        "complainant": {"name": f"投诉人 {marker}", "phone": "13800138000",
                        "email": "sweep@example.test", "relation": "consumer"},
        "customer_ref": marker[:64],
        "subject": f"隔离测试 {marker}",
        "description": f"描述 {marker}",
        "category": category,
        "materials_complete": True,
    }


def _category(tenant: Any) -> str:
    from kefu.complaints.policy import policy_for

    return policy_for(tenant.kind, tenant.settings).categories[0].code


async def status_token(tenant: Any, marker: str = "sweep-public") -> str:
    """A complaint filed on `tenant`'s public form; its secret status token."""
    from kefu.complaints import services

    complaint = await services.register_public_complaint(tenant, _complaint(marker, _category(tenant)))
    return complaint.public_token


async def public_params(tenant: Any) -> dict[str, str]:
    return {"slug": tenant.slug, "token": await status_token(tenant)}


async def complaint_id(tenant: Any, marker: str = "sweep-complaint") -> int:
    """A complaint of `tenant` (filed as on the public form: no acting member needed)."""
    from kefu.complaints import services

    complaint = await services.register_public_complaint(tenant, _complaint(marker, _category(tenant)))
    return complaint.id


ID_FACTORIES = {"complaint_id": complaint_id}
