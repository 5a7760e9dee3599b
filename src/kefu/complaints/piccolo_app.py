from piccolo.conf.apps import AppConfig

from kefu.complaints.tables import (
    Complaint,
    ComplaintAttachment,
    ComplaintCounter,
    ComplaintNote,
    ComplaintReminder,
    ComplaintReportIssue,
    ContactInfo,
    GovernanceDocument,
)
from kefu.settings import project_root

APP_CONFIG = AppConfig(
    app_name="complaints",
    migrations_folder_path=project_root() / "migrations" / "complaints",
    table_classes=[
        ComplaintCounter,
        Complaint,
        ComplaintAttachment,
        ComplaintReminder,
        ComplaintNote,
        ContactInfo,
        GovernanceDocument,
        ComplaintReportIssue,
    ],
    migration_dependencies=[
        "kefu.tenancy.piccolo_app", "kefu.accounts.piccolo_app", "kefu.customers.piccolo_app"
    ],
)
