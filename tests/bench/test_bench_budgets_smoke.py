"""`python -m bench.budgets`: it completes, each attack (the .xlsx bombs at the customer import
and at a survey round's list, the runaway template preview) is refused with a reason a member
reads, /healthz answered throughout, and every figure is reported. Nothing here is timed: the
times are the bench's to print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ATTACKS = ("import_bomb_96MB", "import_bomb_12MB", "survey_list_bomb_96MB", "survey_list_bomb_12MB",
           "runaway_template_preview")


def test_the_budget_bench_sees_every_attack_refused_and_reports_its_figures():
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    proc = subprocess.run([sys.executable, "-m", "bench.budgets", "--probe-ms", "50"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"bench failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["healthz_failures"] == 0 and result["healthz_idle"]["n"] > 0
    assert result["bomb_bytes"]["96MB"] < 400_000
    for name in ATTACKS:
        figures = result[name]
        assert figures["refused_s"] > 0 and figures["reason"], (name, figures)
        assert "p95_ms" in figures["healthz"] and "ratio_max" in figures, (name, figures)
    assert {result[name]["refused_by"] for name in ATTACKS[:4]} == {"job"}  # the files are read by jobs
    assert result["runaway_template_preview"]["refused_by"] == "request"
