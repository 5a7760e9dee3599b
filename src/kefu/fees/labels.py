"""Words the fee pages show for codes (kefu.core.labels: an unknown code shows "—")."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core.labels import Labels, declare_audit
from kefu.fees import policy
from kefu.units import queries as units

BASES = Labels({
    "area": i18n.lazy("Per m² a month"),
    "space": i18n.lazy("Per parking space a month"),
    "fixed": i18n.lazy("Fixed a month"),
})
BUCKETS = Labels({
    "0-30": i18n.lazy("0–30 days"),
    "31-90": i18n.lazy("31–90 days"),
    "91-180": i18n.lazy("91–180 days"),
    "180+": i18n.lazy("Over 180 days"),
})


def helpers(tenant_kind: str) -> dict[str, Any]:
    pack = policy.fees_pack(tenant_kind)
    return {
        "methods": pack.codes("methods"), "method_label": pack.labels("methods"),
        "reasons": pack.codes("reasons"), "reason_label": pack.labels("reasons"),
        "bases": policy.BASES, "basis_label": BASES, "buckets": policy.BUCKETS, "bucket_label": BUCKETS,
        "uses": units.unit_uses(tenant_kind), "use_label": units.use_labels(tenant_kind),
    }


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"bill": i18n.lazy("Bills"), "bill_run": i18n.lazy("Bills"), "bills": i18n.lazy("Bills"),
    "fee_item": i18n.lazy("Fee item"), "payment": i18n.lazy("Payment"), "late_reason": i18n.lazy("Late payment reason")})
