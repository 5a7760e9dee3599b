"""The platform console's outbox queues (/admin/outbox): every tenant's notices counted by state,
and per (tenant, state) "send all again" or "cancel all", each behind a confirmation page.
Counts only: no recipient, no text of any notice is shown here."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import Redirect

from kefu import i18n
from kefu.core.forms import Form
from kefu.core.requests import scope_extras
from kefu.core.superuser import require_superuser
from kefu.core.web import flash, render
from kefu.notifications.queries import outbox_counts, state_label
from kefu.notifications.services import BULK_CANCEL_STATES, BULK_RETRY_STATES, cancel_all, retry_all
from kefu.tenancy import queries as tenancy

STATES = ("pending", "failed", "waiting", "dead", "ready", "sent", "cancelled")
ACTIONS = {"retry": BULK_RETRY_STATES, "cancel": BULK_CANCEL_STATES}


@get("/admin/outbox", name="admin.outbox")
async def outbox(request: Request) -> Response:
    require_superuser(request)
    tenants = await tenancy.all_tenants()
    counts = {t["id"]: (await outbox_counts(t["id"])).by_state for t in tenants}
    context = {"tenants": tenants, "counts": counts, "states": [(s, state_label(s)) for s in STATES],
               "retry_states": BULK_RETRY_STATES, "cancel_states": BULK_CANCEL_STATES}
    return render(request, "platform/outbox.html", context)


async def _tenant(tenant_id: int) -> Any:
    tenant = await tenancy.get_tenant(tenant_id)
    if tenant is None:
        raise NotFoundException()
    return tenant


@get("/admin/outbox/{tenant_id:int}/confirm", name="admin.outbox_confirm")
async def confirm(request: Request, tenant_id: FromPath[int]) -> Response:
    """What the action would change, asked once more before it is done."""
    require_superuser(request)
    state, action = request.query_params.get("state", ""), request.query_params.get("action", "")
    if not state and not action:  # nothing asked yet: the queues page, where the choice is made
        return Redirect(request.app.route_reverse("admin.outbox"))
    if action not in ACTIONS or state not in ACTIONS[action]:
        raise ValidationException(i18n.gettext("Choose a value from the list."))
    tenant = await _tenant(tenant_id)
    count = (await outbox_counts(tenant_id)).by_state.get(state, 0)
    context = {"tenant": tenant, "state": state, "state_text": state_label(state), "action": action, "count": count, "errors": {}}
    return render(request, "platform/outbox_confirm.html", context)


@post("/admin/outbox/{tenant_id:int}", name="admin.outbox_act")
async def act(request: Request, tenant_id: FromPath[int]) -> Response:
    require_superuser(request)
    actor = scope_extras(request.scope)["kefu_user"]
    tenant = await _tenant(tenant_id)
    form = await Form.read(request)
    action = form.choice("action", list(ACTIONS))
    state = form.choice("state", list(ACTIONS.get(action, ())))
    if not form.ok:
        context = {"tenant": tenant, "state": "", "state_text": "", "action": "", "count": 0, "errors": form.errors}
        return render(request, "platform/outbox_confirm.html", context, status_code=422)
    if action == "retry":
        count = await retry_all(tenant_id, state, actor_id=actor.id)
        notice = i18n.gettext("%(n)s notices re-queued for sending.", n=count)
    else:
        count = await cancel_all(tenant_id, state, actor_id=actor.id)
        notice = i18n.gettext("%(n)s notices cancelled: they will not be sent.", n=count)
    if count == 0:
        notice = i18n.gettext("No notice was in that state any more: nothing changed.")
    flash(request, notice, "success" if count else "info")
    return Redirect(request.app.route_reverse("admin.outbox"))


routes = [outbox, confirm, act]
