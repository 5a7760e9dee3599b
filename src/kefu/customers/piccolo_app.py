from piccolo.conf.apps import AppConfig

from kefu.customers.tables import Customer, CustomerImport, CustomerTag
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="customers",
    migrations_folder_path=project_root() / "migrations" / "customers",
    table_classes=[Customer, CustomerTag, CustomerImport],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
