"""Staff pages of survey rounds: the new-round form, the round's page (counts, invitations with
search and paging, open/close), its QR poster (PDF, PNG) and the invitation list as XLSX.
The dashboard and the half-year schedule are in dashboard.py and join `routes` here.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import clock, excel, pdf
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import read_raw
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.surveys.controllers.dashboard import SurveysController
from kefu.surveys.controllers.helpers import helpers
from kefu.surveys.links import answer_url
from kefu.surveys.queries import audience as audiences
from kefu.surveys.queries import dashboard, exports, poster
from kefu.surveys.queries import rounds as queries
from kefu.surveys.schemas import rounds as forms
from kefu.surveys.services import list_rounds, remind_now, rounds
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

VIEW = [requires("surveys.view")]
MANAGE = [requires("surveys.manage")]
UPLOAD_BODY_LIMIT = 6 * 1024 * 1024


def remind_message(done: remind_now.Reminded) -> str:
    """What "remind now" did, in numbers that are true: queued, not sent."""
    parts = [i18n.gettext("Reminders queued for %(n)s people who have not answered.", n=done.queued)
             if done.queued else i18n.gettext("No reminder was queued.")]
    if done.reminded_today:
        parts.append(i18n.gettext("%(n)s already reminded today (once a day at most).", n=done.reminded_today))
    if done.no_channel:
        parts.append(i18n.gettext("%(n)s have no phone or email to remind.", n=done.no_channel))
    if done.withdrew:
        parts.append(i18n.gettext("%(n)s withdrew their consent to be contacted.", n=done.withdrew))
    return " ".join(parts)


def _round_url(request: Request, ctx: TenantContext, round_id: int) -> str:
    return request.app.route_reverse("surveys.round", slug=ctx.tenant.slug, round_id=round_id)


async def _new_context(ctx: TenantContext, data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    return helpers() | {
        "data": data, "errors": errors,
        "templates": await dashboard.templates_choice(ctx.tenant_id),
        "choices": await audiences.choices(ctx.tenant_id),
        "chosen_buildings": data.get("_buildings", []), "chosen_kinds": data.get("_kinds", []),
    }


async def _round_row(ctx: TenantContext, round_id: int) -> dict[str, Any]:
    return await queries.round_row(ctx.tenant_id, round_id, can_manage=ctx.can("surveys.manage"))


def _download(content: bytes, filename: str, media_type: str, inline: bool = False) -> Response:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    kind = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}",
               "Cache-Control": "private, no-store"}
    return Response(content, media_type=media_type, headers=headers)


class RoundController(Controller):
    path = "/t/{slug:str}/surveys/rounds"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/new", name="surveys.round_new", guards=MANAGE)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        today = clock.today_in(ctx.tenant.timezone)
        data = {"opens_on": today.isoformat(), "closes_on": date.fromordinal(today.toordinal() + 13).isoformat(),
                "reminder_after_days": "7", "audience": "all", "open_link": "on",
                "template_id": request.query_params.get("template_id", "")}
        return render(request, "surveys/rounds/new.html", await _new_context(ctx, data, {}))

    @post("/", name="surveys.round_create", guards=MANAGE, request_max_body_size=UPLOAD_BODY_LIMIT)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        raw = await read_raw(request)
        data = forms.form_data(raw)
        try:
            round_input = await forms.read_round(ctx, request)
            if round_input.audience.kind == "list":  # the file is read, and the round made, by a job
                job = await list_rounds.start_list_round(ctx, round_input, *await forms.list_file(raw))
                return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id),
                                status_code=303)
            row, opened = await rounds.start_round(ctx.tenant, ctx.user.id, round_input)
        except FieldError as exc:
            context = await _new_context(ctx, data, {exc.field: exc.translated()})
            return render(request, "surveys/rounds/new.html", context, status_code=422)
        if opened is not None:
            flash(request, i18n.gettext("The round is open: %(n)s people invited.", n=opened.invited), "success")
        else:
            flash(request, i18n.gettext("The round is scheduled; it opens on its first day."), "success")
        return Redirect(_round_url(request, ctx, row.id), status_code=303)

    @get("/{round_id:int}", name="surveys.round", guards=VIEW)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        row = await _round_row(ctx, round_id)
        filters = queries.Filters.parse(request.query_params)
        page = await queries.page(ctx.tenant_id, round_id, filters, request.query_params.get("page"))
        counts = (await dashboard.counts(ctx.tenant_id, [row]))[row["id"]]
        size = None
        if row["invites_later"]:
            size = await audiences.audience_size(ctx.tenant_id, row["audience"])
        context = helpers() | {
            "round": row, "page": page, "filters": filters, "counts": counts, "audience_size": size,
            "open_url": answer_url(ctx.tenant.slug, row["open_token"]) if row["open_token"] else "",
            "results_url": f"/t/{ctx.tenant.slug}/surveys/rounds/{round_id}/results",
            "round_url": _round_url(request, ctx, round_id),
        }
        # The counts refresh themselves while the round runs; the search swaps the list.
        fragment = "counts" if request.headers.get("hx-target") == "round-counts" else "invitations"
        return render(request, "surveys/rounds/detail.html", context, fragment=fragment)

    @post("/{round_id:int}/open", name="surveys.round_open", guards=MANAGE)
    async def open(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        await queries.round_row(ctx.tenant_id, round_id)
        try:
            opened = await rounds.open_round(ctx.tenant, round_id, ctx.user.id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            if opened.invited or opened.notices:
                flash(request, i18n.gettext("The round is open: %(n)s people invited.", n=opened.invited), "success")
        return Redirect(_round_url(request, ctx, round_id), status_code=303)

    @post("/{round_id:int}/close", name="surveys.round_close", guards=MANAGE)
    async def close(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        await queries.round_row(ctx.tenant_id, round_id)
        try:
            await rounds.close_round(ctx.tenant, round_id, ctx.user.id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, i18n.gettext("The round is closed."), "success")
        return Redirect(_round_url(request, ctx, round_id), status_code=303)

    @post("/{round_id:int}/remind", name="surveys.round_remind", guards=MANAGE)
    async def remind(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        """Remind the non-responders now; the message says what was queued and who was left out."""
        try:
            done = await remind_now.remind_now(ctx.tenant, round_id, ctx.user.id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        else:
            flash(request, remind_message(done), "success" if done.queued else "info")
        return Redirect(_round_url(request, ctx, round_id), status_code=303)

    @post("/{round_id:int}/open-link", name="surveys.round_open_link", guards=MANAGE)
    async def open_link(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        try:
            await rounds.add_open_link(ctx.tenant, round_id, ctx.user.id)
        except Refused as exc:
            flash(request, exc.translated(), "error")
        return Redirect(_round_url(request, ctx, round_id), status_code=303)

    async def _poster(self, request: Request, ctx: TenantContext, round_id: int, kind: str) -> Response:
        row = await _round_row(ctx, round_id)
        if "poster" not in row["allowed"]:
            context = helpers() | {"round": row}
            return render(request, "surveys/rounds/no_link.html", context, status_code=409)
        try:
            if kind == "pdf":
                return _download(await poster.poster_pdf(ctx.tenant, row), f"poster-{round_id}.pdf",
                                 "application/pdf", inline=True)
            return _download(await poster.poster_png(ctx.tenant, row), f"poster-{round_id}.png", "image/png", inline=True)
        except pdf.PdfUnavailable as exc:
            return Response(exc.translated(), status_code=503, media_type="text/plain")

    @get("/{round_id:int}/poster.pdf", name="surveys.poster_pdf", guards=VIEW)
    async def poster_pdf(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        return await self._poster(request, ctx, round_id, "pdf")

    @get("/{round_id:int}/poster.png", name="surveys.poster_png", guards=VIEW)
    async def poster_png(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        return await self._poster(request, ctx, round_id, "png")

    @get("/{round_id:int}/invitations.xlsx", name="surveys.invitations_export", guards=MANAGE)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        args = {"round_id": round_id}
        if excel.is_large(rows := await exports.invitations_count(ctx, args)):
            return excel.large(request, exports.INVITATIONS, rows)  # its button: export_job
        return excel.respond(await exports.invitations_file(ctx, args))

    @post("/{round_id:int}/invitations.xlsx", name="surveys.invitations_job", guards=MANAGE)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext], round_id: FromPath[int]) -> Response:
        """A large invitation list, written by a job."""
        await queries.round_row(ctx.tenant_id, round_id)  # 404 before any job
        job = await start_export(ctx, "export_survey_invitations", exports.INVITATIONS, {"round_id": round_id},
                                 "surveys.round", {"round_id": round_id})
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)


routes = [SurveysController, RoundController]
