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


def helpers(tenant_kind: str) -> dict[str, Any]:
    return {
        "kinds": policy.kinds_for(tenant_kind),
        "channels": policy.CHANNELS,
        "uses_flats": policy.uses_flats(tenant_kind),
        "kind_label": policy.KIND_LABELS,
        "channel_label": policy.CHANNEL_LABELS,
        "field_label": FIELDS,
        "import_state": IMPORT_STATES,
    }
