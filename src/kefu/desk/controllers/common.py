"""What the desk's routes share: the guards, reading a filter and the ?unit= a unit page
links with, and an action that re-renders its page with the field errors (422) or redirects."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from litestar import Request, Response
from litestar.response import Redirect

from kefu.core.errors import FieldErrors, Refused
from kefu.core.forms import Form, filter_text, id_in_range, parse_int
from kefu.core.tenancy import TenantContext
from kefu.core.web import flash, render
from kefu.desk.labels import helpers
from kefu.tenancy.guards import requires

VIEW = [requires("desk.view")]
WORK = [requires("desk.work")]
APPROVE = [requires("desk.approve")]


def choice_filter(request: Request, name: str, allowed: tuple[str, ...] | list[str]) -> str:
    value = filter_text(request.query_params.get(name), 30)
    return value if value in allowed else ""


def unit_param(request: Request) -> int | None:
    value = parse_int(request.query_params.get("unit"))
    return value if value is not None and id_in_range(value) else None


def page(request: Request, ctx: TenantContext, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return render(request, template, helpers(ctx.tenant.kind) | context, status_code=status)


async def act(request: Request, ctx: TenantContext, change: Callable[[Form], Awaitable[Any]],
              again: Callable[[dict[str, str], dict[str, str]], Awaitable[Response]], done: str, url: str) -> Response:
    """Run `change` on the posted form; on field errors `again(data, errors)` (422), on a
    refusal the same page with its reason (409), nothing written; else flash `done` and
    redirect to `url`."""
    form = await Form.read(request)
    try:
        await change(form)
    except FieldErrors as exc:
        return await again(form.data, exc.translated_all())
    except Refused as exc:  # a step the state does not allow now: the page says why (409)
        response = await again(form.data, {"__all__": exc.translated()})
        response.status_code = 409
        return response
    flash(request, done, "success")
    return Redirect(url, status_code=303)
