from piccolo.conf.apps import AppConfig

from kefu.settings import project_root
from kefu.units.tables import (
    Building,
    Move,
    MoveItem,
    OccupancyChange,
    Residency,
    Unit,
    UnitImport,
)

APP_CONFIG = AppConfig(
    app_name="units",
    migrations_folder_path=project_root() / "migrations" / "units",
    table_classes=[Building, Unit, OccupancyChange, Residency, UnitImport, Move, MoveItem],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app", "kefu.customers.piccolo_app",
    ],
)
