"""The estate's public bulletin page (/p/{slug}/bulletins, no sign-in, a phone in WeChat's
browser): the notices and events shown today, one of them, and the sign-up form of an event.
An unknown slug, a draft, a withdrawn bulletin and another tenant's look alike: 404."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from kefu import i18n
from kefu.bulletins import queries, services
from kefu.bulletins.labels import helpers
from kefu.core import ratelimit
from kefu.core.errors import FieldErrors, Refused
from kefu.core.forms import Form
from kefu.core.public import client_address, not_found_page
from kefu.core.web import render
from kefu.tenancy.public import public_tenant

# Sign-up POSTs per client address and tenant in the window, valid or not.
ATTEMPT_LIMIT = 20
WINDOW = 600
SLOW_DOWN = i18n.lazy("Too many attempts in a short time. Please wait ten minutes and try again.")


def _page(request: Request, template: str, tenant: Any, status_code: int = 200, **context: Any) -> Response:
    context.setdefault("next_path", request.url.path)
    return render(request, template, {"tenant": tenant, **helpers(tenant.kind), **context}, status_code=status_code)


class PublicBulletinsController(Controller):
    path = "/p/{slug:str}/bulletins"
    exception_handlers = {NotFoundException: not_found_page}

    @get("/", name="public.bulletins")
    async def index(self, request: Request, slug: FromPath[str]) -> Response:
        tenant = await public_tenant(request, slug)
        return _page(request, "bulletins/public_list.html", tenant, rows=await queries.public_bulletins(tenant))

    @route("/{bulletin_id:int}", http_method=["GET", "POST"], name="public.bulletin")
    async def bulletin(self, request: Request, slug: FromPath[str], bulletin_id: FromPath[int]) -> Response:
        """One bulletin; an event's sign-up form posts here."""
        tenant = await public_tenant(request, slug)
        found = await queries.public_bulletin(tenant, bulletin_id)
        if request.method == "GET":
            return _page(request, "bulletins/public_detail.html", tenant, data={"people": "1"}, errors={}, **found)
        if not await ratelimit.hit("bulletin-signup", f"{tenant.id}|{client_address(request)}",
                                   limit=ATTEMPT_LIMIT, window=WINDOW):
            return _page(request, "bulletins/public_detail.html", tenant, status_code=429, data={}, errors={},
                         refused=i18n.gettext(SLOW_DOWN), **found)
        form = await Form.read(request)
        try:
            signup, new = await services.sign_up(tenant, bulletin_id, form)
        except FieldErrors as exc:
            return _page(request, "bulletins/public_detail.html", tenant, status_code=422, data=form.data,
                         errors=exc.translated_all(), **found)
        except Refused as exc:
            found = await queries.public_bulletin(tenant, bulletin_id)
            return _page(request, "bulletins/public_detail.html", tenant, status_code=409, data=form.data,
                         errors={}, refused=exc.translated(), **found)
        found = await queries.public_bulletin(tenant, bulletin_id)
        return _page(request, "bulletins/public_detail.html", tenant, data={}, errors={}, signup=signup,
                     again=not new, **found)
