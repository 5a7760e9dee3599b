"""The hostile-input sweep of tests/hardening/fuzz_sweep.py, shard 1 of 3."""

from __future__ import annotations

from tests.hardening.fuzz_sweep import fuzz, recording_forms, sweep  # noqa: F401 (fixtures)


async def test_no_input_gives_a_server_error(app, fuzz, recording_forms, monkeypatch):  # noqa: F811
    await sweep(app, fuzz, monkeypatch, shard=0, shards=3)
