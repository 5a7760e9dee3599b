"""Callbacks' reads, each scoped to the tenant: a person's work queue and one task (tasks),
campaigns with their progress (campaigns), the record archive and its export (archive)."""

from kefu.callbacks.queries.archive import Filters, record, search_records
from kefu.callbacks.queries.campaigns import campaign, campaigns, progress
from kefu.callbacks.queries.tasks import (
    addenda_of,
    attempts_of,
    file_of,
    files_of,
    queue,
    record_of_task,
    task_page,
    task_row,
    visible_record,
    visible_task,
)

__all__ = [
    "Filters", "addenda_of", "attempts_of", "campaign", "campaigns", "file_of", "files_of", "progress",
    "queue", "record", "record_of_task", "search_records", "task_page", "task_row", "visible_record", "visible_task",
]
