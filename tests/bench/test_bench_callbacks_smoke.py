"""`python -m bench.callbacks` at a tiny scale on PostgreSQL: it completes, both ways make every
task (the bench counts the stored rows), and the figure is reported. Nothing here is timed (see
test_bench_smoke)."""

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


def test_the_campaign_is_created_both_ways():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["KEFU_BENCH_DATABASE_URL"] = PG or ""
    proc = subprocess.run([sys.executable, "-m", "bench.callbacks", "--tasks", "300", "--repeats", "1"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])["campaign"]
    assert result["tasks"] == 300 and result["app_vs_raw_median"] > 0
    assert len(result["app_s"]) == len(result["raw_s"]) == 1
