"""Customer writes: one function per change, each checking its permission, writing its audit
event and running in its own transaction (a savepoint inside the request's).

customers: create_customer, update_customer (and set_tags, apply_input the import shares).
imports: preview_import (store a checked upload), confirm_import, discard_import.
"""

from kefu.customers.services.customers import (
    apply_input,
    create_customer,
    set_tags,
    update_customer,
)
from kefu.customers.services.imports import (
    ImportConflict,
    ImportNotClean,
    confirm_import,
    discard_import,
    preview_import,
)

__all__ = [
    "ImportConflict", "ImportNotClean", "apply_input", "confirm_import", "create_customer",
    "discard_import", "preview_import", "set_tags", "update_customer",
]
