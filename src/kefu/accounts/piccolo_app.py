from piccolo.conf.apps import AppConfig

from kefu.accounts.tables import User
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=project_root() / "migrations" / "accounts",
    table_classes=[User],
    migration_dependencies=[],
)
