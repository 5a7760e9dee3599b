"""Inputs of problems and QA scores (A art. 26–27), read from an HTML form or a JSON body
through kefu.core.forms.Form: each bad field becomes an error keyed by its name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kefu import i18n
from kefu.callbacks.policy.quality import QualityPack
from kefu.core.forms import Form

MAX_SUMMARY = 200
MAX_TEXT = 5000
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class ProblemInput:
    cause: str
    summary: str
    detail: str
    position: str  # "" for the pack's default
    assignee_id: int | None
    due_on: date | None  # None: the pack's problem_due_days from today


def problem_input(form: Form, pack: QualityPack, positions: list[str], *, immediate: bool = False) -> ProblemInput:
    causes = [c.code for c in pack.causes if c.immediate or not immediate]
    cause = form.choice("cause", causes)
    summary = form.text("summary", max_length=MAX_SUMMARY)
    detail = form.text("detail", max_length=MAX_TEXT, required=False, multiline=True)
    position = form.choice("position", positions, required=False)
    assignee = form.integer("assignee_id", minimum=1, maximum=MAX_ID, required=False)
    due_on = form.day("due_on", required=False)
    form.check()
    return ProblemInput(cause=cause, summary=summary, detail=detail, position=position, assignee_id=assignee,
                        due_on=due_on)


def assign_input(form: Form, positions: list[str], today: date) -> tuple[str, int | None, date]:
    position = form.choice("position", positions)
    assignee = form.integer("assignee_id", minimum=1, maximum=MAX_ID, required=False)
    due_on = form.day("due_on")
    if due_on is not None and due_on < today:
        form.error("due_on", i18n.gettext("The due date cannot be in the past."))
    form.check()
    assert due_on is not None
    return position, assignee, due_on


def close_input(form: Form) -> str:
    resolution = form.text("resolution", max_length=MAX_TEXT, multiline=True)
    form.check()
    return resolution


def score_input(form: Form, pack: QualityPack) -> tuple[dict[str, int], str]:
    """Points for each item of the scoring sheet (0..max), and a comment."""
    points: dict[str, int] = {}
    for item in pack.sheet:
        value = form.integer(f"item_{item.code}", minimum=0, maximum=item.max)
        if value is not None:
            points[item.code] = value
    comment = form.text("comment", max_length=MAX_TEXT, required=False, multiline=True)
    form.check()
    return points, comment
