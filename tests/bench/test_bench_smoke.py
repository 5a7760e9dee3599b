"""`python -m bench` at a tiny scale on PostgreSQL: it completes and reports every figure.

Nothing here is timed: performance goals are ratios measured in one `make bench` run, never a
timed unit test. PostgreSQL only (the bench needs it); skipped when KEFU_TEST_DATABASE_URL is
unset. The bench runs in a subprocess with its own throwaway database and its own KEFU_*
settings, so the suite's database and settings are untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("KEFU_TEST_DATABASE_URL")

pytestmark = pytest.mark.skipif(not PG, reason="the bench needs PostgreSQL: set KEFU_TEST_DATABASE_URL")

SERIES = ("page_small", "ceiling_small", "page_big", "ceiling_big")
RATIOS = (
    "page_vs_ceiling_median", "page_vs_ceiling_p99", "page_vs_ceiling_rps",
    "big_page_vs_ceiling_median", "big_vs_small_median", "big_vs_small_p99",
    "big_vs_small_ceiling_median",
)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


@pytest.fixture(scope="module")
def bench_run() -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["KEFU_BENCH_DATABASE_URL"] = PG or ""
    proc = subprocess.run(
        [
            sys.executable, "-m", "bench", "--tenants", "3", "--per-tenant", "20", "--big", "200",
            "--due-share", "0.3", "--warmup", "2", "--requests", "6", "--concurrency", "1,2",
            "--series-seconds", "60",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900,
    )
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stdout + proc.stderr


def test_the_data_set_and_the_load_time(bench_run):
    result, output = bench_run
    assert result["data"]["tenants"] == 4  # 3 ordinary + the big one
    assert result["data"]["complaints"] == 3 * 20 + 200
    assert result["data"]["big_tenant"] == 200
    assert _number(result["load_s"])
    assert "load took" in output
    assert "dropped database kefu_bench_" in output  # no --keep: nothing is left behind


def test_every_worklist_figure_at_each_concurrency(bench_run):
    result, output = bench_run
    assert set(result["worklist"]) == {"c1", "c2"}
    for level in ("c1", "c2"):
        for name in SERIES:
            s = result["worklist"][level][name]
            assert s["requests"] >= 1
            assert all(_number(s[k]) for k in ("median_ms", "p99_ms", "rps")), (level, name, s)
        for key in RATIOS:
            assert _number(result["ratios"][level][key]), (level, key)
    assert result["rows_on_page"]["big"] == 50  # page 2 of the big tenant is full
    assert "page ÷ ceiling, median (1k tenant)" in output and "1M ÷ 1k tenant page, median" in output


def test_the_plans_of_the_worklists_own_sql(bench_run):
    result, _ = bench_run
    for tenant in ("small", "big"):
        plans = result["plans"][tenant]
        for key in ("page", "page_generic_plan"):
            assert plans[key]["top_node"] and isinstance(plans[key]["index_used"], bool)


def test_the_sweep_runs_twice_and_the_second_run_creates_nothing(bench_run):
    result, output = bench_run
    s = result["sweep"]
    assert s["due_before"] > 0
    assert s["run1"]["reminders_created"] > 0
    assert s["run2"]["reminders_created"] == 0 and s["run2"]["notices_created"] == 0
    assert s["second_run_created_none"] is True
    assert s["steady_created"] == 0
    for key in ("raw_due_ms", "raw_after_ms", "run1_vs_raw_due", "run2_vs_raw", "steady_vs_raw"):
        assert _number(s[key]), key
    assert s["plan"]["top_node"] and isinstance(s["plan"]["index_used"], bool)
    assert s["plan_generic"]["top_node"]
    assert "index used:" in output
