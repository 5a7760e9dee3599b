"""`kefu tenant | user | token`: what a platform operator sets up by hand."""

from __future__ import annotations

import argparse

from kefu.cli.base import CliError, run, tenant_of


def cmd_tenant_create(args: argparse.Namespace) -> None:
    from kefu.tenancy.services import create_tenant

    async def go() -> None:
        tenant = await create_tenant(slug=args.slug, name=args.name, kind=args.kind)
        print(f"created tenant {tenant.slug} ({tenant.kind}) id={tenant.id}")

    run(go())


def cmd_tenant_list(args: argparse.Namespace) -> None:
    from kefu.tenancy.tables import Tenant

    async def go() -> None:
        for t in await Tenant.select().order_by(Tenant.slug):
            print(f"{t['slug']}\t{t['kind']}\t{t['name']}")

    run(go())


def cmd_user_create(args: argparse.Namespace) -> None:
    from kefu.accounts.services import create_user
    from kefu.core.packs import get_pack
    from kefu.tenancy.services import add_member

    if bool(args.tenant) != bool(args.position):
        raise CliError("--tenant and --position go together")
    if not args.tenant and not args.superuser:
        raise CliError("give --tenant SLUG --position CODE, or --superuser")

    async def go() -> None:
        tenant = None
        if args.tenant:
            tenant = await tenant_of(args.tenant)
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

    run(go())


def cmd_token_create(args: argparse.Namespace) -> None:
    from kefu.accounts.tables import User
    from kefu.tenancy.services import create_api_token

    async def go() -> None:
        tenant = await tenant_of(args.tenant)
        user = await User.objects().where(User.email == args.email.strip().lower()).first()
        if user is None:
            raise CliError(f"no user {args.email!r}")
        print(await create_api_token(tenant=tenant, user=user, label=args.label or "cli"))

    run(go())
