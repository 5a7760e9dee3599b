"""Positions and their duties that run: duty sets from the packs, recurring duty tasks with
evidence, and the pre-job training gate (document A art. 4, 5, 7, 8, 20, 22; B; C)."""
