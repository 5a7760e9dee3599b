"""`kefu`: serve | worker | scheduler | migrate | migrations-drift | tenant | user | token | holidays | units | demo.

Errors are one clear line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any

from kefu.cli import admin, data, service
from kefu.cli.base import CliError

Adder = Callable[..., argparse.ArgumentParser]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kefu", description="kefu customer-service platform")
    sub = parser.add_subparsers(dest="command", required=True)

    def adder(parent: Any) -> Adder:
        def add(name: str, fn: Callable[..., Any], help_: str) -> argparse.ArgumentParser:
            p: argparse.ArgumentParser = parent.add_parser(name, help=help_)
            p.set_defaults(fn=fn)
            return p

        return add

    def group(name: str, help_: str) -> Adder:
        return adder(sub.add_parser(name, help=help_).add_subparsers(dest=f"{name}_command", required=True))

    _service_commands(adder(sub))
    _admin_commands(group("tenant", "tenants"), group("user", "users"), group("token", "API tokens"))
    _data_commands(group("holidays", "official holiday schedule"), group("units", "property units"))
    return parser


def _service_commands(add: Adder) -> None:
    p = add("serve", service.cmd_serve, "serve the web app")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p = add("worker", service.cmd_worker, "run background jobs (needs KEFU_REDIS_URL)")
    p.add_argument("--threads", type=int, default=4)
    add("scheduler", service.cmd_scheduler, "enqueue periodic sweeps every minute (needs KEFU_REDIS_URL)")
    add("migrate", service.cmd_migrate, "apply database migrations")
    add("migrations-drift", service.cmd_drift, "fail if the models differ from the migrations")
    add("demo", service.cmd_demo, "load the demo tenants and staff")


def _admin_commands(tenant: Adder, user: Adder, token: Adder) -> None:
    p = tenant("create", admin.cmd_tenant_create, "create a tenant")
    p.add_argument("--slug", required=True)
    p.add_argument("--name", required=True)
    p.add_argument("--kind", required=True)
    tenant("list", admin.cmd_tenant_list, "list tenants")
    p = user("create", admin.cmd_user_create, "create a user")
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--name")
    p.add_argument("--tenant")
    p.add_argument("--position")
    p.add_argument("--superuser", action="store_true")
    p = token("create", admin.cmd_token_create, "print a new API token for a tenant member")
    p.add_argument("--tenant", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--label")


def _data_commands(holidays: Adder, units: Adder) -> None:
    p = holidays("load", data.cmd_holidays_load,
                 "load or correct a year: lines `YYYY-MM-DD off|work [note]`, a line `final` for the final schedule")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--final", action="store_true", help="the year's final schedule (it must name every statutory holiday)")
    p.add_argument("file")
    p = holidays("set", data.cmd_holidays_set, "override one day (any year): off or work")
    p.add_argument("day")
    p.add_argument("kind", choices=["off", "work"])
    p.add_argument("--note")
    p = units("link-customers", data.cmd_units_link_customers,
              "link owners and residents to the units their free-text building and flat name")
    p.add_argument("--tenant", required=True)


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

