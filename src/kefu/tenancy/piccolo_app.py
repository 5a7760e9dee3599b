from piccolo.conf.apps import AppConfig

from kefu.settings import project_root
from kefu.tenancy.tables import ApiToken, Membership, Tenant

APP_CONFIG = AppConfig(
    app_name="tenancy",
    migrations_folder_path=project_root() / "migrations" / "tenancy",
    table_classes=[Tenant, Membership, ApiToken],
    migration_dependencies=["kefu.accounts.piccolo_app"],
)
