"""Campaigns (art. 23(2)): the list with progress, the new-campaign form (kind, window, target,
script and questions, focus, manager, method order, attempt limit), one campaign."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks import queries, schemas, services
from kefu.callbacks.controllers.helpers import UPLOAD_BODY_LIMIT, pack, upload_of, words
from kefu.callbacks.services.lists import read_list
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.customers.queries import audience
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.queries import active_members

MANAGE = [requires("callbacks.manage")]
SEE = [requires("tenant.view")]


class CampaignController(Controller):
    path = "/t/{slug:str}/callbacks/campaigns"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="callbacks.campaigns", guards=SEE)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext],
                    page: FromQuery[str | None] = None) -> Response:
        found = await queries.campaigns(ctx, page)
        return render(request, "callbacks/campaigns.html", words(ctx) | {"page": found}, fragment="rows")

    async def _form(self, request: Request, ctx: TenantContext, errors: dict[str, str] | None = None,
                    values: dict[str, Any] | None = None, status_code: int = 200) -> Response:
        choices = await audience.audience_choices(ctx.tenant_id)
        context = words(ctx) | {"errors": errors or {}, "values": values or {}, "members": await active_members(ctx.tenant_id),
                                "segments": choices["segments"], "pack": pack(ctx), "targets": schemas.TARGETS}
        return render(request, "callbacks/campaign_new.html", context, status_code=status_code)

    @get("/new", name="callbacks.campaign_new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        ctx.require("callbacks.manage")
        return await self._form(request, ctx)

    @post("/", name="callbacks.campaign_create", guards=MANAGE, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            data = schemas.campaign_input(form, pack(ctx))
            listed = None
            if data.target == "list":
                upload = await upload_of(request, "list")
                if upload is None:
                    raise FieldError("list", "Upload the list of customers to call back.")
                listed = await read_list(ctx.tenant_id, upload)
            row = await services.create_campaign(ctx, data, listed)
        except FieldError as exc:
            return await self._form(request, ctx, exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext("The campaign is saved."), "success")
        return Redirect(request.app.route_reverse("callbacks.campaign", slug=ctx.tenant.slug, campaign_id=row.id),
                        status_code=303)

    @get("/{campaign_id:int}", name="callbacks.campaign", guards=SEE)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], campaign_id: FromPath[int]) -> Response:
        found = await queries.campaign(ctx, campaign_id)
        return render(request, "callbacks/campaign.html", words(ctx) | {"c": found})
