"""Pure survey rules (no I/O, mypy --strict): the question model, show-if and validity, the index
arithmetic, the half-year schedule, and what each round, template and improvement action allows."""
