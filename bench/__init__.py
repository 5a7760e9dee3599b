"""`make bench` (`python -m bench`): the staff worklist and the reminder sweep on PostgreSQL.

One run creates a throwaway database from KEFU_BENCH_DATABASE_URL (a superuser admin URL,
default postgresql://postgres@127.0.0.1:5432/postgres), migrates it as the owner with
`python -m kefu.cli migrate`, bulk-loads 1,000 tenants × 1,000 complaints plus one tenant with
1,000,000 open complaints (`--scale` shrinks it), serves the real app with uvicorn in a
subprocess as a NOSUPERUSER NOBYPASSRLS role, and reports ratios measured in that one run:

* the worklist page (status=open, page 2, 50 rows) against a hand-written ceiling of the same
  page — the same query through raw asyncpg, rendered by the same template, served by the same
  process — with medians, p99 and requests/s at concurrency 1 and 8;
* the same page for the 1M tenant against the 1k tenant;
* the reminder sweep over the 1M tenant (run twice: the second run must create no reminder,
  then more runs with nothing due) against the raw SQL of its own query, with query plans.

Performance goals are reported as ratios of one run, never asserted as timings. The database
is dropped at the end (`--keep` keeps it); `--plans` prints the EXPLAIN ANALYZE texts;
`--plan-cache-mode force_custom_plan` measures that setting as a fix; `python -m bench -h`.
"""
