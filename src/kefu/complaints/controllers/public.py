"""Public complaint pages, no sign-in (A art. 11–12): the contact page, the online form and the
status page behind the complainant's secret link; and the staff form that edits the contact
page (complaints.settings).

Public pages live under /p/{slug}/: an unknown or inactive slug is a 404. They show the
complainant only what is theirs or published: never notes, handlers or other staff data.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import Controller, Request, Response, get, post, route
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.complaints import labels, schemas, services
from kefu.complaints.controllers import public_form
from kefu.complaints.policy import policy_for
from kefu.complaints.schemas import check_new_complaint
from kefu.complaints.services.registers import CONTACT_LIMITS
from kefu.core import clock, ratelimit
from kefu.core.errors import FieldError
from kefu.core.forms import Form
from kefu.core.public import PRIVATE, client_address, not_found_page
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, is_htmx, render
from kefu.settings import get_settings
from kefu.tenancy.context import provide_tenant_context
from kefu.tenancy.guards import requires
from kefu.tenancy.public import public_tenant

# The public tenant as kefu.core.public.public_tenant gives it (a controller names no table).
Tenant = Any
log = logging.getLogger("kefu.complaints.public")
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # secrets.token_urlsafe

# Complaints a client address may file with one tenant per window (the honeypot counts too).
FORM_LIMIT = 5
FORM_WINDOW = 600
# Every POST, valid or not, per client address and tenant in the window (typos corrected many
# times still fit; a flood of garbage does not).
ATTEMPT_LIMIT = 30
RATE_LIMITED = i18n.lazy("You have sent several complaints in a short time. Please wait ten minutes and try again, or call us.")


def _page(request: Request, template: str, tenant: Tenant | None, status_code: int = 200,
          headers: dict[str, str] | None = None, **context) -> Response:
    context.setdefault("next_path", request.url.path)
    return render(request, template, {"tenant": tenant, **context}, status_code=status_code,
                  headers=headers)


class PublicComplaintsController(Controller):
    path = "/p/{slug:str}"
    exception_handlers = {NotFoundException: not_found_page}

    @get("/contact", name="public.contact")
    async def contact(self, request: Request, slug: FromPath[str]) -> Response:
        """A art. 11: the published complaint phone, fax, postal and reception address, email."""
        tenant = await public_tenant(request, slug)
        info = await services.get_contact_info(tenant)
        return _page(request, "public/contact.html", tenant, contact=info)

    @route("/complain", http_method=["GET", "POST"], name="public.complain")
    async def complain(self, request: Request, slug: FromPath[str]) -> Response:
        """The online form (A art. 11); one name for the page and its POST."""
        tenant = await public_tenant(request, slug)
        if request.method == "GET":
            return await self._form(request, tenant, {}, {}, public_form.new_nonce())
        limit_key = f"{tenant.id}|{client_address(request)}"
        # Every POST counts, before its body is read: a flood of bad or huge forms is limited too.
        if not await ratelimit.hit("complaint-form-attempts", limit_key, limit=ATTEMPT_LIMIT, window=FORM_WINDOW):
            return await self._limited(request, tenant)
        return await self._submit(request, tenant, await Form.read(request), limit_key)

    async def _limited(self, request: Request, tenant: Tenant) -> Response:
        return _page(request, "public/message.html", tenant, status_code=429,
                     title=i18n.gettext("Please wait a moment"),
                     message=i18n.gettext(RATE_LIMITED),
                     contact=await services.get_contact_info(tenant))

    async def _submit(self, request: Request, tenant: Tenant, form: Form, limit_key: str) -> Response:
        nonce = form.data.get(public_form.NONCE, "")
        if form.data.get(public_form.HONEYPOT, "").strip():
            # A bot: count it, create nothing, and answer like a success so it learns nothing.
            await ratelimit.hit("complaint-form", limit_key, limit=FORM_LIMIT, window=FORM_WINDOW)
            log.info("public complaint form: honeypot filled (tenant %s)", tenant.id)
            return _page(request, "public/thanks.html", tenant, headers=PRIVATE, complaint=None)
        data = public_form.read_complaint(form.data)
        if key := public_form.idempotency_key(nonce, data):
            data["idempotency_key"] = key
        policy = policy_for(tenant.kind, tenant.settings)
        today = clock.today_in(tenant.timezone)
        _, errors = check_new_complaint({**data, "channel": "online"}, policy, today)
        messages = {name: e.translated() for name, e in errors.items()}
        for name in sorted(form.invalid):  # the gate's NUL: kept as U+FFFD, refused here
            form.text(name, max_length=schemas.MAX_TEXT, required=False)
        messages |= form.errors
        if messages:
            return await self._form(request, tenant, form.data, messages, nonce, 422)
        # Counted once the input is valid: someone correcting typos is not turned away.
        if not await ratelimit.hit("complaint-form", limit_key, limit=FORM_LIMIT, window=FORM_WINDOW):
            return await self._limited(request, tenant)
        try:
            complaint = await services.register_public_complaint(tenant, data)
        except FieldError as exc:
            return await self._form(request, tenant, form.data, {exc.field: exc.translated()}, nonce, 422)
        status_path = request.app.route_reverse("public.status", slug=tenant.slug, token=complaint.public_token)
        return _page(request, "public/thanks.html", tenant, headers=PRIVATE, complaint=complaint,
                     # KEFU_PUBLIC_URL, never the Host header: a forged Host must not mint the link
                     status_url=get_settings().public_url + status_path,
                     next_path=status_path)

    async def _form(self, request: Request, tenant: Tenant, data: dict, errors: dict,
                    nonce: str, status_code: int = 200) -> Response:
        policy = policy_for(tenant.kind, tenant.settings)
        contact = await services.get_contact_info(tenant)
        return _page(request, "public/complain.html", tenant, status_code=status_code,
                     headers={"Cache-Control": "no-store"}, data=data, errors=errors,
                     nonce=nonce, categories=policy.categories, relations=policy.relations, contact=contact,
                     wording=labels.wording(policy),
                     honeypot=public_form.HONEYPOT, nonce_field=public_form.NONCE)

    @get("/status/{token:str}", name="public.status")
    async def status(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        """The complainant's secret link: status and dates, what happens next and by when."""
        tenant = await public_tenant(request, slug)
        found = await services.public_status(tenant, token) if TOKEN_RE.match(token) else None
        if found is None:
            raise NotFoundException()
        contact = await services.get_contact_info(tenant)
        return _page(request, "public/status.html", tenant, headers=PRIVATE, status=found,
                     view=public_form.explain(found), contact=contact)


class ContactSettingsController(Controller):
    """Tenant admins edit the public contact page (A art. 11)."""

    path = "/t/{slug:str}/complaints/contact"
    dependencies = {"ctx": Provide(provide_tenant_context)}

    @get("/", name="complaints.contact", guards=[requires("complaints.settings")])
    async def edit(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        info = await services.get_contact_info(ctx.tenant)
        data = {name: getattr(info, name) for name in CONTACT_LIMITS} if info else {}
        return _contact_form(request, ctx, data, {})

    @post("/", name="complaints.contact_update", guards=[requires("complaints.settings")])
    async def update(self, request: Request, ctx: NamedDependency[TenantContext]) -> Response:
        form = await Form.read(request)
        values = {name: form.text(name, max_length=limit, required=False)
                  for name, limit in CONTACT_LIMITS.items()}
        if form.ok:
            try:
                await services.update_contact_info(ctx, **values)
            except FieldError as exc:
                form.error(exc.field, exc.translated())
        if not form.ok:
            return _contact_form(request, ctx, form.data, form.errors, status_code=422)
        notice = i18n.gettext("The contact details are published.")
        if is_htmx(request):
            return _contact_form(request, ctx, values, {}, notice=notice)
        flash(request, notice, "success")
        return Redirect(request.app.route_reverse("complaints.contact", slug=ctx.tenant.slug))


def _contact_form(request: Request, ctx: TenantContext, data: dict, errors: dict, *,
                  status_code: int = 200, notice: str = "") -> Response:
    return render(request, "public/contact_edit.html",
                  {"data": data, "errors": errors, "notice": notice, "limits": CONTACT_LIMITS},
                  fragment="contact_form", status_code=status_code)


routes = [PublicComplaintsController, ContactSettingsController]
