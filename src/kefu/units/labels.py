"""Words the unit pages show for codes (kefu.core.labels: an unknown code shows "—")."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core.labels import Labels, declare_audit
from kefu.units import policy
from kefu.units.schemas import FIELD_LABELS

IMPORT_STATES = Labels({
    "preview": i18n.lazy("Waiting for confirmation"),
    "imported": i18n.lazy("Imported"),
    "discarded": i18n.lazy("Discarded"),
})
OCCUPANCY = Labels(policy.OCCUPANCY_MSGIDS)
ROLES = Labels({
    "owner": i18n.lazy("Owner"),
    "resident": i18n.lazy("Resident"),
    "tenant": i18n.lazy("Tenant (renting)"),
})
FIELDS = Labels(FIELD_LABELS)
MOVES = Labels(policy.MOVE_MSGIDS)


def helpers(tenant_kind: str) -> dict[str, Any]:
    pack = policy.units_pack(tenant_kind)
    return {
        "uses": pack.use_codes(), "use_label": pack.labels("uses"), "occupancy_label": OCCUPANCY,
        "occupancy_states": policy.OCCUPANCY, "role_label": ROLES, "roles": policy.ROLES,
        "field_label": FIELDS, "import_state": IMPORT_STATES, "move_label": MOVES,
        "move_kinds": policy.MOVE_KINDS,
    }


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"unit": i18n.lazy("Property unit"), "unit_import": i18n.lazy("Unit import"),
    "residency": i18n.lazy("Resident"), "move_in": i18n.lazy("Move-in"), "move_out": i18n.lazy("Move-out")})
