from piccolo.conf.apps import AppConfig

from kefu.deskstats.tables import MonthFiling, OccupancySnapshot
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="deskstats",
    migrations_folder_path=project_root() / "migrations" / "deskstats",
    table_classes=[OccupancySnapshot, MonthFiling],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
