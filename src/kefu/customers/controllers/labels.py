"""Words the customer pages show for codes, and the workbook of the (filtered) list."""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from kefu import i18n
from kefu.complaints.labels import STATUS_LABELS
from kefu.customers import rules
from kefu.customers.importing import FIELD_LABELS

INVITATION_STATES = {"invited": i18n.lazy("Not answered yet"), "answered": i18n.lazy("Survey answered")}
IMPORT_STATES = {
    "preview": i18n.lazy("Waiting for confirmation"),
    "imported": i18n.lazy("Imported"),
    "discarded": i18n.lazy("Discarded"),
}
EXPORT_FIELDS = (
    "name", "kind", "phone", "email", "postal_address", "external_ref", "building", "unit",
    "consent", "preferred_channel", "tags", "notes",
)


def _label(table: dict[str, str], code: str) -> str:
    return i18n.gettext(table[code]) if code in table else code


def helpers(tenant_kind: str) -> dict[str, Any]:
    kinds = rules.kinds_for(tenant_kind)
    return {
        "kinds": kinds,
        "channels": rules.CHANNELS,
        "uses_flats": any(k in rules.HOUSEHOLD_KINDS for k in kinds),
        "kind_label": lambda code: _label(rules.KIND_LABELS, code),
        "channel_label": lambda code: _label(rules.CHANNEL_LABELS, code),
        "field_label": lambda name: _label(FIELD_LABELS, name),
        "complaint_status": lambda code: _label(STATUS_LABELS, code),
        "invitation_state": lambda code: _label(INVITATION_STATES, code),
        "import_state": lambda code: _label(IMPORT_STATES, code),
    }


def _text_cell(sheet: Any, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # a name starting with "=" stays text, never a formula
    elif isinstance(value, datetime):
        cell.value = value.replace(tzinfo=None)
        cell.number_format = "yyyy-mm-dd hh:mm"
    return cell


def workbook(rows: list[dict[str, Any]]) -> bytes:
    """The customers as XLSX, headed with the field labels the import reads back."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(i18n.gettext("Customers"))
    sheet.append([i18n.gettext(FIELD_LABELS[f]) for f in EXPORT_FIELDS]
                 + [i18n.gettext("Consent given at"), i18n.gettext("Active")])
    yes, no = i18n.gettext("Yes"), i18n.gettext("No")
    for r in rows:
        values = {
            **r, "kind": _label(rules.KIND_LABELS, r["kind"]),
            "consent": yes if r["consent_contact"] else no,
            "preferred_channel": _label(rules.CHANNEL_LABELS, r["preferred_channel"]),
            "tags": "，".join(r["tags"]),
        }
        line = [values[f] for f in EXPORT_FIELDS] + [r["consent_at"], yes if r["is_active"] else no]
        sheet.append([_text_cell(sheet, v) for v in line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
