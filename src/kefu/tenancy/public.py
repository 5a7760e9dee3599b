"""The tenant of a public page (/p/{slug}/…, no sign-in)."""

from __future__ import annotations

from litestar import Request
from litestar.exceptions import NotFoundException

from kefu import i18n
from kefu.core.public import SCOPE_KEY
from kefu.core.requests import LANG_COOKIE, scope_extras
from kefu.tenancy.services import SLUG_RE
from kefu.tenancy.tables import Tenant


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
