"""Piccolo's configuration: the engine comes from KEFU_* settings, apps from APPS."""

from piccolo.conf.apps import AppRegistry

from kefu.db import engine_from_settings
from kefu.modules import piccolo_apps

DB = engine_from_settings()

APPS = piccolo_apps()

APP_REGISTRY = AppRegistry(apps=APPS)
