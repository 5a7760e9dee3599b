from piccolo.conf.apps import AppConfig

from kefu.callbacks.tables import (
    CallbackAddendum,
    CallbackAttempt,
    CallbackCampaign,
    CallbackFile,
    CallbackOnline,
    CallbackPlan,
    CallbackProblem,
    CallbackRecord,
    CallbackScore,
    CallbackTask,
)
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="callbacks",
    migrations_folder_path=project_root() / "migrations" / "callbacks",
    table_classes=[CallbackCampaign, CallbackTask, CallbackAttempt, CallbackRecord, CallbackAddendum, CallbackFile,
                   CallbackProblem, CallbackScore, CallbackPlan, CallbackOnline],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app", "kefu.customers.piccolo_app",
        "kefu.complaints.piccolo_app",
    ],
)
