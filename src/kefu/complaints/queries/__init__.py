"""Complaints' reads for pages, exports and the API, every one scoped to the tenant:
worklist (the staff list, its export rows, the caller lookup), detail (the complaint's page and
what the member may do now), api (the JSON list), reports (A art. 19-20)."""

from kefu.complaints.queries import api, detail, reports, worklist, worklist_export
from kefu.complaints.queries.closed import closed_between
from kefu.complaints.queries.customers import customer_complaints, customer_section

__all__ = ["api", "closed_between", "customer_complaints", "customer_section", "detail", "reports", "worklist", "worklist_export"]
