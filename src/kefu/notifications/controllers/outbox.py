"""Staff pages of the outbox: the list, one notice, retry, a letter's PDF, mark posted, export."""

from __future__ import annotations

from datetime import date

from litestar import Controller, Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core import excel
from kefu.core.errors import FieldError, Refused
from kefu.core.forms import Form
from kefu.core.paging import page_number
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.notifications import channels, policy, services, shipped
from kefu.notifications.queries import export, outbox
from kefu.settings import get_settings
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

PAGE_SIZE = 50
PERM = [requires("notices.manage")]


def labels() -> dict:
    """Helpers the pages use; each returns plain text, which the template escapes."""
    return {
        "tr": i18n.gettext, "kind_label": shipped.kind_label,
        "state_labels": policy.STATE_LABELS, "channel_labels": policy.CHANNEL_LABELS,
        "provider_labels": policy.PROVIDER_LABELS, "notice_actions": policy.allowed_actions,
        "awaits_attempt": policy.awaits_attempt,
        "subject_text": policy.subject_text,
        "states": policy.STATES, "kinds": list(shipped.default_kinds()),
    }


def _filters(request: Request) -> dict[str, str]:
    q = request.query_params
    return policy.outbox_filters(q.get("state") or "", q.get("kind") or "")


async def _detail(request: Request, ctx: TenantContext, notice_id: int, errors: dict, status: int = 200) -> Response:
    notice = await outbox.notice_detail(ctx.tenant_id, notice_id)
    context = labels() | {"n": notice, "errors": errors, "today": (await outbox.tenant_today(ctx.tenant_id)).isoformat()}
    return render(request, "notifications/detail.html", context, status_code=status)


class OutboxController(Controller):
    path = "/t/{slug:str}/notices"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="notifications.outbox", guards=PERM)
    async def outbox(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        filters = _filters(request)
        number = page_number(request.query_params.get("page"))
        page = await outbox.outbox_page(ctx.tenant_id, **filters, number=number, size=PAGE_SIZE)
        attention = []
        if not filters["state"] and number == 1:
            attention = await outbox.needing_attention(ctx.tenant_id, kind=filters["kind"], limit=PAGE_SIZE)
        context = labels() | {"page": page, "attention": attention, "filters": filters,
                              "mailbox": channels.uses_local_mailbox(get_settings())}
        return render(request, "notifications/outbox.html", context, fragment="results")

    @get("/mailbox", name="notifications.mailbox", guards=PERM)
    async def mailbox(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """Development without SMTP: the emails the local mailbox (var/mail/) took instead."""
        rows = await outbox.mailbox_rows(ctx.tenant_id, limit=PAGE_SIZE)
        folder = channels.mailbox_dir(get_settings())
        return render(request, "notifications/mailbox.html", labels() | {"rows": rows, "folder": str(folder)})

    @get("/export.xlsx", name="notifications.export", guards=PERM)
    async def export_xlsx(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = export.export_args(request.query_params)
        if excel.is_large(rows := await export.export_count(ctx, args)):
            return excel.large(request, export.EXPORTING, rows)  # its button: export_job
        return excel.respond(await export.export_file(ctx, args))  # no-store: recipients' personal data

    @post("/export.xlsx", name="notifications.export_job", guards=PERM)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A large export (the outbox's filters in the query string), written by a job."""
        job = await start_export(ctx, "export_notices", export.EXPORTING, export.export_args(request.query_params),
                                 "notifications.outbox")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/{notice_id:int}", name="notifications.detail", guards=PERM)
    async def detail(self, request: Request, ctx: NamedDependency[TenantContext], notice_id: FromPath[int]) -> Response:
        return await _detail(request, ctx, notice_id, {})

    @get("/{notice_id:int}/letter.pdf", name="notifications.letter", guards=PERM)
    async def letter(self, ctx: NamedDependency[TenantContext], notice_id: FromPath[int]) -> Response:
        pdf = await outbox.letter_document(ctx.tenant_id, notice_id)
        if pdf is None:
            raise NotFoundException()
        disposition = f'attachment; filename="letter-{notice_id}.pdf"'
        headers = {"Content-Disposition": disposition, "Cache-Control": "private, no-store"}
        return Response(bytes(pdf), media_type="application/pdf", headers=headers)

    @post("/{notice_id:int}/retry", name="notifications.retry", guards=PERM)
    async def retry(self, request: Request, ctx: NamedDependency[TenantContext], notice_id: FromPath[int]) -> Response:
        try:
            await services.retry_notice(ctx, notice_id)
        except Refused as exc:
            return await _detail(request, ctx, notice_id, {"state": exc.translated()}, 422)
        flash(request, i18n.gettext("The notice will be sent again now."), "success")
        url = request.app.route_reverse("notifications.detail", slug=ctx.tenant.slug, notice_id=notice_id)
        # After the request's transaction has committed (background tasks run after the response).
        return Redirect(url, background=BackgroundTask(services.nudge, ctx.tenant_id, [notice_id]))

    @post("/{notice_id:int}/posted", name="notifications.posted", guards=PERM)
    async def posted(self, request: Request, ctx: NamedDependency[TenantContext], notice_id: FromPath[int]) -> Response:
        form = await Form.read(request)
        raw = form.text("posted_on", max_length=10)
        try:
            if not form.ok:
                raise FieldError("posted_on", "This field is required.")
            try:
                posted_on = date.fromisoformat(raw)
            except ValueError:
                raise FieldError("posted_on", "Enter a date as YYYY-MM-DD.") from None
            await services.mark_posted(ctx, notice_id, posted_on)
        except FieldError as exc:
            return await _detail(request, ctx, notice_id, {exc.field: exc.translated()}, 422)
        except Refused as exc:
            return await _detail(request, ctx, notice_id, {"state": exc.translated()}, 422)
        flash(request, i18n.gettext("The letter is recorded as posted."), "success")
        return Redirect(request.app.route_reverse("notifications.detail", slug=ctx.tenant.slug, notice_id=notice_id))

