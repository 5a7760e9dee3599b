from piccolo.conf.apps import AppConfig

from kefu.duties.tables import (
    DutyConfig,
    DutyTask,
    Meeting,
    MeetingAction,
    PerformanceNote,
    PositionAssignment,
    TrainingPlanItem,
    TrainingRecord,
    TrainingSession,
)
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="duties",
    migrations_folder_path=project_root() / "migrations" / "duties",
    table_classes=[PositionAssignment, DutyTask, TrainingRecord, Meeting, MeetingAction, TrainingSession,
                   TrainingPlanItem, PerformanceNote, DutyConfig],
    migration_dependencies=["kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app"],
)
