"""Fee reads: bills, payments, receipts, items, arrears and collection. Scoped to the tenant."""

from kefu.fees.queries.arrears import (
    EXPORTING,
    ageing_by_building,
    collection,
    export_args,
    export_count,
    export_file,
    reasons_by_building,
    unit_arrears,
)
from kefu.fees.queries.bills import (
    BillFilters,
    bill_page,
    bill_totals,
    fee_item,
    fee_items,
    receipt,
    search_bills,
    unit_bills,
    unit_reasons,
)

__all__ = [
    "BillFilters", "ageing_by_building", "bill_page", "bill_totals", "collection", "export_args", "export_count", "export_file", "EXPORTING",
    "fee_item", "fee_items",
    "reasons_by_building", "receipt", "search_bills", "unit_arrears", "unit_bills", "unit_reasons",
]
