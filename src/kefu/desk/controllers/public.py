"""The public price list of a centre's paid services (C.c), no sign-in: /p/{slug}/services, the
order form a resident fills in on a phone (/p/{slug}/services/order), and the order's status
behind its secret link. Only what the tenant's pack publishes; a kind with no catalogue (an
insurer) and an unknown or inactive slug are the same 404. The form is rate limited per client
address and tenant like the other public forms: every POST counts, valid or not."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, Response, get, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from kefu import i18n
from kefu.core import ratelimit
from kefu.core.errors import FieldErrors
from kefu.core.forms import Form
from kefu.core.public import PRIVATE, client_address, not_found_page
from kefu.core.web import render
from kefu.desk import policy, queries, services
from kefu.desk.labels import ORDER_STATES
from kefu.settings import get_settings
from kefu.tenancy.public import public_tenant

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # secrets.token_urlsafe
# Every POST per client address and tenant in the window, valid or not (as the event sign-up).
ATTEMPT_LIMIT = 20
WINDOW = 600
SLOW_DOWN = i18n.lazy("Too many orders in a short time. Please wait ten minutes and try again, or call the front desk.")


def _catalogue(tenant: Any) -> dict[str, Any]:
    pack = policy.desk_pack(tenant.kind)
    if not pack.services:
        raise NotFoundException()
    return {"tenant": tenant, "services": pack.services, "service_label": pack.service_labels(),
            "per_label": pack.per_labels(), "order_state": ORDER_STATES}


class PublicPriceListController(Controller):
    path = "/p/{slug:str}"
    exception_handlers = {NotFoundException: not_found_page}

    @get("/services", name="public.services")
    async def services(self, request: Request, slug: FromPath[str]) -> Response:
        tenant = await public_tenant(request, slug)
        return render(request, "public/services.html", _catalogue(tenant) | {"next_path": request.url.path})

    @route("/services/order", http_method=["GET", "POST"], name="public.service_order")
    async def order(self, request: Request, slug: FromPath[str]) -> Response:
        """The order form (a service picked on the price list comes as ?service=) and its POST."""
        tenant = await public_tenant(request, slug)
        context = _catalogue(tenant) | {"next_path": request.url.path}
        if request.method == "GET":
            return render(request, "public/service_order.html", context | {
                "data": {"service": request.query_params.get("service") or "", "quantity": "1"}, "errors": {}},
                headers={"Cache-Control": "no-store"})
        key = f"{tenant.id}|{client_address(request)}"
        if not await ratelimit.hit("service-order-attempts", key, limit=ATTEMPT_LIMIT, window=WINDOW):
            return render(request, "public/service_order.html", context | {
                "data": {}, "errors": {}, "refused": i18n.gettext(SLOW_DOWN)}, status_code=429)
        form = await Form.read(request)
        try:
            order = await services.place_public_order(tenant, form)
        except FieldErrors as exc:
            return render(request, "public/service_order.html", context | {
                "data": form.data, "errors": exc.translated_all()}, status_code=422)
        path = request.app.route_reverse("public.service_order_status", slug=tenant.slug, token=order.public_token)
        return render(request, "public/service_order_placed.html", context | {
            # KEFU_PUBLIC_URL, never the Host header: a forged Host must not mint the link
            "status_url": get_settings().public_url + path, "status_path": path, "next_path": path},
            headers=PRIVATE)

    @get("/services/orders/{token:str}", name="public.service_order_status")
    async def status(self, request: Request, slug: FromPath[str], token: FromPath[str]) -> Response:
        """The resident's secret link: the order's state, never the staff's notes."""
        tenant = await public_tenant(request, slug)
        context = _catalogue(tenant)
        found = await queries.public_order(tenant, token) if TOKEN_RE.match(token) else None
        if found is None:
            raise NotFoundException()
        return render(request, "public/service_order_status.html", context | {
            "order": found, "next_path": request.url.path}, headers=PRIVATE)
