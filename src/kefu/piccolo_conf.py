"""Piccolo's configuration: the engine comes from KEFU_* settings, apps from APPS."""

from piccolo.conf.apps import AppRegistry

from kefu.db import engine_from_settings

DB = engine_from_settings()

APPS = [
    "kefu.tenancy.piccolo_app",
    "kefu.accounts.piccolo_app",
    "kefu.audit.piccolo_app",
    "kefu.workers.piccolo_app",
]

APP_REGISTRY = AppRegistry(apps=APPS)
