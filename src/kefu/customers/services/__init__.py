"""Customer writes: one function per change, each checking its permission, writing its audit
event and running in its own transaction (a savepoint inside the request's).

customers: create_customer, update_customer (and set_tags, apply_input the import shares).
imports: start_import (the upload, checked by a job), preview_import (store a checked upload),
start_confirm (a clean preview, imported by a job), confirm_import, discard_import, forget_stale_imports (the sweep that drops old uploads' rows).
consent: withdraw_consent (the customer's own opt-out, from a public page).
"""

from kefu.customers.services.consent import withdraw_consent
from kefu.customers.services.customers import (
    apply_input,
    create_customer,
    set_tags,
    update_customer,
)
from kefu.customers.services.imports import (
    ALREADY_IMPORTED,
    IMPORTED,
    ImportConflict,
    ImportNotClean,
    confirm_import,
    discard_import,
    forget_stale_imports,
    preview_import,
    start_confirm,
    start_export,
    start_import,
)

__all__ = [
    "ALREADY_IMPORTED", "IMPORTED",
    "ImportConflict", "ImportNotClean", "apply_input", "confirm_import", "create_customer",
    "discard_import", "forget_stale_imports", "preview_import", "set_tags", "start_confirm", "start_export", "start_import", "update_customer", "withdraw_consent",
]
