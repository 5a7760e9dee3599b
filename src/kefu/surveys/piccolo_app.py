from piccolo.conf.apps import AppConfig

from kefu.settings import project_root
from kefu.surveys.tables import (
    ImprovementAction,
    SurveyInvitation,
    SurveyResponse,
    SurveyRound,
    SurveySchedule,
    SurveyTemplate,
)

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=project_root() / "migrations" / "surveys",
    table_classes=[
        SurveyTemplate,
        SurveyRound,
        SurveyInvitation,
        SurveyResponse,
        SurveySchedule,
        ImprovementAction,
    ],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app",
        "kefu.accounts.piccolo_app",
        "kefu.customers.piccolo_app",
    ],
)
