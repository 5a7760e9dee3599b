"""Fees of a property centre (issue 13; B.e, C.j): fee items and rates, bills per unit and
month generated in bulk, payments with receipts, arrears ageing, reasons for late payment."""
