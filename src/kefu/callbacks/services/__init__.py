"""Callbacks' writes, one function per change: campaigns (create, open, the scheduler's
opening), automatic complaint follow-ups, taking, assigning and working tasks (attempts with
fallback), records (save, submit, amend, attach), the sweep."""

from kefu.callbacks.services.campaigns import (
    create_campaign,
    insert_tasks,
    open_campaign,
    open_due_campaigns,
)
from kefu.callbacks.services.followups import create_complaint_followups
from kefu.callbacks.services.records import (
    amend_record,
    attach_file,
    open_file,
    questions_of,
    save_record,
)
from kefu.callbacks.services.sweep import sweep_all, sweep_tenant
from kefu.callbacks.services.tasks import (
    add_task,
    assign_task,
    lock_task,
    log_attempt,
    my_positions,
    take_task,
)

__all__ = [
    "add_task", "amend_record", "assign_task", "attach_file", "create_campaign", "create_complaint_followups",
    "insert_tasks", "lock_task", "log_attempt", "my_positions", "open_campaign", "open_due_campaigns", "open_file",
    "questions_of", "save_record", "sweep_all", "sweep_tenant", "take_task",
]
