"""Rendering: one Jinja environment; a page, or only its fragment when htmx asks.

Pages include their fragments (`{% block fragment %}`), so the HTML of a fragment exists once.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block
from litestar import MediaType, Request, Response
from litestar.utils.scope.state import ScopeState

from kefu import i18n
from kefu.core import labels
from kefu.settings import get_settings


@cache
def environment() -> Environment:
    settings = get_settings()
    env = Environment(
        loader=FileSystemLoader(settings.templates_dir),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # The i18n extension adds this method to the environment at runtime; jinja2 does not type it.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    env.filters["date"] = i18n.fmt_date
    env.filters["datetime"] = i18n.fmt_datetime
    env.filters["number"] = i18n.fmt_number
    # The audit trail's codes in words (kefu.core.labels.declare_audit), on every page.
    env.globals["audit_action"] = labels.audit_action
    env.globals["audit_object"] = labels.audit_object
    return env


def is_htmx(request: Request[Any, Any, Any]) -> bool:
    return request.headers.get("hx-request") == "true"


def base_context(request: Request[Any, Any, Any]) -> dict[str, Any]:
    token = ScopeState.from_scope(request.scope).csrf_token
    return {
        "request": request,
        "url_for": request.app.route_reverse,
        "static": lambda path: f"/static/{path}",
        "csrf_token": token if isinstance(token, str) else "",
        "locale": i18n.current_locale(),
        "user": request.scope.get("kefu_user"),
        "memberships": request.scope.get("kefu_memberships", []),
        "ctx": request.scope.get("kefu_tenant_ctx"),
        "flashes": pop_flashes(request),
    }


def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    fragment: str | None = None,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    """The whole page, or only `fragment` (a block name) on an htmx request."""
    env = environment()
    ctx = base_context(request) | (context or {})
    if fragment and is_htmx(request) and not request.headers.get("hx-boosted"):
        html = render_block(env, template, fragment, ctx)
    else:
        html = env.get_template(template).render(ctx)
    return Response(
        content=html, media_type=MediaType.HTML, status_code=status_code, headers=headers
    )


def flash(request: Request[Any, Any, Any], message: str, category: str = "info") -> None:
    """Queue a message (already translated) for the next page the user sees."""
    if "session" not in request.scope:
        return
    flashes = list(request.session.get("_flashes", []))
    flashes.append({"message": message, "category": category})
    request.set_session({**request.session, "_flashes": flashes})


def pop_flashes(request: Request[Any, Any, Any]) -> list[dict[str, str]]:
    if "session" not in request.scope or not isinstance(request.scope.get("session"), dict):
        return []
    flashes = request.session.get("_flashes") or []
    if flashes:
        data = dict(request.session)
        data.pop("_flashes", None)
        request.set_session(data)
    return flashes
