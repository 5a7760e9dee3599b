"""Survey routes: the public answer page (no login), templates, rounds, results."""

from __future__ import annotations

from importlib import import_module

PARTS = ("public", "templates", "rounds", "results")

routes: list = []
for _part in PARTS:
    try:
        _module = import_module(f"kefu.surveys.controllers.{_part}")
    except ModuleNotFoundError as exc:  # a part not written yet
        if exc.name != f"kefu.surveys.controllers.{_part}":
            raise
        continue
    routes += _module.routes
