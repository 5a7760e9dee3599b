"""The tenant of a public page (/p/{slug}/…, no sign-in)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request
from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.public import SCOPE_KEY
from kefu.core.requests import LANG_COOKIE, scope_extras
from kefu.tenancy.services import SLUG_RE
from kefu.tenancy.tables import Tenant


@dataclass(frozen=True)
class TenantRef:
    id: int


# Slug -> tenant id, for the public pages' hot writes (the survey answer): a tenant's id never
# changes and slugs are not renamed, so the id is kept; whether the tenant is still active is
# checked by the write's own statement (surveys.queries.answering), in the same round trip.
_IDS: dict[str, int] = {}
_MAX_IDS = 10_000


async def public_tenant_ref(request: Request, slug: str) -> TenantRef:
    """The tenant of the slug by id, without a query once the slug was seen (a 404 as
    public_tenant for an unknown slug). The caller's statement must check the tenant is active."""
    found = _IDS.get(slug)
    if found is None:
        found = (await public_tenant(request, slug)).id
        if len(_IDS) >= _MAX_IDS:
            _IDS.clear()
        _IDS[slug] = found
    return TenantRef(found)


def forget_tenant_ref(slug: str) -> None:
    """After a write found nothing for the kept id (a tenant deleted and its slug reused)."""
    _IDS.pop(slug, None)


async def public_tenant(request: Request, slug: str) -> Tenant:
    """The active tenant of the slug, or a 404 (an unknown and an inactive slug look alike)."""
    tenant = None
    if SLUG_RE.match(slug):  # anything else cannot be a slug (and NUL cannot reach the database)
        tenant = await Tenant.objects().where(Tenant.slug == slug, Tenant.is_active.eq(True)).first()
    if tenant is None:
        raise NotFoundException()
    # A visitor who has not chosen a language reads the tenant's (Chinese by default).
    if request.scope.get("kefu_user") is None and LANG_COOKIE not in request.cookies:
        i18n.set_locale(tenant.locale)
    scope_extras(request.scope)[SCOPE_KEY] = tenant
    return tenant
