"""`python -m bench.surveys` at a tiny scale on PostgreSQL: it completes, every acknowledged
answer is stored, and every figure is reported. Nothing here is timed (see test_bench_smoke)."""

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
    proc = subprocess.run(
        [sys.executable, "-m", "bench.surveys", "--invitations", "400", "--repeats", "1",
         "--requests", "120", "--warmup", "20", "--concurrency", "16"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1]), proc.stdout + proc.stderr


def test_the_round_is_created_both_ways(bench_run):
    result, _ = bench_run
    assert result["round"]["invitations"] == 400
    assert result["round"]["notices"] == 400  # every owner consented to SMS
    assert result["round"]["app_vs_raw_median"] > 0


def test_every_acknowledged_answer_is_stored(bench_run):
    result, output = bench_run
    answers = result["answers"]
    for name in ("page", "bare"):
        assert answers[name]["acknowledged"] == answers[name]["stored"] == 140, answers[name]
        assert answers[name]["refused"] == 0, answers[name]["refused_examples"]
    assert answers["page"]["invitations_answered"] == 140
    assert answers["page"]["valid"] == 140  # complete, varied, slower than the time floor
    assert answers["page_vs_bare_rps"] > 0
    assert "dropped database kefu_bench_" in output
