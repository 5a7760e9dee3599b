"""Command-line options and the data set's size."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

DEFAULT_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass(frozen=True)
class Options:
    admin_url: str
    tenants: int  # ordinary tenants
    per_tenant: int  # complaints in each ordinary tenant
    big: int  # complaints in the big tenant (all open)
    open_share: float  # share of an ordinary tenant's complaints still open
    due_share: float  # share of open complaints whose reminder the next sweep owes
    warmup: int
    requests: int
    concurrency: tuple[int, ...]
    series_seconds: float
    plan_cache_mode: str | None
    keep: bool
    json_only: bool
    plans: bool


def _positive(value: str) -> float:
    number = float(value)
    if number <= 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return number


def parse(argv: list[str] | None = None) -> Options:
    p = argparse.ArgumentParser(
        prog="python -m bench",
        description="Worklist and reminder-sweep benchmark on PostgreSQL (ratios of one run).",
    )
    p.add_argument("--database-url", default=os.environ.get("KEFU_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL),
                   help="a superuser admin URL (default: $KEFU_BENCH_DATABASE_URL or %(default)s)")
    p.add_argument("--scale", type=_positive, default=1.0,
                   help="shrink (or grow) every count: 0.01 is 10 tenants × 10 complaints + 10,000")
    p.add_argument("--tenants", type=int, help="ordinary tenants (default 1,000 × scale)")
    p.add_argument("--per-tenant", type=int, help="complaints per ordinary tenant (default 1,000 × scale)")
    p.add_argument("--big", type=int, help="complaints of the big tenant (default 1,000,000 × scale)")
    p.add_argument("--open-share", type=float, default=0.3,
                   help="share of an ordinary tenant's complaints that are open (default %(default)s)")
    p.add_argument("--due-share", type=float, default=0.005,
                   help="share of open complaints whose reminder is due at the sweep (default %(default)s)")
    p.add_argument("--warmup", type=int, default=50, help="warm-up requests per series (default %(default)s)")
    p.add_argument("--requests", type=int, default=500, help="measured requests per series (default %(default)s)")
    p.add_argument("--concurrency", default="1,8", help="client concurrency levels (default %(default)s)")
    p.add_argument("--series-seconds", type=_positive, default=60,
                   help="time budget of one measured series; a slower page is measured with fewer "
                        "requests (default %(default)s)")
    p.add_argument("--plan-cache-mode", choices=("auto", "force_custom_plan", "force_generic_plan"),
                   help="ALTER DATABASE … SET plan_cache_mode for this run (to measure a fix; "
                        "default: the server's own setting)")
    p.add_argument("--keep", action="store_true", help="keep the database (and its app role) at the end")
    p.add_argument("--plans", action="store_true", help="also print the full EXPLAIN ANALYZE texts")
    p.add_argument("--json-only", action="store_true", help="print only the JSON line")
    a = p.parse_args(argv)

    def scaled(explicit: int | None, full: int, floor: int) -> int:
        return explicit if explicit is not None else max(floor, round(full * a.scale))

    levels = tuple(int(x) for x in a.concurrency.split(",") if x.strip())
    if not levels or min(levels) < 1:
        p.error("--concurrency: positive whole numbers, e.g. 1,8")
    opts = Options(
        admin_url=a.database_url,
        tenants=scaled(a.tenants, 1_000, 2),
        per_tenant=scaled(a.per_tenant, 1_000, 10),
        big=scaled(a.big, 1_000_000, 100),
        open_share=a.open_share,
        due_share=a.due_share,
        warmup=a.warmup,
        requests=a.requests,
        concurrency=levels,
        series_seconds=a.series_seconds,
        plan_cache_mode=a.plan_cache_mode,
        keep=a.keep,
        json_only=a.json_only,
        plans=a.plans,
    )
    if opts.tenants < 1 or opts.per_tenant < 1 or opts.big < 1 or opts.requests < 1:
        p.error("counts must be at least 1")
    if not (0 <= opts.open_share <= 1 and 0 <= opts.due_share <= 1):
        p.error("--open-share and --due-share are between 0 and 1")
    return opts
