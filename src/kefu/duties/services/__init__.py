"""Duties' writes, as other modules and the pages call them: the training gate
(`require_cleared`), training results, assignments, completing tasks, and the sweep."""

from kefu.duties.services.assignments import assign_position, end_assignment
from kefu.duties.services.config import (
    remove_course,
    remove_duty,
    save_course,
    save_department,
    save_duty,
    save_permissions,
    save_position,
)
from kefu.duties.services.meetings import add_action, close_action, record_meeting
from kefu.duties.services.performance import record_note
from kefu.duties.services.sessions import Attendance, add_plan_item, record_session
from kefu.duties.services.sweep import sweep_all, sweep_tenant
from kefu.duties.services.tasks import complete_task
from kefu.duties.services.training import (
    NotCleared,
    missing_training,
    record_training,
    require_cleared,
)

__all__ = [
    "remove_course", "remove_duty", "save_course", "save_department", "save_duty", "save_permissions", "save_position",
    "Attendance", "NotCleared", "add_plan_item", "record_session", "add_action", "assign_position", "close_action", "record_meeting", "record_note", "complete_task", "end_assignment", "missing_training", "record_training",
    "require_cleared", "sweep_all", "sweep_tenant",
]
