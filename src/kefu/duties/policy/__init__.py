"""Pure duty rules (no I/O apart from reading the pack file, mypy --strict): the pack's duty sets,
recurrence and period arithmetic, what a task allows, and training validity."""
