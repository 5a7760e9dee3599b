"""The signed-in user's own profile: name, language and password."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts import services
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.requests import LANG_COOKIE, scope_extras
from kefu.core.web import flash, render


def _user(request: Request) -> Any:
    user = scope_extras(request.scope).get("kefu_user")
    if user is None:
        raise NotAuthorizedException()
    return user


@get("/account/profile", name="accounts.profile")
async def profile(request: Request) -> Response:
    user = _user(request)
    return render(request, "accounts/profile.html", {"errors": {}, "data": {"name": user.name, "locale": user.locale}})


@post("/account/profile", name="accounts.profile_save")
async def save_profile(request: Request) -> Response:
    user = _user(request)
    form = await Form.read(request)
    name = form.text("name", max_length=services.MAX_NAME)
    locale = form.choice("locale", list(i18n.LOCALES))
    if form.ok:
        try:
            await services.update_profile(user.id, name=name, locale=locale)
        except FieldError as exc:
            form.error(exc.field, exc.translated())
    if not form.ok:
        return render(request, "accounts/profile.html", {"errors": form.errors, "data": form.data}, status_code=422)
    i18n.set_locale(locale)
    flash(request, i18n.gettext("Your profile was saved."), "success")
    response = Redirect("/account/profile")
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax")
    return response


@post("/account/password", name="accounts.password")
async def change_password(request: Request) -> Response:
    user = _user(request)
    form = await Form.read(request)
    new = form.raw("password")
    if new != form.raw("password2"):
        form.error("password2", i18n.gettext("The two passwords differ."))
    if form.ok:
        try:
            await services.change_password(user.id, current=form.raw("current"), new=new)
        except FieldError as exc:
            form.error(exc.field, exc.translated())
    if not form.ok:
        context = {"errors": form.errors, "data": {"name": user.name, "locale": user.locale}}
        return render(request, "accounts/profile.html", context, status_code=422)
    flash(request, i18n.gettext("Your password was changed."), "success")
    return Redirect("/account/profile")


routes = [profile, save_profile, change_password]
