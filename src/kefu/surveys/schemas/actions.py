"""An improvement action's forms read through the shared gate (kefu.core.forms): the create/edit
form, the closing form, and the list's filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from kefu import i18n
from kefu.core import forms
from kefu.core.errors import FormErrors
from kefu.surveys.policy.actions import CLOSING, FILTERS

TITLE_MAX, TEXT_MAX, OWNER_MAX, KEY_MAX = 200, 5000, 100, 60
ID_MAX = 10**9 - 1
FIELDS = ("title", "description", "owner_id", "owner_name", "due_on", "round_id", "question_key")


@dataclass(frozen=True)
class ActionInput:
    """What the form says, already parsed (read_form)."""

    title: str
    description: str = ""
    owner_id: int | None = None
    owner_name: str = ""
    due_on: date | None = None
    round_id: int | None = None
    question_key: str = ""


def _optional_id(form: forms.Form, name: str) -> int | None:
    """An id chosen from a list: any other value is "not one of the list"."""
    raw = form.raw(name).strip()
    if not raw:
        return None
    value = forms.parse_int(raw) if raw.isascii() and raw.isdigit() else None
    if value is None or not 1 <= value <= ID_MAX:
        form.error(name, i18n.gettext(forms.NOT_LISTED))
        return None
    return value


def read_form(data: Mapping[str, str] | forms.Form) -> ActionInput:
    """The create/edit form (as posted, or its values); FormErrors names every field at fault."""
    form = data if isinstance(data, forms.Form) else forms.Form(dict(data))
    form.errors = {}
    title = form.text("title", max_length=TITLE_MAX)
    description = form.text("description", max_length=TEXT_MAX, required=False, multiline=True)
    owner_name = form.text("owner_name", max_length=OWNER_MAX, required=False)
    key = form.text("question_key", max_length=KEY_MAX, required=False)
    owner_id, round_id = _optional_id(form, "owner_id"), _optional_id(form, "round_id")
    due_on = form.day("due_on")
    if owner_id is None and "owner_id" not in form.errors and not owner_name:
        form.error("owner_id", i18n.gettext("Choose an owner, or name one from outside."))
    if form.errors:
        raise FormErrors(form.errors)
    return ActionInput(title, description, owner_id, owner_name if owner_id is None else "", due_on, round_id, key)


@dataclass(frozen=True)
class Closing:
    status: str
    outcome: str
    closed_on: date


def read_closing(status: str, outcome: str, closed_on: str, today: date) -> Closing:
    """Done (what was achieved) or dropped (why): the outcome is required either way; the day
    it closed defaults to today (the tenant's) and cannot be in the future."""
    form = forms.Form({"status": status or "", "outcome": outcome or "", "closed_on": closed_on or ""})
    for name, value in form.data.items():
        if forms.REPLACEMENT in value:  # the gate's mark of a NUL it took out
            form.invalid.add(name)
    form.choice("status", CLOSING)
    text, problem = forms.clean_text(form.raw("outcome"), max_length=TEXT_MAX, multiline=True)
    if problem or "outcome" in form.invalid:
        form.error("outcome", i18n.gettext(problem or forms.INVALID, max=TEXT_MAX))
    elif not text:
        form.error("outcome", i18n.gettext("Say what was done, or why the action was dropped."))
    day = form.day("closed_on", required=False) or today
    if "closed_on" not in form.errors and day > today:
        form.error("closed_on", i18n.gettext("The date cannot be in the future."))
    if form.errors:
        raise FormErrors(form.errors)
    return Closing(form.raw("status").strip(), text, day)


@dataclass(frozen=True)
class ActionFilters:
    status: str = "open"
    round_id: int | None = None

    def query(self) -> dict[str, str]:
        found = {"status": self.status} if self.status != "open" else {}
        return found | ({"round": str(self.round_id)} if self.round_id else {})


def parse_filters(params: Any) -> ActionFilters:
    status = (params.get("status") or "open").strip()
    raw = (params.get("round") or "").strip()
    round_id = forms.parse_int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else None
    return ActionFilters(status if status in FILTERS else "open", round_id or None)
