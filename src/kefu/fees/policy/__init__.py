"""Fee rules as plain functions: what a unit owes for a month (days, basis, proration), arrears
ageing and the collection rate, and the fees part of the pack. Nothing here touches the
database (pack.py reads the pack's TOML once); tests/fees/policy tables them.
"""

from kefu.fees.policy.ageing import BUCKETS, ageing, bucket, collection_rate
from kefu.fees.policy.bills import (
    BillableUnit,
    Item,
    amount,
    bill_rows,
    billed_days,
    due_on,
    money,
    month_bounds,
    next_month,
    quantity,
)
from kefu.fees.policy.pack import BASES, Choice, DefaultItem, FeesPack, Reminders, fees_pack
from kefu.fees.policy.payments import receipt_number, refuse_payment
from kefu.fees.policy.reminders import reminder_key, schedule, step_due

__all__ = [
    "BASES", "BUCKETS", "BillableUnit", "Choice", "DefaultItem", "FeesPack", "Item", "Reminders", "ageing",
    "amount", "bill_rows", "billed_days", "bucket", "collection_rate", "due_on", "fees_pack", "money",
    "month_bounds", "next_month", "quantity", "receipt_number", "refuse_payment", "reminder_key",
    "schedule", "step_due",
]
