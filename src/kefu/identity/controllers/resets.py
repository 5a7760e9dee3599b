"""Forgotten passwords (no sign-in): /password/forgot asks for a link by email, and
/password/reset/{token} sets the new password. The first page answers the same for every
well-formed email; an unknown, used or expired link is a 404."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts.services import MAX_EMAIL, validate_email
from kefu.core.errors import FieldError
from kefu.core.forms import INVALID, Form
from kefu.core.public import client_address
from kefu.core.sessions import rotate_session
from kefu.core.web import flash, render
from kefu.identity import services

SENT = i18n.lazy("If an account uses this email, a link to set a new password is on its way. It works once, for an hour.")
THROTTLED = i18n.lazy("Too many requests. Wait a while and try again.")


class ForgotController(Controller):
    path = "/password/forgot"

    @get("/", name="resets.forgot")
    async def page(self, request: Request) -> Response:
        return render(request, "identity/forgot.html", {"errors": {}, "data": {}, "sent": False})

    @post("/", name="resets.forgot_submit")
    async def submit(self, request: Request) -> Response:
        form = await Form.read(request)
        email = form.text("email", max_length=MAX_EMAIL)
        if form.ok:
            try:
                email = validate_email(email)
            except FieldError as exc:
                form.error("email", exc.translated())
        if not form.ok:
            return render(request, "identity/forgot.html", {"errors": form.errors, "data": form.data, "sent": False},
                          status_code=422)
        try:
            await services.request_reset(email, client_address(request))
        except services.ResetThrottled:
            return render(request, "identity/forgot.html",
                          {"errors": {"form": i18n.gettext(THROTTLED)}, "data": form.data, "sent": False}, status_code=429)
        return render(request, "identity/forgot.html", {"errors": {}, "data": {}, "sent": True})


class ResetController(Controller):
    path = "/password/reset/{token:str}"

    @get("/", name="resets.reset")
    async def page(self, request: Request, token: FromPath[str]) -> Response:
        if await services.open_reset(token) is None:  # unknown, used and expired links look alike
            raise NotFoundException()
        return render(request, "identity/reset.html", {"errors": {}})

    @post("/", name="resets.reset_submit")
    async def submit(self, request: Request, token: FromPath[str]) -> Response:
        if await services.open_reset(token) is None:
            raise NotFoundException()
        form = await Form.read(request)
        password = form.raw("password")[:500]
        if "password" in form.invalid:  # a control character no keyboard types
            form.error("password", i18n.gettext(INVALID))
        elif password != form.raw("password2"):
            form.error("password2", i18n.gettext("The two passwords differ."))
        if form.ok:
            try:
                if await services.complete_reset(token, password) is None:
                    raise NotFoundException()  # used at the same moment by another request
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return render(request, "identity/reset.html", {"errors": form.errors}, status_code=422)
        rotate_session(request)
        request.set_session({})  # signed out here too (and every other session, by generation)
        flash(request, i18n.gettext("Your password was changed. Sign in with the new one."), "success")
        return Redirect(request.app.route_reverse("accounts.signin"))
