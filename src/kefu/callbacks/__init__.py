"""Customer callbacks (回访, document A art. 21–27): campaigns by kind, tasks per customer
assigned by method to a position, attempts with fallback between methods, written records
locked on submit with audited addenda, and the complaint follow-up created after a close."""
