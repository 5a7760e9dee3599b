"""`python -m bench.imports` at a tiny scale: it completes, every row of the file is stored, and
every figure is reported. Nothing here is timed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_bench_stores_every_row_and_reports_each_phase():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    proc = subprocess.run([sys.executable, "-m", "bench.imports", "--rows", "300", "--probe-ms", "50"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["rows"] == result["stored"] == 300
    assert result["healthz_failures"] == 0
    for key in ("upload_s", "check_s", "confirm_s", "total_s"):
        assert result[key] > 0, key
    assert result["healthz_idle"]["n"] > 0 and result["healthz_check"]["n"] > 0
    assert result["ratio_p95_check"] > 0 and "ratio_max_confirm" in result
