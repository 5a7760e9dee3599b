"""An uploaded list of people to call back: read with the surveys module's list reader (name,
phone or email, reference; kefu.core.uploads underneath, in a worker thread), matched to the
registry's customers by reference or phone. A list with any bad row is refused whole."""

from __future__ import annotations

import asyncio
from typing import Any

from kefu.core.errors import FieldError
from kefu.core.files import Upload
from kefu.surveys.schemas.audience_list import COLUMN_LABELS, ListError, match_customers, parse_list


async def read_list(tenant_id: int, upload: Upload) -> list[dict[str, Any]]:
    """The rows ({name, phone, reference, customer_id}); FieldError("list") naming the first
    problem otherwise."""
    try:
        rows, errors = await asyncio.to_thread(parse_list, upload.filename, upload.data)
    except ListError as exc:
        raise FieldError("list", exc.message, **exc.variables) from None
    if errors:
        first = errors[0]
        raise FieldError("list", "Row %(row)s, %(column)s: %(problem)s", row=first.row,
                         column=COLUMN_LABELS(first.field), problem=first.message)
    matched = await match_customers(tenant_id, rows)
    return [{"name": r.name, "phone": r.phone, "reference": r.external_ref, "customer_id": r.customer_id}
            for r in matched]
