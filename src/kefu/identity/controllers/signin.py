"""A tenant's sign-in page with its provider's button, the OIDC redirect and callback, and the
provider settings page for the tenant's administrators."""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.accounts.queries import session_generation
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.security import LOGOUT_URL_KEY, allow_form_target
from kefu.core.sessions import GENERATION_KEY, rotate_session
from kefu.core.tenancy import TenantContext, TenantRow
from kefu.core.web import flash, render
from kefu.identity import oidc, queries, services
from kefu.identity.labels import ADMISSIONS, FAILURES
from kefu.identity.schemas import read_provider_form
from kefu.settings import get_settings
from kefu.tenancy.context import AUTH_TENANT_KEY, provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.public import public_tenant

PENDING_KEY = "oidc_pending"
# Public pages under /t/{slug}/: nobody is signed in yet (tests/tenancy lists them).
PUBLIC = {"kefu_public_tenant_page": True}


def _absolute(request: Request, name: str, **params: Any) -> str:
    return get_settings().public_url + request.app.route_reverse(name, **params)


def _next(value: Any, slug: str) -> str:
    prefix = f"/t/{slug}/"
    return value if isinstance(value, str) and value.startswith(prefix) and "//" not in value else prefix


def _drop_pending(request: Request) -> dict[str, Any] | None:
    data = dict(request.session) if isinstance(request.scope.get("session"), dict) else {}
    pending = data.pop(PENDING_KEY, None)
    request.set_session(data)
    return pending if isinstance(pending, dict) else None


async def _failed(request: Request, tenant: TenantRow, failure: oidc.OidcFailure) -> Response:
    await services.record_failure(tenant.id, failure.reason, failure.detail)
    status = 502 if failure.reason == "provider_down" else 400
    context = {"tenant": tenant, "message": FAILURES(failure.reason), "reason": failure.reason}
    return render(request, "identity/failed.html", context, status_code=status)


class TenantSigninController(Controller):
    path = "/t/{slug:str}/signin"
    opt = PUBLIC

    @get("/", name="identity.signin")
    async def page(self, request: Request, slug: FromPath[str]) -> Response:
        tenant = await public_tenant(request, slug)
        button = await queries.signin_button(tenant.id)
        issuer = await queries.provider_issuer(tenant.id) if button else None
        if issuer:  # the button's answer redirects there: the page's CSP must let the form go
            allow_form_target(request.scope, issuer)
        target = _next(request.query_params.get("next"), slug)
        return render(request, "identity/signin.html", {"tenant": tenant, "button": button, "next": target})

    @post("/oidc", name="identity.start")
    async def start(self, request: Request, slug: FromPath[str]) -> Response:
        tenant = await public_tenant(request, slug)
        form = await Form.read(request)
        redirect_uri = _absolute(request, "identity.callback", slug=slug)
        try:
            pending = await services.begin_signin(tenant, redirect_uri)
        except oidc.OidcFailure as failure:
            return await _failed(request, tenant, failure)
        request.set_session({**(request.session or {}), PENDING_KEY: {
            "tenant": tenant.id, "state": pending.state, "nonce": pending.nonce,
            "verifier": pending.code_verifier, "next": _next(form.data.get("next"), slug),
        }})
        return Redirect(pending.url, status_code=303)

    @get("/oidc/callback", name="identity.callback")
    async def callback(self, request: Request, slug: FromPath[str]) -> Response:
        tenant = await public_tenant(request, slug)
        pending = _drop_pending(request)  # single use, whatever happens next
        query = request.query_params
        given = query.get("state") or ""
        if pending is None or pending.get("tenant") != tenant.id or not given or not secrets.compare_digest(
            str(pending.get("state", "")), given
        ):
            return await _failed(request, tenant, oidc.OidcFailure("state"))
        if query.get("error") or not query.get("code"):
            return await _failed(request, tenant, oidc.OidcFailure("provider_error", str(query.get("error") or "")))
        try:
            done = await services.finish_signin(
                tenant, code=query["code"], nonce=pending["nonce"], code_verifier=pending["verifier"],
                redirect_uri=_absolute(request, "identity.callback", slug=slug),
                after_logout=_absolute(request, "identity.signin", slug=slug),
            )
        except oidc.OidcFailure as failure:
            return await _failed(request, tenant, failure)
        rotate_session(request)
        session: dict[str, Any] = {"user_id": done.user_id, AUTH_TENANT_KEY: tenant.id,
                                   GENERATION_KEY: await session_generation(done.user_id)}
        if done.logout_url:
            session[LOGOUT_URL_KEY] = done.logout_url
        request.set_session(session)
        return Redirect(_next(pending.get("next"), slug))


class IdentitySettingsController(Controller):
    path = "/t/{slug:str}/settings/identity"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="identity.settings", guards=[requires("tenant.settings")])
    async def show(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        current = await queries.provider_settings(ctx.tenant_id)
        return render(request, "identity/settings.html", _settings_context(ctx, current or {}, {}, current))

    @post("/", name="identity.settings_save", guards=[requires("tenant.settings")])
    async def save(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        values = read_provider_form(form, list(ctx.pack.positions))
        if form.ok:
            try:
                await services.save_provider(ctx, values)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            current = await queries.provider_settings(ctx.tenant_id)
            data = {k: v for k, v in form.data.items() if k != "client_secret"}
            context = _settings_context(ctx, data, form.errors, current)
            return render(request, "identity/settings.html", context, status_code=422)
        flash(request, i18n.gettext("The identity provider settings were saved."), "success")
        return Redirect(request.app.route_reverse("identity.settings", slug=ctx.tenant.slug))


def _settings_context(ctx: TenantContext, data: dict[str, Any], errors: dict[str, str],
                      current: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "data": data, "errors": errors, "has_secret": bool(current and current["has_secret"]),
        "configured": current is not None, "admissions": ADMISSIONS,
        "password_signin": ctx.tenant.password_signin if not errors else data.get("password_signin") == "on",
        "redirect_uri": get_settings().public_url + f"/t/{ctx.tenant.slug}/signin/oidc/callback",
    }


