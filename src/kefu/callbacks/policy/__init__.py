"""Pure callback rules: the pack, attempts and fallback, calling hours, campaigns, records."""
