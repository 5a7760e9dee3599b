"""Words of the statistics' audit codes (kefu.core.labels.declare_audit)."""

from __future__ import annotations

from kefu import i18n
from kefu.core.labels import Labels, declare_audit

ACTIONS = Labels({"statistics.snapshot": i18n.lazy("Month-end snapshot rebuilt"),
                  "statistics.file": i18n.lazy("Month's statistics filed")})

declare_audit(ACTIONS, {"occupancy_snapshot": i18n.lazy("Month-end snapshot"),
                        "month_filing": i18n.lazy("Filed monthly statistics")})
