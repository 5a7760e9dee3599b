"""The notification outbox's writes, as every module uses them.

A module that owes a notice calls `owe_notice(...)` (or `owe_notices(...)`) inside the transaction
of the change that owes it, and `nudge(...)` after that transaction has committed (services.outbox).
Staff actions on a notice are in services.notices; template edits, previews and rendering a
notice's text in services.wordings.
"""

from __future__ import annotations

from kefu.notifications.policy import BULK_CANCEL_STATES, BULK_RETRY_STATES, PERMISSION, NoticeView
from kefu.notifications.queries.outbox import ComplianceRow, compliance, notices_for
from kefu.notifications.services.bulk import cancel_all, retry_all
from kefu.notifications.services.notices import mark_posted, retry_notice
from kefu.notifications.services.outbox import (
    OwedNotice,
    Recipient,
    move_owed_due,
    nudge,
    owe_notice,
    owe_notices,
)
from kefu.notifications.services.settings import SmsSettings, save_sending_hours, save_sms_settings
from kefu.notifications.services.wordings import (
    preview,
    render_notice,
    reset_template,
    save_template,
)

__all__ = [
    "BULK_CANCEL_STATES", "BULK_RETRY_STATES", "PERMISSION", "ComplianceRow", "cancel_all", "retry_all", "NoticeView", "OwedNotice", "Recipient", "compliance", "mark_posted", "move_owed_due",
    "notices_for", "nudge", "owe_notice", "owe_notices", "preview", "render_notice", "reset_template",
    "retry_notice", "save_sending_hours", "save_sms_settings", "save_template", "SmsSettings",
]
