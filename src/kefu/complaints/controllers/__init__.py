"""Complaint routes: staff pages, public pages (no login), the JSON API, reports."""

from __future__ import annotations

from importlib import import_module

PARTS = ("staff", "public", "api", "api_actions", "reports", "reports_issued", "regulator")

routes: list = []
for _part in PARTS:
    try:
        _module = import_module(f"kefu.complaints.controllers.{_part}")
    except ModuleNotFoundError as exc:  # a part not written yet
        if exc.name != f"kefu.complaints.controllers.{_part}":
            raise
        continue
    routes += _module.routes
