"""Accepting an invitation: /invite/{token} (no sign-in). A new person sets a name and a
password; a person with an account confirms with its password; a tenant that signs its staff
in through its provider sends them there instead."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts.queries import session_generation, user_by_email
from kefu.accounts.services import MAX_NAME
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.requests import LANG_COOKIE
from kefu.core.sessions import GENERATION_KEY, rotate_session
from kefu.core.tenancy import TenantRow
from kefu.core.web import render
from kefu.identity import queries, services

WRONG_PASSWORD = i18n.lazy("Wrong password.")


async def _open(request: Request, token: str) -> tuple[Any, TenantRow]:
    found = await services.open_invitation(token[:200])
    if found is None:  # unknown, used, revoked and expired links look alike
        raise NotFoundException()
    if request.scope.get("kefu_user") is None and LANG_COOKIE not in request.cookies:
        i18n.set_locale(found[1].locale)  # a newcomer reads the tenant's language
    return found


async def _page(request: Request, row: Any, tenant: TenantRow, errors: dict[str, str],
                data: dict[str, str], status: int = 200) -> Response:
    context: dict[str, Any] = {
        "invitation": row, "tenant": tenant, "errors": errors, "data": data,
        "has_account": await user_by_email(row.email) is not None,
        "button": await queries.signin_button(tenant.id),
    }
    return render(request, "identity/accept.html", context, status_code=status)


class AcceptController(Controller):
    path = "/invite/{token:str}"

    @get("/", name="invitations.accept_page")
    async def page(self, request: Request, token: FromPath[str]) -> Response:
        row, tenant = await _open(request, token)
        return await _page(request, row, tenant, {}, {})

    @post("/", name="invitations.accept")
    async def accept(self, request: Request, token: FromPath[str]) -> Response:
        row, tenant = await _open(request, token)
        if not tenant.password_signin:
            raise NotFoundException()  # this tenant's staff join through its provider
        form = await Form.read(request)
        has_account = await user_by_email(row.email) is not None
        name = "" if has_account else form.text("name", max_length=MAX_NAME)
        password = form.raw("password")[:500]
        if not has_account and password != form.raw("password2"):
            form.error("password2", i18n.gettext("The two passwords differ."))
        if form.ok:
            try:
                user_id, _ = await services.accept(token, name=name, password=password,
                                                   client=request.client.host if request.client else "unknown")
            except services.AcceptRefused:
                form.error("password", i18n.gettext(WRONG_PASSWORD))
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            data = {k: v for k, v in form.data.items() if not k.startswith("password")}
            return await _page(request, row, tenant, form.errors, data, status=422)
        rotate_session(request)
        request.set_session({"user_id": user_id, GENERATION_KEY: await session_generation(user_id)})
        return Redirect(request.app.route_reverse("tenant.home", slug=tenant.slug))
