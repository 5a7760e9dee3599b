"""`python -m bench.desk` at a tiny scale on PostgreSQL: it completes, every lookup finds the
resident on both sides, generate_bills and the raw insert write the same number of bills, and
every figure is reported. Nothing here is timed (see test_bench_smoke)."""

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


@pytest.fixture(scope="module")
def bench_run() -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["KEFU_BENCH_DATABASE_URL"] = PG or ""
    proc = subprocess.run([sys.executable, "-m", "bench.desk", "--units", "1200", "--runs", "5", "--repeats", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stdout + proc.stderr


def test_every_lookup_is_measured_against_its_raw_sql(bench_run):
    result, output = bench_run
    search = result["search"]
    assert search["address"]["q"] == "1-2-601"  # the 601st unit: building 1, entrance 2, floor 6, room 601
    for case in ("address", "tail", "phone", "name"):
        assert search[case]["rows"] >= 1 and search[case]["ratio_p95"] > 0, search[case]
        assert f"desk search by {case}" in output
    assert search["address"]["rows"] == 3  # the unit's three residents


def test_bill_generation_is_measured_against_a_raw_bulk_insert(bench_run):
    result, output = bench_run
    bills = result["bills"]
    assert bills["units"] == 1200 and bills["bills"] >= 1200  # the pack's items, one bill each per unit
    assert bills["app_vs_raw_median"] > 0 and len(bills["app_s"]) == len(bills["raw_s"]) == 1
    assert "dropped database kefu_bench_" in output
