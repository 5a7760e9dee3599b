from piccolo.conf.apps import AppConfig

from kefu.notifications.tables import DeliverySetting, Notice, NoticeTemplate
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="notifications",
    migrations_folder_path=project_root() / "migrations" / "notifications",
    table_classes=[Notice, NoticeTemplate, DeliverySetting],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
