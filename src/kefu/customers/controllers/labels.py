"""Words the customer pages show for codes (kefu.core.labels: an unknown code shows "—")."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core.labels import Labels
from kefu.customers import policy
from kefu.customers.schemas import FIELD_LABELS

IMPORT_STATES = Labels({
    "preview": i18n.lazy("Waiting for confirmation"),
    "imported": i18n.lazy("Imported"),
    "discarded": i18n.lazy("Discarded"),
})
FIELDS = Labels(FIELD_LABELS)


def field_labels(tenant_kind: str) -> Labels:
    """The field names, the customer's reference in the pack's words where it has its own."""
    words = policy.pack_for(tenant_kind).external_ref
    if words is None:
        return FIELDS
    return Labels({**FIELD_LABELS, "external_ref": {"zh_CN": words.label, "en": words.label_en}})


def helpers(tenant_kind: str) -> dict[str, Any]:
    return {
        "kinds": policy.kinds_for(tenant_kind),
        "channels": policy.CHANNELS,
        "uses_flats": policy.uses_flats(tenant_kind),
        "kind_label": policy.KIND_LABELS,
        "channel_label": policy.CHANNEL_LABELS,
        "field_label": field_labels(tenant_kind),
        "external_ref_headers": policy.pack_for(tenant_kind).external_ref_headers,
        "import_state": IMPORT_STATES,
    }
