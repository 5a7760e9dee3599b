from piccolo.conf.apps import AppConfig

from kefu.bulletins.tables import Bulletin, Signup
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="bulletins",
    migrations_folder_path=project_root() / "migrations" / "bulletins",
    table_classes=[Bulletin, Signup],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
