from piccolo.conf.apps import AppConfig

from kefu.desk.tables import Enquiry, Inspection, Renovation, ServiceOrder
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="desk",
    migrations_folder_path=project_root() / "migrations" / "desk",
    table_classes=[ServiceOrder, Renovation, Inspection, Enquiry],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app", "kefu.units.piccolo_app",
    ],
)
