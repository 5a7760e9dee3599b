"""Desk reads: the lists of paid-service orders, renovations and enquiries (filtered by state,
paged), one of each with what may be done to it, the recurring questions by topic, and the
front desk's day. Scoped to the tenant (kefu.core.scoping)."""

from kefu.desk.queries.lists import (
    catalogue_labels,
    desk_day,
    desk_workers,
    enquiries_between,
    enquiry_list,
    enquiry_page,
    order_list,
    order_page,
    renovation_list,
    renovation_page,
    service_revenue,
    topic_counts,
    unit_address_of,
)
from kefu.desk.queries.public import public_order

__all__ = [
    "catalogue_labels", "desk_day", "desk_workers", "enquiries_between", "enquiry_list", "enquiry_page",
    "order_list", "order_page", "public_order", "renovation_list", "renovation_page", "service_revenue", "topic_counts", "unit_address_of",
]
