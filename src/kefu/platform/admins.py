"""The platform administrators page (/admin/admins): who they are; a platform administrator
grants the role to an existing account by email, or takes it away (never from themselves).
Each change is logged: users are platform-level, outside any tenant's audit trail."""

from __future__ import annotations

import logging

from litestar import Controller, Request, Response, get, post
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts import queries as accounts
from kefu.accounts import services as account_services
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.requests import scope_extras
from kefu.core.superuser import require_superuser
from kefu.core.web import flash, render

log = logging.getLogger("kefu.platform")


class PlatformAdminsController(Controller):
    path = "/admin/admins"

    @get("/", name="admin.admins")
    async def page(self, request: Request) -> Response:
        require_superuser(request)
        return render(request, "platform/admins.html", {"admins": await accounts.platform_admins(), "errors": {}, "data": {}})

    @post("/", name="admin.admins_change")
    async def change(self, request: Request) -> Response:
        require_superuser(request)
        actor = scope_extras(request.scope)["kefu_user"]
        form = await Form.read(request)
        email = form.text("email", max_length=account_services.MAX_EMAIL)
        action = form.choice("action", ["grant", "revoke"])
        if form.ok:
            try:
                user = await account_services.set_platform_admin(email=email, grant=action == "grant", actor_id=actor.id)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            context = {"admins": await accounts.platform_admins(), "errors": form.errors, "data": form.data}
            return render(request, "platform/admins.html", context, status_code=422)
        log.info("platform admin role %s for user %s by user %s", "granted" if action == "grant" else "revoked",
                 user.id, actor.id)
        flash(request, i18n.gettext("Platform administrators updated."), "success")
        return Redirect(request.app.route_reverse("admin.admins"))


routes = [PlatformAdminsController]
