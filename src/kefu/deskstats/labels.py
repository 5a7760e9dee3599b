"""Words of the statistics' audit codes (kefu.core.labels.declare_audit)."""

from __future__ import annotations

from kefu import i18n
from kefu.core.labels import Labels, declare_audit

ACTIONS = Labels({"statistics.snapshot": i18n.lazy("Month-end snapshot rebuilt")})

declare_audit(ACTIONS, {"occupancy_snapshot": i18n.lazy("Month-end snapshot")})
