"""Words for the complaint statuses, shared by the staff pages and other modules' pages
(through `kefu.complaints.queries.status_label`)."""

from __future__ import annotations

from kefu import i18n

STATUS_LABELS = {
    "registered": i18n.lazy("Registered"),
    "materials_incomplete": i18n.lazy("Materials incomplete"),
    "under_review": i18n.lazy("Under review"),
    "accepted": i18n.lazy("Accepted"),
    "investigating": i18n.lazy("Investigating"),
    "decided": i18n.lazy("Decided"),
    "closed": i18n.lazy("Closed"),
    "not_accepted": i18n.lazy("Not accepted"),
    "transferred_internal": i18n.lazy("Transferred internally"),
    "transferred_out": i18n.lazy("Transferred out"),
    "withdrawn": i18n.lazy("Withdrawn"),
    "merged": i18n.lazy("Merged"),
}
