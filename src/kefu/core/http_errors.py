"""Error responses in the user's language: a page for people, JSON for the API. Never a trace."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from litestar import MediaType, Request, Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    PermissionDeniedException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec
from litestar.response import Redirect

from kefu import i18n
from kefu.core.errors import BadInput, FieldError
from kefu.core.web import is_htmx, render

log = logging.getLogger("kefu.errors")

MESSAGES = {
    400: i18n.lazy("The request could not be understood. Check what you entered and try again."),
    401: i18n.lazy("Please sign in."),
    403: i18n.lazy("You do not have permission to do this."),
    404: i18n.lazy("This page does not exist, or you do not have access to it."),
    405: i18n.lazy("This action is not allowed here."),
    413: i18n.lazy("The upload is too large."),
    422: i18n.lazy("Some fields are not valid."),
    429: i18n.lazy("Too many attempts. Wait a few minutes and try again."),
    500: i18n.lazy("Something went wrong on our side. The error has been logged; please try again."),
    503: i18n.lazy("The service is temporarily unavailable."),
}
CSRF_MESSAGE = i18n.lazy("Your form has expired. Reload the page and try again.")


def is_api(request: Request[Any, Any, Any]) -> bool:
    return request.url.path.startswith("/api/")


def _message(status: int, detail: str) -> str:
    if "CSRF" in detail:
        return i18n.gettext(CSRF_MESSAGE)
    return i18n.gettext(MESSAGES.get(status, MESSAGES[500] if status >= 500 else MESSAGES[400]))


def error_response(
    request: Request[Any, Any, Any], status: int, detail: str = "", fields: dict[str, str] | None = None,
    *, message: str | None = None, headers: dict[str, str] | None = None,
) -> Response[Any]:
    message = message or _message(status, detail)
    if is_api(request):
        body: dict[str, Any] = {"error": {"status": status, "message": message}}
        if fields:
            body["error"]["fields"] = fields
        return Response(body, status_code=status, media_type=MediaType.JSON, headers=headers)
    try:
        return render(
            request, "errors/error.html",
            {"status": status, "message": message, "fields": fields or {}}, status_code=status, headers=headers,
        )
    except Exception:  # the error page itself must never fail into a trace
        log.exception("error page failed")
        return Response(message, status_code=status, media_type=MediaType.TEXT)


def _signin_redirect(request: Request[Any, Any, Any]) -> Response[Any]:
    if not is_htmx(request):
        return Redirect(f"/signin?next={quote(request.url.path)}")
    # An XHR follows a redirect by itself, and htmx would swap the whole sign-in page into the
    # fragment's target. HX-Redirect makes htmx load the sign-in page as the page instead, with
    # `next` the page the user was on (the fragment's URL may accept only POST).
    current = urlsplit(request.headers.get("hx-current-url", "")).path or "/"
    return Response(
        "", status_code=401, media_type=MediaType.TEXT,
        headers={"HX-Redirect": f"/signin?next={quote(current)}"},
    )


def http_exception_handler(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if isinstance(exc, NotAuthorizedException) and not is_api(request):
        return _signin_redirect(request)
    if isinstance(exc, PermissionDeniedException) and "CSRF" not in (exc.detail or ""):
        return error_response(request, 403, exc.detail or "")
    if isinstance(exc, BadInput):
        return error_response(request, exc.status_code, message=exc.detail)
    return error_response(request, exc.status_code, exc.detail or "", headers=_allow(exc))


def _allow(exc: HTTPException) -> dict[str, str] | None:
    """A 405 names the methods the path answers (RFC 9110: Allow)."""
    allow = (exc.headers or {}).get("Allow") or (exc.headers or {}).get("allow")
    if exc.status_code == 405 and allow:
        return {"Allow": allow}
    return None


def matched_path_params(request: Request[Any, Any, Any]) -> set[str]:
    """The route matched, so its path parameters were read. When another parameter or the body
    fails, Litestar may also list a path parameter it had not yet put into the handler's
    arguments ("'slug'"); a 400 names only what the client sent wrong."""
    return set(request.path_params) if "path_params" in request.scope else set()


def validation_handler(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    fields: dict[str, str] = {}
    matched = matched_path_params(request)
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict) and item.get("key") and str(item["key"]) not in matched:
            fields[str(item["key"])] = str(item.get("message", ""))
    return error_response(request, 400, exc.detail or "", fields)


def field_error_handler(request: Request[Any, Any, Any], exc: FieldError) -> Response[Any]:
    return error_response(request, 422, "", {exc.field: exc.translated()})


# SQLSTATE 22021: PostgreSQL refuses a NUL character in text. It arrives in a query string or
# JSON no browser would send: bad input (and the transaction is rolled back), not our failure.
BAD_TEXT_SQLSTATES = frozenset({"22021"})


def _bad_text(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if getattr(exc, "sqlstate", None) in BAD_TEXT_SQLSTATES:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def internal_error_handler(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if _bad_text(exc):
        log.info("refused text the database cannot hold on %s %s", request.method, request.url.path)
        return error_response(request, 400)
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


# --- the API's error answers, for the OpenAPI schema (/api/schema) ---------------------------


@dataclass
class ApiErrorDetail:
    status: int
    message: str  # in the caller's language (the token's user's)
    fields: dict[str, str] | None = None  # field -> what is wrong with it (400 and 422)
    code: str | None = None  # a stable reason where the rules refuse (409, 422: "invalid")
    field: str | None = None  # the first field `fields` names (422 of an action)


@dataclass
class ApiError:
    """Every API error: `{"error": {"status", "message", "fields"?}}`."""

    error: ApiErrorDetail


API_ERRORS: dict[int, ResponseSpec] = {
    400: ResponseSpec(ApiError, description="A body or parameter of the wrong shape or type; `fields` names them"),
    401: ResponseSpec(ApiError, description="No valid bearer token"),
    403: ResponseSpec(ApiError, description="The token's user lacks the permission"),
    404: ResponseSpec(ApiError, description="No such tenant for this token, or no such object in it"),
    422: ResponseSpec(ApiError, description="Values the rules refuse; `fields` names each"),
}
