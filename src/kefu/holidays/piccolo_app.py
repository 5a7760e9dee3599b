from piccolo.conf.apps import AppConfig

from kefu.holidays.tables import HolidayOverride, HolidayYear
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="holidays",
    migrations_folder_path=project_root() / "migrations" / "holidays",
    table_classes=[HolidayOverride, HolidayYear],
    migration_dependencies=[],
)
