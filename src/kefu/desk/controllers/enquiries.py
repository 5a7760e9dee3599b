"""Enquiries: the log with its quick form and the recurring topics, one enquiry with its
assignment and answer."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath

from kefu import i18n
from kefu.core.tenancy import TenantContext
from kefu.desk import policy, queries, services
from kefu.desk.controllers.common import VIEW, WORK, act, choice_filter, page, unit_param
from kefu.desk.labels import helpers
from kefu.tenancy.context import provide_tenant_context


def _url(request: Request, ctx: TenantContext, enquiry_id: int | None = None) -> str:
    if enquiry_id is None:
        return request.app.route_reverse("desk.enquiries", slug=ctx.tenant.slug)
    return request.app.route_reverse("desk.enquiry", slug=ctx.tenant.slug, enquiry_id=enquiry_id)


async def _list(request: Request, ctx: TenantContext, data: dict, errors: dict, status: int = 200) -> Response:
    state = choice_filter(request, "state", policy.ENQUIRY_STATES)
    topic = choice_filter(request, "topic", helpers(ctx.tenant.kind)["topics"])
    listing = await queries.enquiry_list(ctx, state, topic, request.query_params.get("page"))
    return page(request, ctx, "desk/enquiries.html", {
        "page": listing, "state": state, "topic": topic, "data": data, "errors": errors,
        "counts": await queries.topic_counts(ctx), "workers": (await queries.desk_workers(ctx))}, status)


async def _detail(request: Request, ctx: TenantContext, enquiry_id: int, form: str = "",
                  data: dict | None = None, errors: dict | None = None) -> Response:
    context = await queries.enquiry_page(ctx, enquiry_id)
    return page(request, ctx, "desk/enquiry.html", context | {
        "form": form, "data": data or {}, "errors": errors or {}}, 422 if errors else 200)


class EnquiryController(Controller):
    path = "/t/{slug:str}/desk/enquiries"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="desk.enquiries", guards=VIEW)
    async def enquiries(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        return await _list(request, ctx, {"unit": await queries.unit_address_of(ctx, unit_param(request))}, {})

    @post("/", name="desk.enquiries.create", guards=WORK)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        async def again(data: dict, errors: dict) -> Response:
            return await _list(request, ctx, data, errors, 422)

        return await act(request, ctx, lambda form: services.log_enquiry(ctx, form), again,
                         i18n.gettext("The enquiry is logged."), _url(request, ctx))

    @get("/{enquiry_id:int}", name="desk.enquiry", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], enquiry_id: FromPath[int]) -> Response:
        return await _detail(request, ctx, enquiry_id)

    async def _step(self, request: Request, ctx: TenantContext, enquiry_id: int, step: str, done: str) -> Response:
        await queries.enquiry_page(ctx, enquiry_id)
        change = {"assign": services.assign_enquiry, "answer": services.answer_enquiry}[step]

        async def again(data: dict, errors: dict) -> Response:
            return await _detail(request, ctx, enquiry_id, step, data, errors)

        return await act(request, ctx, lambda form: change(ctx, enquiry_id, form), again, done,
                         _url(request, ctx, enquiry_id))

    @post("/{enquiry_id:int}/assign", name="desk.enquiry.assign", guards=WORK)
    async def assign(self, request: Request, ctx: NamedDependency[TenantContext], enquiry_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, enquiry_id, "assign", i18n.gettext("The enquiry is assigned."))

    @post("/{enquiry_id:int}/answer", name="desk.enquiry.answer", guards=WORK)
    async def answer(self, request: Request, ctx: NamedDependency[TenantContext], enquiry_id: FromPath[int]) -> Response:
        return await self._step(request, ctx, enquiry_id, "answer", i18n.gettext("The answer is recorded."))
