"""Staff pages of bulletins: the list, a new notice or event (a draft), its edit form (a draft's,
or a published bulletin's correction), its page with the sign-ups and their Excel export,
publishing (with notices to the residents of its buildings if asked) and withdrawing."""

from __future__ import annotations

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.bulletins import queries, services
from kefu.bulletins.labels import helpers
from kefu.core import clock, excel
from kefu.core.errors import FieldErrors, Refused
from kefu.core.forms import Form, parse_int
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.units import queries as units

VIEW = [requires("bulletins.view")]
MANAGE = [requires("bulletins.manage")]


def _detail_url(request: Request, ctx: TenantContext, bulletin_id: int) -> str:
    return request.app.route_reverse("bulletins.detail", slug=ctx.tenant.slug, bulletin_id=bulletin_id)


async def _form(request: Request, ctx: TenantContext, data: dict, errors: dict, bulletin_id: int | None = None,
                status: int = 200) -> Response:
    published = bulletin_id is not None and (await queries.bulletin_page(ctx, bulletin_id))["b"].state == "published"
    context = helpers(ctx.tenant.kind) | {"data": data, "errors": errors, "bulletin_id": bulletin_id,
                                          "buildings": await units.buildings(ctx), "published": published}
    return render(request, "bulletins/form.html", context, status_code=status)


def _posted(form: Form) -> dict:
    return form.data | {"buildings": [n for b in form.lists.get("buildings", []) if (n := parse_int(b)) is not None]}


class BulletinController(Controller):
    path = "/t/{slug:str}/bulletins"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="bulletins.list", guards=VIEW)
    async def list_bulletins(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        state = request.query_params.get("state") or ""
        page = await queries.list_bulletins(ctx, state, request.query_params.get("page"))
        return render(request, "bulletins/list.html", helpers(ctx.tenant.kind) | {"page": page, "state": state})

    @get("/new", name="bulletins.new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        today = clock.today_in(ctx.tenant.timezone)
        return await _form(request, ctx, {"kind": request.query_params.get("kind") or "notice",
                                          "shown_from": today.isoformat()}, {})

    @post("/", name="bulletins.create", guards=MANAGE)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        try:
            b = await services.create_bulletin(ctx, form)
        except FieldErrors as exc:
            return await _form(request, ctx, _posted(form), exc.translated_all(), status=422)
        flash(request, i18n.gettext("The draft is saved."), "success")
        return Redirect(_detail_url(request, ctx, b.id), status_code=303)

    @get("/{bulletin_id:int}", name="bulletins.detail", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext],
                     bulletin_id: FromPath[int]) -> Response:
        found = await queries.bulletin_page(ctx, bulletin_id)
        return render(request, "bulletins/detail.html", helpers(ctx.tenant.kind) | found)

    @get("/{bulletin_id:int}/signups.xlsx", name="bulletins.signups_export", guards=VIEW)
    async def signups_export(self, request: Request, ctx: NamedDependency[TenantContext],
                             bulletin_id: FromPath[int]) -> Response:
        response = excel.download(await queries.signups_workbook(ctx, bulletin_id),
                                  f"signups-{ctx.tenant.slug}-{bulletin_id}.xlsx")
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @get("/{bulletin_id:int}/edit", name="bulletins.edit", guards=MANAGE)
    async def edit(self, request: Request, ctx: NamedDependency[TenantContext], bulletin_id: FromPath[int]) -> Response:
        found = await queries.bulletin_page(ctx, bulletin_id)
        return await _form(request, ctx, queries.form_values(found["b"], ctx.tenant.timezone), {}, bulletin_id)

    @post("/{bulletin_id:int}/edit", name="bulletins.update", guards=MANAGE)
    async def update(self, request: Request, ctx: NamedDependency[TenantContext],
                     bulletin_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        try:
            await services.update_bulletin(ctx, bulletin_id, form)
        except FieldErrors as exc:
            return await _form(request, ctx, _posted(form), exc.translated_all(), bulletin_id, status=422)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        return Redirect(_detail_url(request, ctx, bulletin_id), status_code=303)

    @post("/{bulletin_id:int}/publish", name="bulletins.publish", guards=MANAGE)
    async def publish(self, request: Request, ctx: NamedDependency[TenantContext],
                      bulletin_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        path = request.app.route_reverse("public.bulletin", slug=ctx.tenant.slug, bulletin_id=bulletin_id)
        try:
            b = await services.publish_bulletin(ctx, bulletin_id, notify=form.flag("notify"), public_path=path)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, i18n.gettext("Published; %(n)s notices to residents are on their way.",
                                        n=b.notified), "success")
        return Redirect(_detail_url(request, ctx, bulletin_id), status_code=303)

    @post("/{bulletin_id:int}/withdraw", name="bulletins.withdraw", guards=MANAGE)
    async def withdraw(self, request: Request, ctx: NamedDependency[TenantContext],
                       bulletin_id: FromPath[int]) -> Response:
        await Form.read(request)
        try:
            await services.withdraw_bulletin(ctx, bulletin_id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, i18n.gettext("Withdrawn from the public page."), "success")
        return Redirect(_detail_url(request, ctx, bulletin_id), status_code=303)
