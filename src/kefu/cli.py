"""`kefu`: serve | worker | scheduler | migrate | migrations-drift | tenant | user | token | units | demo.

Errors are one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Coroutine
from typing import Any


class CliError(Exception):
    pass


def _run(coro: Coroutine[Any, Any, Any]) -> None:
    asyncio.run(coro)


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

    _run(migrate())
    print("migrations applied")


def cmd_drift(args: argparse.Namespace) -> None:
    from kefu.migrate import drift

    created = drift()
    if created:
        raise CliError("models and migrations differ; `piccolo migrations new --auto` created: " + ", ".join(created))
    print("no drift: the models match the migrations")


def cmd_tenant_create(args: argparse.Namespace) -> None:
    from kefu.tenancy.services import create_tenant

    async def go() -> None:
        tenant = await create_tenant(slug=args.slug, name=args.name, kind=args.kind)
        print(f"created tenant {tenant.slug} ({tenant.kind}) id={tenant.id}")

    _run(go())


def cmd_tenant_list(args: argparse.Namespace) -> None:
    from kefu.tenancy.tables import Tenant

    async def go() -> None:
        for t in await Tenant.select().order_by(Tenant.slug):
            print(f"{t['slug']}\t{t['kind']}\t{t['name']}")

    _run(go())


def cmd_user_create(args: argparse.Namespace) -> None:
    from kefu.accounts.services import create_user
    from kefu.core.packs import get_pack
    from kefu.tenancy.services import add_member
    from kefu.tenancy.tables import Tenant

    if bool(args.tenant) != bool(args.position):
        raise CliError("--tenant and --position go together")
    if not args.tenant and not args.superuser:
        raise CliError("give --tenant SLUG --position CODE, or --superuser")

    async def go() -> None:
        tenant = None
        if args.tenant:
            tenant = await Tenant.objects().where(Tenant.slug == args.tenant).first()
            if tenant is None:
                raise CliError(f"no tenant {args.tenant!r}")
            positions = get_pack(tenant.kind).positions
            if args.position not in positions:  # check before the user exists: nothing half-made
                raise CliError(
                    f"--position: no position {args.position!r} for {tenant.kind} tenants; "
                    f"known: {', '.join(positions)}"
                )
        user = await create_user(email=args.email, name=args.name or args.email.split("@")[0], password=args.password, is_superuser=args.superuser)
        if tenant:
            await add_member(tenant=tenant, user=user, positions=[args.position])
        print(f"created user {user.email}" + (f" as {args.position} in {tenant.slug}" if tenant else " (superuser)"))

    _run(go())


def cmd_token_create(args: argparse.Namespace) -> None:
    from kefu.accounts.tables import User
    from kefu.tenancy.services import create_api_token
    from kefu.tenancy.tables import Tenant

    async def go() -> None:
        tenant = await Tenant.objects().where(Tenant.slug == args.tenant).first()
        if tenant is None:
            raise CliError(f"no tenant {args.tenant!r}")
        user = await User.objects().where(User.email == args.email.strip().lower()).first()
        if user is None:
            raise CliError(f"no user {args.email!r}")
        print(await create_api_token(tenant=tenant, user=user, label=args.label or "cli"))

    _run(go())


def _loaded_line(year: int, loaded: object) -> str:
    from kefu.holidays.services import Loaded

    assert isinstance(loaded, Loaded)
    state = "final" if loaded.final else "provisional"
    line = f"loaded {loaded.count} days for {year} ({state}); {len(loaded.changed)} days changed"
    if loaded.missing:
        line += "; not final: the file does not name " + ", ".join(loaded.missing)
    return line


def cmd_holidays_load(args: argparse.Namespace) -> None:
    from pathlib import Path

    from kefu.holidays.services import load_year
    from kefu.workers.registry import load_jobs

    load_jobs()  # modules register their AFTER_LOAD listeners (deadline recompute) on import

    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"cannot read {args.file}: {exc}") from None

    async def go() -> None:
        print(_loaded_line(args.year, await load_year(args.year, text, final=args.final)))

    _run(go())


def cmd_holidays_set(args: argparse.Namespace) -> None:
    from datetime import date

    from kefu.holidays.services import set_day
    from kefu.workers.registry import load_jobs

    load_jobs()

    try:
        day = date.fromisoformat(args.day)
    except ValueError:
        raise CliError("day: expected a date as YYYY-MM-DD") from None

    async def go() -> None:
        loaded = await set_day(day, args.kind == "work", args.note or "")
        print(f"{day.isoformat()} is now a {'working day' if args.kind == 'work' else 'day off'}"
              f" ({'changed' if loaded.changed else 'unchanged'})")

    _run(go())


def cmd_units_link_customers(args: argparse.Namespace) -> None:
    from kefu.tenancy.tables import Tenant
    from kefu.units.services import link_customers

    async def go() -> None:
        tenant = await Tenant.objects().where(Tenant.slug == args.tenant).first()
        if tenant is None:
            raise CliError(f"no tenant {args.tenant!r}")
        report = await link_customers(tenant.id, None)
        print(f"linked {report.linked}, linked before {report.already}, not matched {len(report.unmatched)}")
        for c in report.unmatched:
            print(f"  not matched ({c['reason']}): #{c['id']} {c['name']} | {c['building']} | {c['unit']}")

    _run(go())


def cmd_demo(args: argparse.Namespace) -> None:
    from kefu.demo import load_demo

    _run(load_demo(print))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="kefu customer-service platform")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(
        name: str, fn: Callable[..., Any], help_: str,
        parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub,
    ) -> argparse.ArgumentParser:
        p = parent.add_parser(name, help=help_)
        p.set_defaults(fn=fn)
        return p

    p = add("serve", cmd_serve, "serve the web app")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p = add("worker", cmd_worker, "run background jobs (needs KEFU_REDIS_URL)")
    p.add_argument("--threads", type=int, default=4)
    add("scheduler", cmd_scheduler, "enqueue periodic sweeps every minute (needs KEFU_REDIS_URL)")
    add("migrate", cmd_migrate, "apply database migrations")
    add("migrations-drift", cmd_drift, "fail if the models differ from the migrations")
    tenant = sub.add_parser("tenant", help="tenants").add_subparsers(dest="tenant_command", required=True)
    p = add("create", cmd_tenant_create, "create a tenant", tenant)
    p.add_argument("--slug", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True)
    add("list", cmd_tenant_list, "list tenants", tenant)
    user = sub.add_parser("user", help="users").add_subparsers(dest="user_command", required=True)
    p = add("create", cmd_user_create, "create a user", user)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--name")
    p.add_argument("--tenant")
    p.add_argument("--position")
    p.add_argument("--superuser", action="store_true")
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="token_command", required=True)
    p = add("create", cmd_token_create, "print a new API token for a tenant member", token)
    p.add_argument("--tenant", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--label")
    holidays = sub.add_parser("holidays", help="official holiday schedule").add_subparsers(dest="holidays_command", required=True)
    p = add("load", cmd_holidays_load,
            "load or correct a year: lines `YYYY-MM-DD off|work [note]`, a line `final` for the final schedule",
            holidays)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--final", action="store_true",
                   help="the year's final schedule (it must name every statutory holiday)")
    p.add_argument("file")
    p = add("set", cmd_holidays_set, "override one day (any year): off or work", holidays)
    p.add_argument("day")
    p.add_argument("kind", choices=["off", "work"])
    p.add_argument("--note")
    units = sub.add_parser("units", help="property units").add_subparsers(dest="units_command", required=True)
    p = add("link-customers", cmd_units_link_customers,
            "link owners and residents to the units their free-text building and flat name", units)
    p.add_argument("--tenant", required=True)
    add("demo", cmd_demo, "load the demo tenants and staff")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in ("migrate", "migrations-drift"):
        os.environ["KEFU_DB_ROLE"] = "migrate"  # before the engine is built
    from kefu.core.errors import FieldError
    from kefu.core.packs import PackError
    from kefu.settings import SettingsError

    try:
        args.fn(args)
    except FieldError as exc:
        _fail(f"{exc.field}: {exc.translated()}")
        return 1
    except (CliError, SettingsError, PackError) as exc:
        _fail(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line, not a trace (KEFU_DEBUG=1 shows it)
        if os.environ.get("KEFU_DEBUG"):
            raise
        _fail(f"{type(exc).__name__}: {exc}")
        return 1
    return 0


def _fail(message: str) -> None:
    """Errors are one line, even when they quote a multi-line message (piccolo's output)."""
    print("error: " + " | ".join(line.strip() for line in message.splitlines() if line.strip()), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
