"""The modules of kefu, in dependency order. Each may have piccolo_app.py (tables),
controllers.py (`routes`) and jobs.py (actors); the app, Piccolo and the worker find them here.
"""

from __future__ import annotations

import importlib
import importlib.util

MODULES = [
    "accounts",
    "tenancy",
    "audit",
    "workers",
    "platform",
    "identity",
    "holidays",
    "notifications",
    "customers",
    "complaints",
    "surveys",
    "units",
    "fees",
    "desk",
    "bulletins",
    "deskstats",
    "duties",
    "callbacks",
]


def _has(module: str, part: str) -> bool:
    try:
        return importlib.util.find_spec(f"kefu.{module}.{part}") is not None
    except ModuleNotFoundError:
        return False


def piccolo_apps() -> list[str]:
    return [f"kefu.{m}.piccolo_app" for m in MODULES if _has(m, "piccolo_app")]


def route_handlers() -> list:
    handlers: list = []
    for m in MODULES:
        if _has(m, "controllers"):
            handlers += importlib.import_module(f"kefu.{m}.controllers").routes
    return handlers


def load_jobs() -> None:
    for m in MODULES:
        if _has(m, "jobs"):
            importlib.import_module(f"kefu.{m}.jobs")
