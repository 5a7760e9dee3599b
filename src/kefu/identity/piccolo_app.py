from piccolo.conf.apps import AppConfig

from kefu.identity.tables import ExternalIdentity, IdentityProvider, Invitation, PasswordReset
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="identity",
    migrations_folder_path=project_root() / "migrations" / "identity",
    table_classes=[IdentityProvider, ExternalIdentity, Invitation, PasswordReset],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
