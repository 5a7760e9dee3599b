"""A short seeded schemathesis run in the suite (`make fuzz` is the long one): every operation of
the served OpenAPI schema, as a tenant's token, a few cases each, every check schemathesis has
(no 5xx, answers and `Allow` matching the schema, schema-valid bodies accepted). It runs
scripts/fuzz_api.py, which starts `kefu serve` on a throwaway SQLite database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_short_schemathesis_run_finds_nothing():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "scripts/fuzz_api.py", "--max-examples", "3", "--seed", "1", "--phases", "fuzzing,stateful"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 0, out[-6000:]
    operations = re.search(r"Tested: (\d+)", out)
    cases = re.search(r"(\d+) generated, (\d+) passed", out)
    assert operations and int(operations.group(1)) >= 30, out[-3000:]
    assert cases and int(cases.group(1)) == int(cases.group(2)) > 0, out[-3000:]
