"""Desk writes, one function per change, each checking its permission, writing its audit
event and running in its own transaction (a savepoint inside the request's).

orders: create_order, assign_order, complete_order (charged through kefu.fees), cancel_order;
  place_public_order (a resident on the public price list, no sign-in).
renovations: apply_renovation, approve_renovation, reject_renovation, record_inspection,
  complete_renovation (occupancy through kefu.units, deposit and refund through kefu.fees).
enquiries: log_enquiry, assign_enquiry, answer_enquiry.
"""

from kefu.desk.services.enquiries import answer_enquiry, assign_enquiry, log_enquiry
from kefu.desk.services.orders import assign_order, cancel_order, complete_order, create_order
from kefu.desk.services.public_orders import place_public_order
from kefu.desk.services.renovations import (
    DepositUnpaid,
    apply_renovation,
    approve_renovation,
    complete_renovation,
    record_inspection,
    reject_renovation,
)

__all__ = [
    "DepositUnpaid", "answer_enquiry", "apply_renovation", "approve_renovation", "assign_enquiry",
    "assign_order", "cancel_order", "complete_order", "complete_renovation", "create_order", "log_enquiry",
    "place_public_order", "record_inspection", "reject_renovation",
]
