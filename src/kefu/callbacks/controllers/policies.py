"""New-policy callbacks (A art. 24(1)): the page (the watch's figures, the policies' tasks nearest
due first, an upload and a one-policy form) and the JSON API a policy-administration system
sends new policies to. A tenant whose pack has no products (a property centre) gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.openapi.spec import (
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIType,
    Operation,
    RequestBody,
    Schema,
)
from litestar.params import FromQuery
from litestar.response import Redirect

from kefu import i18n
from kefu.callbacks import policy_schemas
from kefu.callbacks.controllers.helpers import UPLOAD_BODY_LIMIT, upload_of, words
from kefu.callbacks.queries import policies as queries
from kefu.callbacks.services import policies as services
from kefu.core import clock
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.http_errors import API_ERRORS, error_response
from kefu.core.labels import Labels
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_api_context, provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import Job

VIEW = [requires("callbacks.view")]
MANAGE = [requires("callbacks.manage")]


def product_labels(ctx: TenantContext) -> Labels:
    pack = services.pack_with_products(ctx)
    return Labels({code: {"zh_CN": p.name, "en": p.name_en} for code, p in pack.products.items()})


class PolicyController(Controller):
    path = "/t/{slug:str}/callbacks/policies"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    async def _page(self, request: Request, ctx: TenantContext, page: str | None, status: str,
                    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
                    status_code: int = 200) -> Response:
        pack = services.pack_with_products(ctx)
        found = await queries.policy_tasks(ctx, page, status)
        context = words(ctx) | {
            "page": found, "status": status if status in queries.STATES else "open", "states": queries.STATES,
            "figures": await queries.watch_figures(ctx), "products": pack.products, "checks": pack.checks,
            "product_label": product_labels(ctx), "column_label": policy_schemas.COLUMN, "errors": errors or {},
            "values": values or {}, "remind_days": pack.remind_days_before, "escalate_days": pack.escalate_days_before,
        }
        return render(request, "callbacks/policies.html", context, status_code=status_code)

    @get("/", name="callbacks.policies", guards=VIEW)
    async def index(self, request: Request, ctx: NamedDependency[TenantContext], page: FromQuery[str | None] = None,
                    status: FromQuery[str] = "open") -> Response:
        return await self._page(request, ctx, page, status)

    @post("/", name="callbacks.policy_add", guards=MANAGE)
    async def add(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """One policy entered by hand."""
        pack = services.pack_with_products(ctx)
        form = await Form.read(request)
        values = {k: form.raw(k) for k in policy_schemas.FIELDS}
        try:
            policy = policy_schemas.form_policy(values, pack, clock.today_in(ctx.tenant.timezone))
            result = await services.add_policies(ctx, [policy], source="form")
        except FieldError as exc:
            return await self._page(request, ctx, None, "open", exc.translated_all(), form.data, 422)
        flash(request, i18n.gettext(services.IMPORTED, **services.summary(result)), "success")
        return Redirect(request.app.route_reverse("callbacks.policies", slug=ctx.tenant.slug), status_code=303)

    @post("/upload", name="callbacks.policies_upload", guards=MANAGE, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def upload(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """An XLSX/CSV of new policies: added now when small, else by a job (its page shows how far)."""
        services.pack_with_products(ctx)
        await Form.read(request)
        try:
            file = await upload_of(request, "file")
            if file is None:
                raise FieldError("file", "Choose a file to upload.")
            result = await services.upload_policies(ctx, file)
        except FieldError as exc:
            return await self._page(request, ctx, None, "open", exc.translated_all(), None, 422)
        if isinstance(result, Job):
            return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=result.id),
                            status_code=303)
        flash(request, i18n.gettext(services.IMPORTED, **services.summary(result)), "success")
        return Redirect(request.app.route_reverse("callbacks.policies", slug=ctx.tenant.slug), status_code=303)


_TEXT = Schema(type=OpenAPIType.STRING)
POLICIES_BODY = RequestBody(required=True, content={"application/json": OpenAPIMediaType(schema=Schema(
    type=OpenAPIType.OBJECT, required=["policies"], additional_properties=False, properties={
        "policies": Schema(type=OpenAPIType.ARRAY, max_items=policy_schemas.MAX_API, items=Schema(
            type=OpenAPIType.OBJECT, additional_properties=False,
            required=list(policy_schemas.FIELDS),
            properties={"policy_no": _TEXT, "product": _TEXT, "holder_name": _TEXT, "holder_phone": _TEXT,
                        "received_on": Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.DATE)}))}))})


@dataclass
class PoliciesOperation(Operation):
    def __post_init__(self) -> None:
        self.request_body = POLICIES_BODY


class PoliciesApiController(Controller):
    path = "/api/t/{slug:str}/callbacks/policies"
    dependencies = {"ctx": Provide(provide_api_context)}

    @post("/", name="api.callbacks.policies", guards=MANAGE, status_code=201, responses=API_ERRORS,
          operation_class=PoliciesOperation)
    async def add(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """New policies to call back inside their cooling-off period: each policy number makes one
        task (sending it again returns the same task). 201 with how many were made, how many
        existed, and each policy's task id."""
        pack = services.pack_with_products(ctx)
        try:
            data = msgspec.json.decode(await request.body(), type=policy_schemas.PoliciesIn)
        except msgspec.DecodeError as exc:
            return error_response(request, 400, "", {"body": str(exc)})
        try:
            policies = policy_schemas.api_policies(data, pack, clock.today_in(ctx.tenant.timezone))
            result = await services.add_policies(ctx, policies, source="api", want_ids=True)
        except FieldError as exc:
            return error_response(request, 422, "", exc.translated_all())
        return Response({"created": result.created, "existing": result.existing, "tasks": result.tasks},
                        status_code=201)

