"""What a duty task allows and what evidence closes it (pure)."""

from __future__ import annotations

from collections.abc import Sequence

from kefu.core.errors import FieldError, Refused

MAX_NOTE = 5_000


def clean_note(note: str, *, required: bool) -> str:
    note = (note or "").strip()
    if required and not note:
        raise FieldError("note", "This field is required.")
    if len(note) > MAX_NOTE:
        raise FieldError("note", "At most %(max)s characters.", max=MAX_NOTE)
    return note


def check_checks(checks: Sequence[int], items: int) -> list[int]:
    """Every checklist item ticked, each once; the ticked indexes sorted."""
    ticked = sorted(set(checks))
    if any(not 0 <= i < items for i in ticked):
        raise FieldError("checks", "Choose one of the listed values.")
    if len(ticked) != items:
        raise FieldError("checks", "Tick every item of the checklist.")
    return ticked


def refusal(status: str, evidence_kind: str, *, is_assignee: bool, can_manage: bool) -> Refused | None:
    """Why the person may not mark this task done now (None: they may)."""
    if status != "open":
        return Refused("task_done", "This task is done already.")
    if evidence_kind == "record":
        return Refused("task_record", "This task closes by itself when its record appears.")
    if not (is_assignee or can_manage):
        return Refused("task_not_yours", "Only the person holding the position, or a manager, may complete this task.")
    return None


def allowed_actions(status: str, evidence_kind: str, *, is_assignee: bool, can_manage: bool) -> set[str]:
    if refusal(status, evidence_kind, is_assignee=is_assignee, can_manage=can_manage) is None:
        return {"complete"}
    return set()
