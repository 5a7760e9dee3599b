"""Property front desk: buildings, units, residents, occupancy (issue 13)."""
