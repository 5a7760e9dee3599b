"""Sign-in, sign-out, language, and the tenant switcher."""

from __future__ import annotations

from urllib.parse import urlsplit

from litestar import Request, Response, get, post
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts import profile, services
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.public import client_address
from kefu.core.requests import LANG_COOKIE, scope_extras
from kefu.core.security import LOGOUT_URL_KEY
from kefu.core.sessions import GENERATION_KEY, rotate_session
from kefu.core.web import flash, render
from kefu.settings import get_settings

BAD_SIGNIN = i18n.lazy("Wrong email or password.")
THROTTLED = i18n.lazy("Too many failed sign-ins. Wait a few minutes and try again.")


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never an open redirect to another host.
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return target if not parts.netloc and not parts.scheme else "/"


@get("/signin", name="accounts.signin")
async def signin_page(request: Request) -> Response:
    if scope_extras(request.scope).get("kefu_user"):
        return Redirect(_safe_next(request.query_params.get("next")))
    return render(request, "accounts/signin.html", {"next": _safe_next(request.query_params.get("next")), "errors": {}, "email": ""})


@post("/signin", name="accounts.signin_submit")
async def signin_submit(request: Request) -> Response:
    form = await Form.read(request)
    email = form.data.get("email", "").strip()[:254]
    password = form.data.get("password", "")
    target = _safe_next(form.data.get("next"))
    client = client_address(request)
    try:
        user = await services.authenticate(email, password, client)
    except services.SigninThrottled:
        return render(request, "accounts/signin.html", {"next": target, "email": email, "errors": {"form": i18n.gettext(THROTTLED)}}, status_code=429)
    if user is None:
        return render(request, "accounts/signin.html", {"next": target, "email": email, "errors": {"form": i18n.gettext(BAD_SIGNIN)}}, status_code=400)
    rotate_session(request)
    request.set_session({"user_id": user.id, GENERATION_KEY: user.session_generation})
    response = Redirect(target)
    response.set_cookie(LANG_COOKIE, user.locale, max_age=365 * 86400, samesite="lax",
                        httponly=True, secure=get_settings().secure_cookies)
    return response


@post("/signout", name="accounts.signout")
async def signout(request: Request) -> Response:
    """Ends the kefu session and, for a sign-in through a provider that offers it, the
    provider's session too (RP-initiated logout; the URL was made at sign-in)."""
    logout = request.session.get(LOGOUT_URL_KEY) if isinstance(request.scope.get("session"), dict) else None
    request.clear_session()
    if isinstance(logout, str) and logout.startswith(("https://", "http://")):
        return Redirect(logout, status_code=303)
    return Redirect("/signin")


@post("/account/locale", name="accounts.locale")
async def set_locale(request: Request) -> Response:
    form = await Form.read(request)
    locale = form.data.get("locale", "")
    user = scope_extras(request.scope).get("kefu_user")
    try:
        if user is not None:
            await services.set_locale(user.id, locale)
        elif locale not in i18n.LOCALES:
            raise FieldError("locale", "Choose a language from the list.")
    except FieldError as exc:
        i18n.set_locale(user.locale if user else i18n.current_locale())
        raise exc
    i18n.set_locale(locale)
    response = Redirect(_safe_next(form.data.get("next")) )
    response.set_cookie(LANG_COOKIE, locale, max_age=365 * 86400, samesite="lax",
                        httponly=True, secure=get_settings().secure_cookies)
    return response


@get("/", name="home")
async def home(request: Request) -> Response:
    user = scope_extras(request.scope).get("kefu_user")
    if user is None:
        return Redirect("/signin")
    memberships = scope_extras(request.scope).get("kefu_memberships", [])
    if len(memberships) == 1:
        return Redirect(request.app.route_reverse("tenant.home", slug=memberships[0].slug))
    return render(request, "accounts/tenants.html", {})


@get("/account/tenants", name="accounts.tenants")
async def tenant_switcher(request: Request) -> Response:
    if scope_extras(request.scope).get("kefu_user") is None:
        raise NotAuthorizedException()
    return render(request, "accounts/tenants.html", {})


@post("/account/switch", name="accounts.switch")
async def switch_tenant(request: Request) -> Response:
    """The header's switcher posts a slug; only the user's own tenants are offered or accepted."""
    if scope_extras(request.scope).get("kefu_user") is None:
        raise NotAuthorizedException()
    form = await Form.read(request)
    slug = form.data.get("slug", "")
    slugs = {m.slug for m in scope_extras(request.scope).get("kefu_memberships", [])}
    if slug not in slugs:
        flash(request, i18n.gettext("Choose a tenant from the list."), "error")
        return Redirect("/account/tenants")
    return Redirect(request.app.route_reverse("tenant.home", slug=slug))


routes = [signin_page, signin_submit, signout, set_locale, home, tenant_switcher, switch_tenant, *profile.routes]
