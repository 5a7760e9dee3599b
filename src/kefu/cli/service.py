"""`kefu serve | worker | scheduler | migrate | migrations-drift | demo`: running kefu."""

from __future__ import annotations

import argparse

from kefu.cli.base import CliError, run


def cmd_serve(args: argparse.Namespace) -> None:
    import uvicorn

    from kefu.settings import get_settings

    settings = get_settings()
    host, port = args.host or settings.host, args.port or settings.port
    workers = 1 if settings.embedded_broker else settings.workers
    mode = "embedded (in-process Dramatiq worker and scheduler)" if settings.embedded_broker else "production"
    print(f"kefu serving on http://{host}:{port} — {mode}", flush=True)
    # proxy_headers=False: uvicorn would take X-Forwarded-For from 127.0.0.1 by default; kefu
    # reads it itself, only from KEFU_TRUSTED_PROXIES (kefu.core.public.client_address).
    uvicorn.run(
        "kefu.app:serve_app", factory=True, host=host, port=port, workers=workers,
        proxy_headers=False, log_level="info", access_log=False,
    )


def cmd_worker(args: argparse.Namespace) -> None:
    from kefu.workers.process import RedisRequired, run_worker

    try:
        run_worker(threads=args.threads)
    except RedisRequired as exc:
        raise CliError(str(exc)) from None


def cmd_scheduler(args: argparse.Namespace) -> None:
    from kefu.workers.process import RedisRequired, run_scheduler_process

    try:
        run_scheduler_process()
    except RedisRequired as exc:
        raise CliError(str(exc)) from None


def cmd_migrate(args: argparse.Namespace) -> None:
    from kefu.migrate import migrate

    run(migrate())
    print("migrations applied")


def cmd_drift(args: argparse.Namespace) -> None:
    from kefu.migrate import drift

    created = drift()
    if created:
        raise CliError("models and migrations differ; `piccolo migrations new --auto` created: " + ", ".join(created))
    print("no drift: the models match the migrations")


def cmd_demo(args: argparse.Namespace) -> None:
    from kefu.demo import load_demo

    run(load_demo(print))
