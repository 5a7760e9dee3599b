"""Who sees whose scorecard (A art. 27; B.f, C.n), and what a commendation or criticism must
carry (pure)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kefu.core.errors import FieldError
from kefu.duties.policy.pack import DutyPack

KINDS = ("commendation", "criticism")
MAX_REASON = 2_000


def departments_of(pack: DutyPack, positions: Iterable[str]) -> set[str]:
    return {pack.sets[p].department for p in positions if p in pack.sets}


def with_children(pack: DutyPack, departments: set[str]) -> set[str]:
    """The departments and every department under them (pack `parent`), however deep."""
    found = set(departments)
    grew = True
    while grew:
        more = {code for code, d in pack.departments.items() if d.parent in found} - found
        found |= more
        grew = bool(more)
    return found


def visible(pack: DutyPack, viewer: int, *, can_board: bool, positions: Mapping[int, list[str]],
            people: Iterable[int]) -> list[int]:
    """The people whose scorecards `viewer` sees: everyone's own; a manager (duties.board) those
    in their departments and below; a manager on no department's position (the administrator)
    everyone."""
    people = list(people)
    if not can_board:
        return [p for p in people if p == viewer]
    mine = departments_of(pack, positions.get(viewer, []))
    if not mine:
        return people
    scope = with_children(pack, mine)
    return [p for p in people if p == viewer or departments_of(pack, positions.get(p, [])) & scope]


def check_note(kind: str, reason: str, cites_kind: str, cites_id: int | None, kinds: Iterable[str]) -> str:
    """The cleaned reason; FieldError for a bad kind, an empty or long reason, or half a citation."""
    if kind not in KINDS:
        raise FieldError("kind", "Choose one of the listed values.")
    reason = (reason or "").strip()
    if not reason:
        raise FieldError("reason", "This field is required.")
    if len(reason) > MAX_REASON:
        raise FieldError("reason", "At most %(max)s characters.", max=MAX_REASON)
    if cites_kind and cites_kind not in set(kinds):
        raise FieldError("cites_kind", "Choose one of the listed values.")
    if bool(cites_kind) != (cites_id is not None):
        raise FieldError("cites_id", "Give both the kind of record and its number, or neither.")
    return reason
