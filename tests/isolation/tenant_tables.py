"""Discovering the tenant-owned tables: every Piccolo table that mixes in TenantOwned."""

from __future__ import annotations

import importlib
import pkgutil

import kefu
from kefu.tenancy.tables import TenantOwned


def _import_table_modules() -> None:
    from kefu.modules import piccolo_apps

    for app in piccolo_apps():  # the registered apps, and any tables module they do not list
        importlib.import_module(app)
    for info in pkgutil.walk_packages(kefu.__path__, prefix="kefu."):
        if info.name.rsplit(".", 1)[-1] == "tables":
            importlib.import_module(info.name)


def tenant_owned_classes() -> list[type]:
    _import_table_modules()
    found: dict[str, type] = {}
    pending = list(TenantOwned.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if hasattr(cls, "_meta"):  # a Piccolo Table, not an intermediate mixin
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return sorted(found.values(), key=lambda c: c.__name__)
