"""create_app(settings) -> Litestar: routes, sessions, CSRF, errors, and the embedded worker."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.exceptions import HTTPException, ValidationException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.routes import HTTPRoute
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store

from kefu.core import http_errors
from kefu.core.errors import FieldError
from kefu.core.openapi import ClosedStructSchemaPlugin
from kefu.core.packs import all_packs
from kefu.core.request_gate import bounded_path_ids, check_json_body, form_gate_middleware
from kefu.core.requests import request_id_middleware
from kefu.core.security import security_headers
from kefu.core.sessions import RotatingSessionConfig, SessionFileStore, SessionRedisStore
from kefu.db import current_engine, is_postgres, start_db_pool
from kefu.modules import route_handlers
from kefu.settings import Settings, get_settings
from kefu.tenancy.context import load_user
from kefu.workers.registry import load_jobs

MAX_BODY = 10 * 1024 * 1024


def _lifespan(settings: Settings, *, start_pool: bool, embedded_jobs: bool):
    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        from kefu.workers.embedded import EmbeddedWorker
        from kefu.workers.scheduler import run_scheduler

        engine = current_engine()
        if start_pool and is_postgres(engine):
            await start_db_pool(engine, min_size=2, max_size=20)
        worker = stop = ticker = None
        if settings.embedded_broker:
            worker = EmbeddedWorker()
            worker.start()  # here, on the app's loop: the actors run on it, next to the pool
            if embedded_jobs:
                stop = asyncio.Event()
                ticker = asyncio.create_task(run_scheduler(None, stop))
        if start_pool:
            _freeze_startup_heap()
        try:
            yield
        finally:
            if ticker and stop:
                stop.set()
                await ticker
            if worker:
                await worker.stop()  # before the pool closes: jobs in progress still use it
            if settings.redis_url:
                from kefu.core.redis import close_redis_clients

                await close_redis_clients()
            if start_pool and is_postgres(engine):
                await engine.close_connection_pool()

    return lifespan


def _freeze_startup_heap() -> None:
    """Move what start-up built (modules, packs, catalogs, templates) out of the collector's
    reach. A served process holds a large long-lived heap; every full collection walked all of
    it, 100–300 ms with the request waiting (make bench: the worklist's p99). Only a served
    process does this: the tests build many apps in one process and must be able to free them.

    Then the youngest generation is collected every 7,000 allocations instead of 700. Requests
    in flight hold their objects past a young collection, so each older collection walked them
    all again: 120 middle collections at 5.5 ms and 11 full ones at 44 ms in one answer-page
    run of python -m bench.surveys (256 clients)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, 10, 10)


def _is_api(handler: object) -> bool:
    path = getattr(handler, "path", None)
    paths = [path] if isinstance(path, str) else list(getattr(handler, "paths", None) or [])
    return any(p.startswith("/api/") for p in paths)


async def _before_request(connection: ASGIConnection) -> None:
    await check_json_body(connection)  # before the handler's data is decoded
    await load_user(connection)


def _session_store(settings: Settings) -> Store:
    if settings.redis_url:
        return SessionRedisStore.with_client(url=settings.redis_url, namespace="kefu-sessions")
    return SessionFileStore(path=settings.var_dir / "sessions", create_directories=True)


def _csrf(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret_key, cookie_name="kefu_csrf", header_name="x-csrftoken",
        cookie_secure=settings.secure_cookies, cookie_httponly=True, cookie_samesite="lax",
        # The API authenticates with bearer tokens, which a browser never sends on its own.
        exclude=["/api/", "/healthz"],
    )


def _openapi() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="kefu API", version="1", path="/api/schema",
        description="The JSON API for integrations: a tenant's bearer token (`Authorization: Bearer kf_…`).",
        components=Components(security_schemes={
            "bearer": SecurityScheme(type="http", scheme="bearer", description="kf_<tenant id>_<secret>"),
        }),
        security=[{"bearer": []}],
        render_plugins=[JsonRenderPlugin(path=["/", "/openapi.json"])],
    )


def create_app(
    settings: Settings | None = None, *, start_pool: bool = False, embedded_scheduler: bool = False
) -> Litestar:
    settings = settings or get_settings()
    all_packs()  # a broken pack stops start-up with its file and key, not a request later
    load_jobs()
    sessions = RotatingSessionConfig(
        store="sessions", key="kefu_session", max_age=settings.session_max_age,
        secure=settings.secure_cookies, httponly=True, samesite="lax", renew_on_access=True,
    )
    static = create_static_files_router(
        path="/static", directories=[settings.static_dir], name="static", include_in_schema=False
    )
    handlers = route_handlers()
    api = [h for h in handlers if _is_api(h)]
    # The OpenAPI schema documents the JSON API only: the HTML pages are left out of it.
    pages = Router(path="/", route_handlers=[h for h in handlers if not _is_api(h)], include_in_schema=False)
    app = Litestar(
        route_handlers=[*api, pages, static],
        middleware=[request_id_middleware, sessions.middleware, form_gate_middleware],
        before_send=[security_headers(settings.is_production)],
        csrf_config=_csrf(settings),
        stores={"sessions": _session_store(settings)},
        before_request=_before_request,
        guards=[bounded_path_ids],
        exception_handlers={
            FieldError: http_errors.field_error_handler,
            ValidationException: http_errors.validation_handler,
            HTTPException: http_errors.http_exception_handler,
            Exception: http_errors.internal_error_handler,
        },
        lifespan=[_lifespan(settings, start_pool=start_pool, embedded_jobs=embedded_scheduler)],
        request_max_body_size=MAX_BODY,
        openapi_config=_openapi(),
        plugins=[ClosedStructSchemaPlugin()],
        logging_config=None,
        debug=False,
    )
    _fresh_options_allow(app)
    return app


def _fresh_options_allow(app: Litestar) -> None:
    """OPTIONS answers `Allow` with every method the path serves (RFC 9110 9.3.7).

    Litestar builds a path's automatic OPTIONS handler with the first route object made for the
    path and reads that route's methods; when a second controller (or a handler declared later)
    adds GET or POST to the same path, the route is rebuilt but the OPTIONS handler keeps the
    first one, so `Allow` left a served method out (schemathesis ST205). The first route object
    is given the full set."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name != "options_handler":
                continue
            for cell in handler.fn.__closure__ or ():
                if isinstance(cell.cell_contents, HTTPRoute):
                    cell.cell_contents.methods = route.methods


logging.getLogger("kefu").setLevel(logging.INFO)


def serve_app() -> Litestar:
    """The factory `kefu serve` hands to uvicorn: a pool, and in embedded mode the scheduler."""
    settings = get_settings()
    return create_app(settings, start_pool=True, embedded_scheduler=settings.embedded_broker)
