from piccolo.conf.apps import AppConfig

from kefu.workers.tables import Heartbeat
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="workers",
    migrations_folder_path=project_root() / "migrations" / "workers",
    table_classes=[Heartbeat],
    migration_dependencies=[],
)
