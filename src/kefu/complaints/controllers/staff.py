"""Staff pages of complaints: the worklist and its export, the caller lookup, the register form,
the complaint's page and its materials, a customer's complaints (a section of the customer's
page). The workflow's actions are in staff_actions.py.

Each handler parses, makes one service call and answers with a page, a fragment for htmx, or a
redirect. Another tenant's complaint or attachment is the same 404 as a missing one.
"""

from __future__ import annotations

import secrets

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import File, Redirect

from kefu import i18n
from kefu.complaints import services
from kefu.complaints.controllers.staff_actions import ComplaintActionController, detail_page
from kefu.complaints.labels import STATUS_LABELS, helpers
from kefu.complaints.policy import policy_for
from kefu.complaints.queries import customer_section, worklist, worklist_export
from kefu.complaints.schemas import form_values, nested
from kefu.core import clock, excel, phones
from kefu.core.errors import FieldError, Refused
from kefu.core.files import MAX_BYTES
from kefu.core.forms import Form, has_control, read_raw
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.workers.services import start_export

VIEW = [requires("complaints.view")]
REGISTER = [requires("complaints.register")]
# A section of the customer's page: whoever may see the customer sees their complaints' list.
CUSTOMER_VIEW = [requires("customers.view")]
# The app's body limit is 10 MB; a material may be up to MAX_BYTES, plus the form around it.
UPLOAD_BODY_LIMIT = MAX_BYTES + 256 * 1024


def _detail_url(request: Request, ctx: TenantContext, complaint_id: int) -> str:
    return request.app.route_reverse(
        "complaints.detail", slug=ctx.tenant.slug, complaint_id=complaint_id
    )


def _page_helpers(ctx: TenantContext) -> dict:
    return helpers(policy_for(ctx.tenant.kind, ctx.tenant.settings), clock.today_in(ctx.tenant.timezone))


async def _caller(ctx: TenantContext, phone: str) -> dict:
    """The caller's open complaints, shown as soon as their number is typed."""
    callers = await worklist.open_for_phone(ctx, phone)
    return {"callers": callers, "phone": phone, "looked_up": bool(phones.variants(phone))}


async def _new_form(ctx: TenantContext, data: dict, errors: dict) -> dict:
    caller = await _caller(ctx, data.get("complainant.phone", ""))
    return _page_helpers(ctx) | caller | {"data": data, "errors": errors}


class ComplaintStaffController(Controller):
    path = "/t/{slug:str}/complaints"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="complaints.list", guards=VIEW)
    async def list_complaints(
        self, request: Request, ctx: NamedDependency[TenantContext]
    ) -> Response:
        filters = worklist.parse_filters(request.query_params)
        page = await worklist.worklist(ctx, filters, request.query_params.get("page"))
        context = _page_helpers(ctx) | {"page": page, "filters": filters}
        return render(request, "complaints/list.html", context, fragment="results")

    @get("/export.xlsx", name="complaints.export", guards=VIEW)
    async def export(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        args = worklist_export.export_args(request.query_params)
        if excel.is_large(rows := await worklist_export.export_count(ctx, args)):
            return excel.large(request, worklist_export.EXPORTING, rows)  # its button: export_job
        return excel.respond(await worklist_export.export_file(ctx, args))

    @post("/export.xlsx", name="complaints.export_job", guards=VIEW)
    async def export_job(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """A large export (the worklist's filters in the query string), written by a job."""
        job = await start_export(ctx, "export_complaints", worklist_export.EXPORTING,
                                 worklist_export.export_args(request.query_params), "complaints.list")
        return Redirect(request.app.route_reverse("jobs.detail", slug=ctx.tenant.slug, job_id=job.id), status_code=303)

    @get("/lookup", name="complaints.lookup", guards=VIEW)
    async def lookup(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        """The caller's open complaints, as the agent types the number (htmx), or as a page."""
        q = request.query_params
        phone = (q.get("phone") or q.get("complainant.phone") or "").strip()[:40]
        context = _page_helpers(ctx) | await _caller(ctx, phone)
        return render(request, "complaints/lookup.html", context, fragment="caller")

    @get("/new", name="complaints.new", guards=REGISTER)
    async def new(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        data = {
            "channel": "hotline", "complainant.relation": "consumer",
            "received_on": clock.today_in(ctx.tenant.timezone).isoformat(),
            "complainant.phone": (request.query_params.get("phone") or "").strip()[:30],
            # One key per form shown: a double submit of it registers one complaint.
            "idempotency_key": secrets.token_hex(16),
        }
        return render(request, "complaints/new.html", await _new_form(ctx, data, {}))

    @post("/", name="complaints.create", guards=REGISTER)
    async def create(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        errors: dict[str, str] = {}
        try:
            # The same form again (its idempotency key) answers with what it registered.
            c = await services.register_complaint(ctx, nested(form_values(form)))
        except FieldError as exc:
            errors = exc.translated_all()
        except Refused as exc:  # the training gate (A art. 8)
            errors = {"__all__": exc.translated()}
        if errors:
            context = await _new_form(ctx, form.data, errors)
            return render(request, "complaints/new.html", context, status_code=422)
        flash(request, i18n.gettext("Complaint %(number)s is registered. Read the number out to the "
                                    "caller.", number=c.number), "success")
        return Redirect(_detail_url(request, ctx, c.id), status_code=303)

    @get("/{complaint_id:int}", name="complaints.detail", guards=VIEW)
    async def detail(
        self, request: Request, ctx: NamedDependency[TenantContext], complaint_id: FromPath[int]
    ) -> Response:
        return await detail_page(request, ctx, complaint_id)

    @get("/customers/{customer_id:int}", name="complaints.customer", guards=CUSTOMER_VIEW)
    async def customer(
        self, request: Request, ctx: NamedDependency[TenantContext], customer_id: FromPath[int]
    ) -> Response:
        """The customer's page loads this list (htmx); without JavaScript its link opens it alone."""
        context = await customer_section(ctx, customer_id) | {"status_label": STATUS_LABELS}
        return render(request, "complaints/customer.html", context, fragment="complaints")

    @post(
        "/{complaint_id:int}/attachments", name="complaints.upload", guards=REGISTER,
        request_max_body_size=UPLOAD_BODY_LIMIT,
    )
    async def upload(
        self, request: Request, ctx: NamedDependency[TenantContext], complaint_id: FromPath[int]
    ) -> Response:
        form = await read_raw(request)
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise FieldError("file", "Choose a file to upload.")
            if has_control(upload.filename):  # PostgreSQL cannot store NUL; no browser sends it
                raise FieldError("file", "Enter a valid value.")
            content = await upload.read()
            content_type = (upload.content_type or "").split(";")[0].strip().lower()
            await services.add_attachment(
                ctx, complaint_id, filename=upload.filename, content_type=content_type,
                data=content,
            )
        except FieldError as exc:
            return await detail_page(request, ctx, complaint_id, "upload",
                                     {exc.field: exc.translated()}, 422)
        flash(request, i18n.gettext("The material is stored."), "success")
        return Redirect(f"{_detail_url(request, ctx, complaint_id)}#materials", status_code=303)

    @get("/attachments/{attachment_id:int}", name="complaints.attachment", guards=VIEW)
    async def attachment(
        self, ctx: NamedDependency[TenantContext], attachment_id: FromPath[int]
    ) -> File:
        row, path = await services.open_attachment(ctx, attachment_id)
        if not path.is_file():  # the row without its file: as missing as another tenant's
            raise NotFoundException()
        return File(
            path=path, filename=row.filename, media_type=row.content_type,
            content_disposition_type="attachment",
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )


routes = [ComplaintStaffController, ComplaintActionController]
