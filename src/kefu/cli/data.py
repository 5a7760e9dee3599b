"""`kefu holidays | units`: the official calendar, and units linked to their residents."""

from __future__ import annotations

import argparse

from kefu.cli.base import CliError, run, tenant_of


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

    run(go())


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

    run(go())


def cmd_units_link_customers(args: argparse.Namespace) -> None:
    from kefu.units.services import link_customers

    async def go() -> None:
        tenant = await tenant_of(args.tenant)
        report = await link_customers(tenant.id, None)
        print(f"linked {report.linked}, linked before {report.already}, not matched {len(report.unmatched)}")
        for c in report.unmatched:
            print(f"  not matched ({c['reason']}): #{c['id']} {c['name']} | {c['building']} | {c['unit']}")

    run(go())
