from piccolo.conf.apps import AppConfig

from kefu.settings import project_root
from kefu.workers.tables import Heartbeat, Job

APP_CONFIG = AppConfig(
    app_name="workers",
    migrations_folder_path=project_root() / "migrations" / "workers",
    table_classes=[Heartbeat, Job],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
