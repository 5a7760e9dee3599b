from piccolo.conf.apps import AppConfig

from kefu.fees.tables import Bill, FeeItem, LateReason, Payment, ReceiptCounter, Refund
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="fees",
    migrations_folder_path=project_root() / "migrations" / "fees",
    table_classes=[FeeItem, Bill, Payment, ReceiptCounter, LateReason, Refund],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app", "kefu.units.piccolo_app",
    ],
)
