"""Fee writes, one function per change, each in its own savepoint with its audit event."""

from kefu.fees.services.bills import generate_bills, insert_bills, items_for
from kefu.fees.services.charges import RefundTooLarge, charge_unit, refund_bill, refundable
from kefu.fees.services.items import add_default_items, create_item
from kefu.fees.services.payments import record_payment
from kefu.fees.services.rates import change_rate, end_item
from kefu.fees.services.reasons import record_reason
from kefu.fees.services.reminders import sweep_tenant as sweep_reminders

__all__ = [
    "RefundTooLarge", "add_default_items", "change_rate", "charge_unit", "create_item", "end_item",
    "generate_bills", "insert_bills", "items_for", "refund_bill", "refundable",
    "record_payment", "record_reason", "sweep_reminders",
]
