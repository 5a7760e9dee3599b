from piccolo.conf.apps import AppConfig

from kefu.audit.tables import AuditEvent
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="audit",
    migrations_folder_path=project_root() / "migrations" / "audit",
    table_classes=[AuditEvent],
    migration_dependencies=["kefu.tenancy.piccolo_app"],
)
