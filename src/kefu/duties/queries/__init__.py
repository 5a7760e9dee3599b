"""Duties' reads: who holds a position (holders), each person's tasks and the manager's board
(tasks), who is trained and who is not cleared since when (training), the assignments."""

from kefu.duties.queries.holders import Holders, Person, holders_on, positions_on

__all__ = ["Holders", "Person", "holders_on", "positions_on"]
