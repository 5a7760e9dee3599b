"""create_app(settings) -> Litestar: routes, sessions, CSRF, errors, and the embedded worker."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from litestar import Litestar
from litestar.config.csrf import CSRFConfig
from litestar.exceptions import HTTPException, ValidationException
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.redis import RedisStore

from kefu.core import http_errors
from kefu.core.errors import FieldError
from kefu.core.packs import all_packs
from kefu.core.requests import request_id_middleware
from kefu.core.sessions import RotatingSessionConfig
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


def create_app(
    settings: Settings | None = None, *, start_pool: bool = False, embedded_scheduler: bool = False
) -> Litestar:
    settings = settings or get_settings()
    all_packs()  # a broken pack stops start-up with its file and key, not a request later
    load_jobs()
    session_store: Store
    if settings.redis_url:
        session_store = RedisStore.with_client(url=settings.redis_url, namespace="kefu-sessions")
    else:
        session_store = FileStore(path=settings.var_dir / "sessions", create_directories=True)
    sessions = RotatingSessionConfig(
        store="sessions", key="kefu_session", max_age=settings.session_max_age,
        secure=settings.secure_cookies, httponly=True, samesite="lax",
    )
    csrf = CSRFConfig(
        secret=settings.secret_key, cookie_name="kefu_csrf", header_name="x-csrftoken",
        cookie_secure=settings.secure_cookies, cookie_httponly=True, cookie_samesite="lax",
        # The API authenticates with bearer tokens, which a browser never sends on its own.
        exclude=["/api/", "/healthz"],
    )
    static = create_static_files_router(
        path="/static", directories=[settings.static_dir], name="static", include_in_schema=False
    )
    return Litestar(
        route_handlers=[*route_handlers(), static],
        middleware=[request_id_middleware, sessions.middleware],
        csrf_config=csrf,
        stores={"sessions": session_store},
        before_request=load_user,
        exception_handlers={
            FieldError: http_errors.field_error_handler,
            ValidationException: http_errors.validation_handler,
            HTTPException: http_errors.http_exception_handler,
            Exception: http_errors.internal_error_handler,
        },
        lifespan=[_lifespan(settings, start_pool=start_pool, embedded_jobs=embedded_scheduler)],
        request_max_body_size=MAX_BODY,
        openapi_config=None,
        logging_config=None,
        debug=False,
    )


logging.getLogger("kefu").setLevel(logging.INFO)


def serve_app() -> Litestar:
    """The factory `kefu serve` hands to uvicorn: a pool, and in embedded mode the scheduler."""
    settings = get_settings()
    return create_app(settings, start_pool=True, embedded_scheduler=settings.embedded_broker)
