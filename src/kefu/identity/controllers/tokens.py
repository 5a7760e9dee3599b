"""The API tokens page: create (the secret shown once), name, last use, revoke."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.identity import services
from kefu.tenancy import queries as tenancy
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires

TOKENS = [requires("api.tokens")]


async def _page(request: Request, ctx: TenantContext, *, errors: dict[str, str] | None = None,
                data: dict[str, str] | None = None, secret: str = "", status: int = 200) -> Response:
    context: dict[str, Any] = {"tokens": await tenancy.api_tokens(ctx.tenant_id), "errors": errors or {},
                               "data": data or {}, "secret": secret}
    return render(request, "identity/tokens.html", context, status_code=status)


class TokensController(Controller):
    path = "/t/{slug:str}/settings/tokens"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="tokens.list", guards=TOKENS)
    async def tokens(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _page(request, ctx)

    @post("/", name="tokens.create", guards=TOKENS)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        label = form.text("label", max_length=100)
        if form.ok:
            try:
                secret = await services.create_token(ctx, label)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return await _page(request, ctx, errors=form.errors, data=form.data, status=422)
        return await _page(request, ctx, secret=secret)  # shown once: rendered, not redirected

    @post("/{token_id:int}/revoke", name="tokens.revoke", guards=TOKENS)
    async def revoke(self, request: Request, ctx: NamedDependency[TenantContext], token_id: FromPath[int]) -> Response:
        await services.revoke_token(ctx, token_id)
        flash(request, i18n.gettext("The token was revoked."), "success")
        return Redirect(request.app.route_reverse("tokens.list", slug=ctx.tenant.slug))
