"""`python -m bench.desk`: the property desk's figures of `make bench` (issue 13), as ratios
measured in one run, in a throwaway PostgreSQL database (bench/database.py):

1. Desk search at N units × 3 residents (20,000 by default): the p95 of
   kefu.units.queries.desk_search for each kind of lookup (address "7-2-1503", the last four
   digits of a phone, a full phone, a name) ÷ the p95 of one hand-written SQL statement doing
   the same lookup, each call in its own read transaction with the tenant set.
2. Bill generation for the N units: kefu.fees.services.generate_bills (units read a batch at a
   time, one INSERT per batch, the audit row) ÷ a raw bulk insert of the same rows, prepared
   before its timer starts (one INSERT … SELECT FROM unnest).

The last line printed is the JSON of every figure.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from bench.database import BenchDatabase
from bench.options import DEFAULT_ADMIN_URL

SLUG = "bench-desk"
ENTRANCES, FLOORS, ROOMS = 2, 25, 20  # 1,000 units a building
SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高", "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超华慧英"
PERIOD = date(2026, 3, 1)

_PAGE = "SELECT u.id, b.name, u.entrance, u.room, u.occupancy, c.name, c.phone, r.role"
RAW = {  # one statement per lookup, what the page shows: resident, phone, role, unit, occupancy
    "address": f"""{_PAGE}
        FROM unit u JOIN building b ON b.id = u.building_id
        LEFT JOIN residency r ON r.tenant_id = u.tenant_id AND r.unit_id = u.id AND r.ends_on IS NULL
        LEFT JOIN customer c ON c.id = r.customer_id
        WHERE u.tenant_id = {{}} AND u.address_key = {{}}""",
    "tail": f"""{_PAGE}
        FROM residency r JOIN unit u ON u.id = r.unit_id JOIN building b ON b.id = u.building_id
        JOIN customer c ON c.id = r.customer_id
        WHERE r.tenant_id = {{}} AND r.phone_tail = {{}} AND r.ends_on IS NULL LIMIT 20""",
    "name": f"""{_PAGE}
        FROM customer c LEFT JOIN residency r ON r.tenant_id = c.tenant_id AND r.customer_id = c.id
        LEFT JOIN unit u ON u.id = r.unit_id LEFT JOIN building b ON b.id = u.building_id
        WHERE c.tenant_id = {{}} AND c.name = {{}} LIMIT 20""",
    "phone": f"""{_PAGE}
        FROM customer c LEFT JOIN residency r ON r.tenant_id = c.tenant_id AND r.customer_id = c.id
        LEFT JOIN unit u ON u.id = r.unit_id LEFT JOIN building b ON b.id = u.building_id
        WHERE c.tenant_id = {{}} AND c.phone = {{}} LIMIT 20""",
}
RAW_BILLS = """
INSERT INTO bill (tenant_id, unit_id, item_id, period, days, quantity, amount, paid, due_on, created_at)
SELECT {}::integer, x.u, x.i, {}::date, x.d, x.q, x.a, 0, {}::date, now()
FROM unnest({}::integer[], {}::integer[], {}::integer[], {}::numeric[], {}::numeric[]) AS x(u, i, d, q, a)
"""


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Options:
    admin_url: str
    units: int
    residents: int
    runs: int
    repeats: int
    keep: bool


def parse(argv: list[str] | None = None) -> Options:
    p = argparse.ArgumentParser(prog="python -m bench.desk", description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", default=os.environ.get("KEFU_BENCH_DATABASE_URL", DEFAULT_ADMIN_URL),
                   help="a superuser admin URL (default: $KEFU_BENCH_DATABASE_URL or %(default)s)")
    p.add_argument("--units", type=int, default=20_000, help="units, 1,000 a building (default %(default)s)")
    p.add_argument("--residents", type=int, default=3, help="residents per unit (default %(default)s)")
    p.add_argument("--runs", type=int, default=200, help="timed searches per lookup and side (default %(default)s)")
    p.add_argument("--repeats", type=int, default=3, help="bill generations per side (default %(default)s)")
    p.add_argument("--keep", action="store_true")
    a = p.parse_args(argv)
    if min(a.units, a.residents, a.runs, a.repeats) < 1:
        p.error("counts must be at least 1")
    return Options(a.database_url, a.units, a.residents, a.runs, a.repeats, a.keep)


def person(i: int) -> tuple[str, str]:
    """The i-th resident's name and phone (names repeat every 8,000 people)."""
    return SURNAMES[i % 20] + GIVEN[(i // 20) % 20] + GIVEN[(i // 400) % 20], f"13{i:09d}"


def addresses(n: int) -> list[tuple[int, int, int, str]]:
    """(building, entrance, floor, room) of the first n units."""
    per = ENTRANCES * FLOORS * ROOMS
    return [(k // per + 1, k % per // (FLOORS * ROOMS) + 1, k % (FLOORS * ROOMS) // ROOMS + 1,
             f"{k % (FLOORS * ROOMS) // ROOMS + 1}{k % ROOMS + 1:02d}") for k in range(n)]


async def _insert(table: Any, rows: list[Any]) -> list[int]:
    from kefu.core import imports

    cols = [c for c in table._meta.columns if not c._meta.primary_key]
    ids: list[int] = []
    for start in range(0, len(rows), imports.BATCH):
        lines = [[getattr(r, c._meta.name) for c in cols] for r in rows[start:start + imports.BATCH]]
        ids += await imports.insert_rows(table, [c._meta.db_column_name for c in cols], lines)
    return ids


async def seed(tenant_id: int, opts: Options) -> None:
    """The units, their buildings (kefu's building_for) and residents, inserted in batches."""
    from kefu.customers.tables import Customer
    from kefu.units.services import building_for
    from kefu.units.tables import Residency, Unit

    places = addresses(opts.units)
    buildings = {b: (await building_for(tenant_id, f"{b}栋")).id for b in sorted({p[0] for p in places})}
    unit_ids = await _insert(Unit, [
        Unit(tenant=tenant_id, building=buildings[b], entrance=str(e), room=room, floor=f,
             address_key=f"{b}|{e}|{room}", area=Decimal("88.50"), use="residential", occupancy="owner_occupied")
        for b, e, f, room in places])
    people = [Customer(tenant=tenant_id, kind="owner" if i % opts.residents == 0 else "resident", household="",
                       name=person(i)[0], phone=person(i)[1]) for i in range(len(unit_ids) * opts.residents)]
    people_ids = await _insert(Customer, people)
    await _insert(Residency, [
        Residency(tenant=tenant_id, unit=unit_ids[n // opts.residents], customer=cid,
                  role="owner" if n % opts.residents == 0 else "resident", phone_tail=people[n].phone[-4:])
        for n, cid in enumerate(people_ids)])


def pcts(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 3),
            "p95_ms": round(ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000, 3)}


def ratio(a: float, b: float) -> float | None:
    return round(a / b, 2) if b else None


async def _timed(tenant_id: int, runs: int, fn: Any) -> tuple[dict[str, float], int]:
    from kefu.db import transaction

    samples, rows = [], 0
    for _ in range(runs):
        async with transaction(tenant_id, write=False):
            started = time.perf_counter()
            rows = len(await fn())
            samples.append(time.perf_counter() - started)
    return pcts(samples), rows


async def search_figures(ctx: Any, opts: Options) -> dict[str, Any]:
    """Each lookup of a unit in the middle of the estate, and of its owner, both ways."""
    from kefu.units.queries import desk_search
    from kefu.units.tables import Unit

    k = opts.units // 2
    b, e, _, room = addresses(opts.units)[k]
    name, phone = person(k * opts.residents)
    cases = {"address": (f"{b}-{e}-{room}", f"{b}|{e}|{room}"), "tail": (phone[-4:], phone[-4:]),
             "phone": (phone, phone), "name": (name, name)}
    found: dict[str, Any] = {}
    for case, (q, arg) in cases.items():
        await _timed(ctx.tenant_id, 10, lambda q=q: desk_search(ctx, q))  # warm-up
        page, page_rows = await _timed(ctx.tenant_id, opts.runs, lambda q=q: desk_search(ctx, q))
        raw, raw_rows = await _timed(ctx.tenant_id, opts.runs,
                                     lambda case=case, a=arg: Unit.raw(RAW[case], ctx.tenant_id, a))
        if not page_rows or not raw_rows:
            raise RuntimeError(f"{case} {q!r}: the desk found {page_rows} rows, the raw SQL {raw_rows}")
        found[case] = {"q": q, "desk_search": page, "raw_sql": raw, "rows": page_rows,
                       "ratio_p95": ratio(page["p95_ms"], raw["p95_ms"])}
    found["worst_ratio_p95"] = max(v["ratio_p95"] or 0 for v in found.values())
    return found


async def _bill_rows(tenant_id: int) -> list[dict[str, Any]]:
    from kefu.fees.tables import Bill

    return await Bill.select(Bill.unit.as_alias("unit"), Bill.item.as_alias("item"), Bill.days, Bill.quantity,
                             Bill.amount, Bill.due_on).where(Bill.tenant == tenant_id)


async def bill_figures(ctx: Any, opts: Options) -> dict[str, Any]:
    """generate_bills, then the same rows by one raw statement, `repeats` times each."""
    from kefu.db import transaction
    from kefu.fees import services
    from kefu.fees.tables import Bill

    async with transaction(ctx.tenant_id):
        await services.add_default_items(ctx, date(2020, 1, 1))
    app_s, raw_s, made = [], [], 0
    for _ in range(opts.repeats):
        started = time.perf_counter()
        async with transaction(ctx.tenant_id):
            made = await services.generate_bills(ctx, PERIOD)
        app_s.append(time.perf_counter() - started)
        async with transaction(ctx.tenant_id):
            rows = await _bill_rows(ctx.tenant_id)
            await Bill.delete().where(Bill.tenant == ctx.tenant_id)
        columns = [[r[key] for r in rows] for key in ("unit", "item", "days", "quantity", "amount")]
        started = time.perf_counter()
        async with transaction(ctx.tenant_id):
            await Bill.raw(RAW_BILLS, ctx.tenant_id, PERIOD, rows[0]["due_on"], *columns)
        raw_s.append(time.perf_counter() - started)
        async with transaction(ctx.tenant_id):
            copied = len(await _bill_rows(ctx.tenant_id))
            await Bill.delete().where(Bill.tenant == ctx.tenant_id)
        if made != len(rows) or copied != made or not made:
            raise RuntimeError(f"bills: generate_bills made {made}, read back {len(rows)}, raw insert {copied}")
    return {"units": opts.units, "bills": made, "repeats": opts.repeats,
            "app_s": [round(s, 3) for s in app_s], "raw_s": [round(s, 3) for s in raw_s],
            "app_vs_raw_median": ratio(statistics.median(app_s), statistics.median(raw_s))}


async def _context(tenant: Any) -> Any:
    from kefu.accounts.services import create_user
    from kefu.core.packs import get_pack
    from kefu.core.tenancy import TenantContext
    from kefu.tenancy.services import add_member

    user = await create_user(email="desk@bench.invalid", name="基准经理", password="bench-" + "x" * 16)
    membership = await add_member(tenant=tenant, user=user, positions=["manager"])
    pack = get_pack(tenant.kind)
    return TenantContext(tenant=tenant, user=user, membership=membership, pack=pack,
                         permissions=pack.permissions_of(membership.held_positions()))


async def _measure(opts: Options, db: BenchDatabase) -> dict[str, Any]:
    from kefu.db import current_engine, transaction
    from kefu.tenancy.services import create_tenant

    engine = current_engine()
    await engine.start_connection_pool(min_size=1, max_size=2)
    try:
        tenant = await create_tenant(slug=SLUG, name="前台基准物业", kind="property")
        ctx = await _context(tenant)
        started = time.perf_counter()
        async with transaction(tenant.id):
            await seed(tenant.id, opts)
        say(f"seeded {opts.units:,} units × {opts.residents} residents in {time.perf_counter() - started:.1f} s")
        await db_analyze(db)
        search = await search_figures(ctx, opts)
        say("desk search measured")
        bills = await bill_figures(ctx, opts)
    finally:
        await engine.close_connection_pool()
    return {"units": opts.units, "residents_per_unit": opts.residents, "runs": opts.runs,
            "search": search, "bills": bills}


async def db_analyze(db: BenchDatabase) -> None:
    import asyncpg

    owner = await asyncpg.connect(db.owner_url)
    try:
        await owner.execute("VACUUM ANALYZE unit, building, residency, customer, bill")
    finally:
        await owner.close()


async def _run(opts: Options) -> int:
    db = BenchDatabase(opts.admin_url)
    say(f"creating database {db.name}")
    await db.create()
    try:
        env = db.kefu_env()
        for key in [k for k in os.environ if k.startswith("KEFU_")]:
            del os.environ[key]
        os.environ.update(env)  # before kefu reads its settings
        say("migrating as the owner (python -m kefu.cli migrate)")
        db.migrate(env)
        result = await _measure(opts, db)
        s, b = result["search"], result["bills"]
        for case in ("address", "tail", "phone", "name"):
            print(f"desk search by {case} ({s[case]['q']}): p95 {s[case]['desk_search']['p95_ms']} ms, "
                  f"raw SQL {s[case]['raw_sql']['p95_ms']} ms, ratio {s[case]['ratio_p95']}")
        print(f"bills for {b['units']:,} units ({b['bills']:,} bills): generate_bills median "
              f"{statistics.median(b['app_s']):.2f} s, raw bulk insert {statistics.median(b['raw_s']):.2f} s, "
              f"ratio {b['app_vs_raw_median']}")
        print(json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    finally:
        if opts.keep:
            say(f"kept database {db.name}; owner URL {db.owner_url}")
        else:
            await db.drop()
            say(f"dropped database {db.name}")


def main(argv: list[str] | None = None) -> int:
    return asyncio.run(_run(parse(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
