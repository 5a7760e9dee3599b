"""The bulk load: tenants, staff and complaints written with `INSERT … SELECT … generate_series`
as the database owner, tenant ids set explicitly.

The owner is the admin URL's superuser (`kefu migrate` needs one to ALTER ROLE … NOSUPERUSER
the app role, as in tests/conftest.py): it loads every tenant in one statement with
`row_security = off` (a superuser bypasses RLS anyway; the setting makes a mistake an error
rather than a silent WITH CHECK failure).

The complaint table's secondary indexes are dropped for the load and rebuilt from their own
definitions afterwards (much faster than maintaining 13 indexes row by row); constraint indexes
stay. Then VACUUM ANALYZE: the state autovacuum would reach on a live system.

The data: ordinary tenants hold `per_tenant` complaints, `open_share` of them open; the big
tenant holds `big` complaints, all open (the sweep is specified over 1M open complaints). Open
complaints were received within the last 60 days; their deadlines follow the statuses the way
policy.current_deadline picks them, and `next_remind_on` is in the steady state a sweep leaves
(the next stage's day, NULL once escalated) except for `due_share` of them, whose reminder the
next sweep owes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

import asyncpg

STAFF_PASSWORD = "bench-password-1234"
BIG_HANDLERS = 20
SMALL_HANDLERS = 2

# Per pack: the measured staff member's position (may view, review, handle) and the handlers'.
POSITIONS = {
    "insurance": ("cs_head", "cs_manager"),
    "property": ("assistant_manager", "relations_supervisor"),
}

PLAN_COLUMNS = ("tenant_id", "n", "open_share", "prefix", "days_before", "cats", "staff", "handlers")


@dataclass(frozen=True)
class Tenant:
    id: int
    slug: str
    kind: str
    staff_email: str
    complaints: int


@dataclass(frozen=True)
class Loaded:
    small: Tenant  # the measured 1,000-complaint tenant
    big: Tenant  # the measured 1,000,000-complaint tenant
    tenants: int
    complaints: int
    open_complaints: int
    big_due: int  # complaints of the big tenant whose reminder the next sweep owes
    seconds: float
    steps: list[tuple[str, float]]


COMPLAINTS_SQL = """
INSERT INTO complaint (
    tenant_id, number, channel, source, received_on, complainant_name, complainant_phone,
    complainant_email, complainant_relation, customer_ref, subject, description, category, status,
    registered_by_id, materials_incomplete, materials_complete_on, period_start_on,
    materials_notice_due, acceptance_notice_due, decision_due, next_due, next_due_kind,
    next_remind_on, handler_id, decision, decided_on, extensions_granted, paused_days,
    paused_since, public_token, is_major, closed_on, created_at, updated_at)
SELECT
    tenant_id,
    prefix || extract(year FROM received_on)::int || '-' || lpad(g::text, greatest(6, length(g::text)), '0'),
    (ARRAY['hotline','hotline','hotline','online','online','email','letter','fax','in_person',
           'regulator'])[1 + floor(r_a * 10)::int],
    (ARRAY['staff','staff','staff','public','api'])[1 + floor(r_b * 5)::int],
    received_on,
    (ARRAY['张伟','王芳','李娜','刘洋','陈静','杨磊','赵敏','黄强','周杰','吴霞','徐丽',
           '孙斌','马超','朱琳','胡军','郭燕','何平','林涛','罗红','高峰'])[1 + floor(r_c * 20)::int],
    '1' || (30 + floor(r_d * 60)::int) || lpad(floor(r_e * 100000000)::bigint::text, 8, '0'),
    CASE WHEN r_a < 0.4 THEN 'c' || g || '@example.cn' ELSE '' END,
    CASE WHEN r_b < 0.1 THEN 'agent' ELSE 'consumer' END,
    'P' || lpad(floor(r_e * 1000000000)::bigint::text, 10, '0'),
    (ARRAY['理赔款迟迟未到账','保单退保金额有异议','销售时未说明免责条款','客服电话长时间无人接听',
           '续期扣费未通知','电梯维修不及时','物业费收费标准不透明','车位被长期占用'])[1 + floor(r_d * 8)::int],
    '客户来电反映：' || repeat('相关情况已多次沟通但未解决，请尽快处理并回复。', 3),
    cats[1 + floor(r_c * array_length(cats, 1))::int],
    status,
    CASE WHEN r_b < 0.8 THEN handlers[1 + floor(r_e * array_length(handlers, 1))::int] ELSE staff END,
    status = 'materials_incomplete',
    complete_on,
    received_on,
    mdue,
    adue,
    ddue,
    next_due,
    CASE WHEN next_due IS NULL THEN ''
         WHEN status = 'registered' THEN 'materials_notice'
         WHEN status = 'under_review' AND adue <= ddue THEN 'acceptance_notice'
         ELSE 'decision' END,
    CASE
        WHEN next_due IS NULL THEN NULL
        WHEN next_due > $2::date + days_before THEN next_due - days_before
        WHEN pending AND next_due > $2::date THEN next_due - days_before
        WHEN pending AND next_due = $2::date THEN next_due
        WHEN pending THEN next_due + 1
        WHEN next_due > $2::date THEN next_due
        WHEN next_due = $2::date THEN next_due + 1
    END,
    CASE WHEN status IN ('accepted','investigating','decided','closed')
         THEN handlers[1 + floor(r_d * array_length(handlers, 1))::int] END,
    CASE WHEN status IN ('decided','closed')
         THEN (ARRAY['upheld','partly','not_upheld'])[1 + floor(r_a * 3)::int] ELSE '' END,
    CASE WHEN status IN ('decided','closed') THEN received_on + 10 END,
    extensions,
    0,
    CASE WHEN paused THEN $2::date - 3 END,
    md5(tenant_id || ':' || g) || md5(g || ':' || tenant_id || ':bench'),
    r_e < 0.01,
    CASE WHEN status IN ('closed','not_accepted','transferred_internal','transferred_out',
                         'withdrawn','merged') THEN received_on + 12 END,
    received_on + time '09:30' + (r_a * interval '8 hours'),
    received_on + time '09:30' + (r_a * interval '8 hours')
FROM (
    SELECT d.*,
        CASE
            WHEN status = 'registered' THEN mdue
            WHEN status = 'under_review' THEN least(adue, ddue)
            WHEN status IN ('accepted','investigating') AND NOT paused THEN ddue
        END AS next_due
    FROM (
        SELECT c.*,
            received_on + 7 AS mdue,
            CASE WHEN complete_on IS NOT NULL THEN complete_on + 14 END AS adue,
            received_on + 15 + (ARRAY[0, 15, 45])[1 + extensions] AS ddue
        FROM (
            SELECT b.*,
                CASE WHEN status NOT IN ('registered','materials_incomplete')
                     THEN received_on + floor(r_c * 3)::int END AS complete_on,
                CASE WHEN status <> 'investigating' THEN 0
                     WHEN r_c < 0.05 THEN 2 WHEN r_c < 0.15 THEN 1 ELSE 0 END AS extensions,
                status = 'investigating' AND r_d > 0.95 AS paused
            FROM (
                SELECT a.*,
                    CASE WHEN is_open THEN $2::date - floor(r_age * r_age * 60)::int
                         ELSE $2::date - 20 - floor(r_age * 700)::int END AS received_on,
                    CASE WHEN is_open THEN
                        CASE WHEN r_status < 0.10 THEN 'registered'
                             WHEN r_status < 0.18 THEN 'materials_incomplete'
                             WHEN r_status < 0.38 THEN 'under_review'
                             WHEN r_status < 0.50 THEN 'accepted'
                             WHEN r_status < 0.90 THEN 'investigating'
                             ELSE 'decided' END
                    ELSE
                        CASE WHEN r_status < 0.80 THEN 'closed'
                             WHEN r_status < 0.86 THEN 'not_accepted'
                             WHEN r_status < 0.90 THEN 'transferred_internal'
                             WHEN r_status < 0.93 THEN 'transferred_out'
                             WHEN r_status < 0.98 THEN 'withdrawn'
                             ELSE 'merged' END
                    END AS status
                FROM (
                    SELECT p.tenant_id, p.prefix, p.days_before, p.cats, p.staff, p.handlers, g,
                        random() < p.open_share AS is_open,
                        random() < $3::float8 AS pending,
                        random() AS r_status, random() AS r_age, random() AS r_a,
                        random() AS r_b, random() AS r_c, random() AS r_d, random() AS r_e
                    FROM bench_plan p, generate_series(1, p.n) AS g
                    WHERE p.tenant_id = ANY($1::int[])
                ) a
            ) b
        ) c
    ) d
) s
"""  # noqa: S608 — no value is interpolated; every value is a bind parameter


COUNTS_SQL = """
SELECT count(*) AS complaints,
       count(*) FILTER (WHERE status IN ('registered','materials_incomplete','under_review',
                                         'accepted','investigating','decided')) AS open,
       count(*) FILTER (WHERE tenant_id = $1 AND next_remind_on <= $2) AS big_due
FROM complaint
"""


def _secondary_indexes_sql() -> str:
    return """
        SELECT i.relname AS name, pg_get_indexdef(ix.indexrelid) AS definition
        FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid
        WHERE ix.indrelid = 'complaint'::regclass AND NOT ix.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)
        ORDER BY i.relname
    """


class Loader:
    def __init__(self, owner_url: str, today: date, say) -> None:  # type: ignore[no-untyped-def]
        self.owner_url = owner_url
        self.today = today
        self.say = say
        self.steps: list[tuple[str, float]] = []

    async def _step(self, label: str, coro):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = await coro
        took = time.perf_counter() - started
        self.steps.append((label, took))
        self.say(f"  {label}: {took:.1f} s")
        return result

    async def run(
        self, *, tenants: int, per_tenant: int, big: int, open_share: float, due_share: float,
        password_hash: str, packs: dict[str, dict],
    ) -> Loaded:
        started = time.perf_counter()
        conn = await asyncpg.connect(self.owner_url)
        try:
            await conn.execute("SET synchronous_commit = off")
            await conn.execute("SET maintenance_work_mem = '512MB'")
            await conn.execute("SET jit = off")  # JIT compiling the generator costs more than it saves
            await conn.execute("SET row_security = off")
            await conn.execute("SELECT setseed(0.4242)")
            small, big_tenant = await self._step(
                "tenants, staff, memberships",
                self._people(conn, tenants, per_tenant, big, open_share, password_hash, packs),
            )
            ordinary = [r["tenant_id"] for r in await conn.fetch(
                "SELECT tenant_id FROM bench_plan WHERE tenant_id <> $1 ORDER BY tenant_id", big_tenant.id
            )]
            indexes = await conn.fetch(_secondary_indexes_sql())
            await self._step("drop complaint secondary indexes", self._drop(conn, indexes))
            await self._step(
                f"complaints of {tenants:,} tenants × {per_tenant:,}",
                self._complaints(conn, ordinary, due_share),
            )
            await self._step(
                f"complaints of the big tenant ({big:,})",
                self._complaints(conn, [big_tenant.id], due_share),
            )
            await self._step(f"rebuild {len(indexes)} indexes", self._rebuild(conn, indexes))
            await self._step("complaint counters", self._counters(conn, [*ordinary, big_tenant.id]))
            await self._step("VACUUM ANALYZE", self._vacuum(conn))
            counts = dict(await conn.fetchrow(COUNTS_SQL, big_tenant.id, self.today))
        finally:
            await conn.close()
        return Loaded(
            small=small, big=big_tenant, tenants=tenants + 1, complaints=counts["complaints"],
            open_complaints=counts["open"], big_due=counts["big_due"],
            seconds=time.perf_counter() - started, steps=self.steps,
        )

    async def _people(self, conn, tenants, per_tenant, big, open_share, password_hash, packs):  # type: ignore[no-untyped-def]
        # Ordinary tenants: 7 in 10 insurers, the rest property centres; the measured small
        # tenant is an insurer in the middle of the id range, like the big one.
        await conn.execute(
            """
            INSERT INTO tenant (slug, name, kind, timezone, locale, settings, is_active, created_at)
            SELECT 'bench-' || lpad(g::text, 5, '0'), '基准租户 Bench tenant ' || g,
                   CASE WHEN g % 10 < 7 THEN 'insurance' ELSE 'property' END,
                   'Asia/Shanghai', 'zh_CN', '{}', true, now()
            FROM generate_series(1, $1::int) AS g
            """,
            tenants,
        )
        await conn.execute(
            "INSERT INTO tenant (slug, name, kind, timezone, locale, settings, is_active, created_at) "
            "VALUES ('bench-big', '大型保险 Big insurer', 'insurance', 'Asia/Shanghai', 'zh_CN', '{}', true, now())"
        )
        rows = await conn.fetch("SELECT id, slug, kind FROM tenant WHERE slug LIKE 'bench-%' ORDER BY id")
        users = []  # (email, name, tenant_id, position)
        for r in rows:
            staff_pos, handler_pos = POSITIONS[r["kind"]]
            users.append((f"staff@{r['slug']}.bench.test", f"值班主管 {r['slug']}", r["id"], staff_pos))
            handlers = BIG_HANDLERS if r["slug"] == "bench-big" else SMALL_HANDLERS
            users += [
                (f"handler{k}@{r['slug']}.bench.test", f"处理人 {k} {r['slug']}", r["id"], handler_pos)
                for k in range(1, handlers + 1)
            ]
        await conn.execute(
            "CREATE TEMP TABLE bench_people (email text, name text, tenant_id int, position text)"
        )
        await conn.copy_records_to_table("bench_people", records=users)
        await conn.execute(
            """
            INSERT INTO kefu_user (email, name, password_hash, locale, is_superuser, is_active, created_at)
            SELECT email, name, $1, 'zh_CN', false, true, now() FROM bench_people
            """,
            password_hash,
        )
        await conn.execute(
            """
            INSERT INTO membership (tenant_id, user_id, positions, is_active, created_at)
            SELECT p.tenant_id, u.id, json_build_array(p.position), true, now()
            FROM bench_people p JOIN kefu_user u ON u.email = p.email
            """
        )
        ids = await conn.fetch(
            """
            SELECT p.tenant_id, p.email, u.id FROM bench_people p JOIN kefu_user u ON u.email = p.email
            """
        )
        staff: dict[int, int] = {}
        handlers_of: dict[int, list[int]] = {}
        for r in ids:
            if r["email"].startswith("staff@"):
                staff[r["tenant_id"]] = r["id"]
            else:
                handlers_of.setdefault(r["tenant_id"], []).append(r["id"])
        await conn.execute(
            """
            CREATE TEMP TABLE bench_plan (
                tenant_id int PRIMARY KEY, n int, open_share float8, prefix text, days_before int,
                cats text[], staff int, handlers int[])
            """
        )
        plan = []
        for r in rows:
            pack = packs[r["kind"]]
            is_big = r["slug"] == "bench-big"
            plan.append((
                r["id"], big if is_big else per_tenant, 1.0 if is_big else open_share,
                pack["prefix"], pack["days_before"], pack["categories"], staff[r["id"]],
                sorted(handlers_of[r["id"]]),
            ))
        await conn.copy_records_to_table("bench_plan", records=plan, columns=PLAN_COLUMNS)
        insurers = [r for r in rows if r["kind"] == "insurance" and r["slug"] != "bench-big"]
        middle = insurers[len(insurers) // 2]
        big_row = next(r for r in rows if r["slug"] == "bench-big")

        def tenant(r, n: int) -> Tenant:  # type: ignore[no-untyped-def]
            return Tenant(r["id"], r["slug"], r["kind"], f"staff@{r['slug']}.bench.test", n)

        return tenant(middle, per_tenant), tenant(big_row, big)

    async def _drop(self, conn, indexes) -> None:  # type: ignore[no-untyped-def]
        for ix in indexes:
            await conn.execute(f'DROP INDEX "{ix["name"]}"')

    async def _rebuild(self, conn, indexes) -> None:  # type: ignore[no-untyped-def]
        for ix in indexes:
            await conn.execute(ix["definition"])

    async def _complaints(self, conn, tenant_ids: list[int], due_share: float) -> None:  # type: ignore[no-untyped-def]
        await conn.execute(COMPLAINTS_SQL, tenant_ids, self.today, due_share)

    async def _counters(self, conn, tenant_ids: list[int]) -> None:  # type: ignore[no-untyped-def]
        await conn.execute(
            """
            INSERT INTO complaint_counter (tenant_id, year, value)
            SELECT tenant_id, extract(year FROM received_on)::int,
                   max(split_part(number, '-', 2)::int)
            FROM complaint WHERE tenant_id = ANY($1::int[]) GROUP BY 1, 2
            """,
            tenant_ids,
        )

    async def _vacuum(self, conn) -> None:  # type: ignore[no-untyped-def]
        await conn.execute("VACUUM ANALYZE complaint")
        await conn.execute("ANALYZE")
