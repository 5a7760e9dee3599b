"""Words the desk pages show for codes (kefu.core.labels: an unknown code shows "—")."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.core.labels import Labels
from kefu.desk import policy
from kefu.units import queries as units

ORDER_STATES = Labels({
    policy.OPEN: i18n.lazy("Waiting to be assigned"),
    policy.ASSIGNED: i18n.lazy("Assigned"),
    policy.DONE: i18n.lazy("Done and charged"),
    policy.CANCELLED: i18n.lazy("Cancelled"),
})
RENOVATION_STATES = Labels({
    policy.APPLIED: i18n.lazy("Awaiting approval"),
    policy.APPROVED: i18n.lazy("Approved, under way"),
    policy.COMPLETED: i18n.lazy("Completed"),
    policy.REJECTED: i18n.lazy("Rejected"),
})
ENQUIRY_STATES = Labels({
    policy.OPEN: i18n.lazy("Waiting for an answer"),
    policy.CLOSED: i18n.lazy("Answered"),
})
RESULTS = Labels({policy.PASS: i18n.lazy("Passed"), policy.FAIL: i18n.lazy("Failed")})


def helpers(tenant_kind: str) -> dict[str, Any]:
    pack = policy.desk_pack(tenant_kind)
    return {
        "services": pack.services, "service_label": pack.service_labels(), "per_label": pack.per_labels(),
        "topics": [t.code for t in pack.topics], "topic_label": pack.topic_labels(),
        "departments": [d.code for d in pack.departments()], "department_label": pack.department_labels(),
        "default_deposit": pack.renovation.deposit if pack.renovation else "0",
        "order_states": policy.ORDER_STATES, "order_state": ORDER_STATES,
        "renovation_states": policy.RENOVATION_STATES, "renovation_state": RENOVATION_STATES,
        "enquiry_states": policy.ENQUIRY_STATES, "enquiry_state": ENQUIRY_STATES,
        "results": policy.RESULTS, "result_label": RESULTS,
        "occupancy_label": units.occupancy_labels(),
    }
