"""Callback inputs, read from an HTML form or a JSON body through kefu.core.forms.Form: each bad
field becomes an error keyed by its name (form.check() raises them together)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from kefu import i18n
from kefu.callbacks.policy.attempts import OUTCOMES
from kefu.callbacks.policy.pack import CallbackPack
from kefu.core.forms import Form

TARGETS = ("segment", "complaints", "list", "none")
MAX_QUESTIONS = 30
MAX_QUESTION = 200
MAX_ANSWER = 2000
MAX_NOTES = 5000


class CampaignInput(msgspec.Struct):
    title: str
    kind: str
    plan: str
    opens_on: date
    window_start: date
    window_end: date
    target: str
    segment: str
    closed_from: date | None
    closed_to: date | None
    script: str
    questions: list[dict[str, str]]
    focus: str
    manager_id: int | None
    methods: list[str]
    attempt_limit: int


class AttemptInput(msgspec.Struct):
    outcome: str
    attempted_at: datetime | None
    call_back_at: datetime | None
    note: str
    recording_ref: str


class RecordInput(msgspec.Struct):
    answers: dict[str, str]
    notes: str
    recording_ref: str
    callback_on: date | None


def parse_questions(text: str) -> list[dict[str, str]]:
    """One question a line, numbered q1, q2, … in order."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [{"code": f"q{i}", "text": line} for i, line in enumerate(lines, start=1)]


def _methods(form: Form, pack: CallbackPack) -> list[str]:
    picked = form.lists.get("methods") or [m.strip() for m in form.raw("methods").split(",") if m.strip()]
    picked = [m.strip() for m in picked if m.strip()]
    if not picked and "methods" not in form.data:
        return list(pack.default_methods)
    if not picked or any(m not in pack.methods for m in picked) or len(set(picked)) != len(picked):
        form.error("methods", i18n.gettext("Choose each method at most once, from the list."))
        return []
    return picked


def campaign_input(form: Form, pack: CallbackPack) -> CampaignInput:
    title = form.text("title", max_length=200)
    kind = form.choice("kind", pack.kinds)
    plan = form.text("plan", max_length=40, required=False)
    window_start, window_end = form.day("window_start"), form.day("window_end")
    opens_on = form.day("opens_on", required=False) or window_start
    if window_start and window_end and window_end < window_start:
        form.error("window_end", i18n.gettext("The end cannot be before the start."))
    if opens_on and window_end and opens_on > window_end:
        form.error("opens_on", i18n.gettext("The campaign must open inside its window."))
    target = form.choice("target", TARGETS)
    segment = form.text("segment", max_length=50, required=target == "segment")
    closed_from = form.day("closed_from", required=target == "complaints")
    closed_to = form.day("closed_to", required=target == "complaints")
    if closed_from and closed_to and closed_to < closed_from:
        form.error("closed_to", i18n.gettext("The end cannot be before the start."))
    script = form.text("script", max_length=MAX_NOTES, required=False, multiline=True)
    raw_questions = form.text("questions", max_length=MAX_QUESTIONS * (MAX_QUESTION + 2), required=False, multiline=True)
    questions = parse_questions(raw_questions)
    if len(questions) > MAX_QUESTIONS:
        form.error("questions", i18n.gettext("At most 30 questions, one a line."))
    elif any(len(q["text"]) > MAX_QUESTION for q in questions):
        form.error("questions", i18n.gettext("Each question at most 200 characters."))
    focus = form.text("focus", max_length=2000, required=False, multiline=True)
    manager_id = form.integer("manager_id", minimum=1, maximum=2**31 - 1, required=False)
    methods = _methods(form, pack)
    limit = form.integer("attempt_limit", minimum=1, maximum=20, required=False) or pack.attempt_limit
    form.check()
    assert window_start and window_end and opens_on
    return CampaignInput(title=title, kind=kind, plan=plan, opens_on=opens_on, window_start=window_start,
                         window_end=window_end, target=target, segment=segment, closed_from=closed_from,
                         closed_to=closed_to, script=script, questions=questions, focus=focus,
                         manager_id=manager_id, methods=methods, attempt_limit=limit)


def attempt_input(form: Form, tz: str) -> AttemptInput:
    outcome = form.choice("outcome", OUTCOMES)
    attempted_at = form.moment("attempted_at", tz, required=False)
    call_back_at = form.moment("call_back_at", tz, required=outcome == "call_back")
    note = form.text("note", max_length=500, required=False, multiline=True)
    recording_ref = form.text("recording_ref", max_length=200, required=False)
    form.check()
    return AttemptInput(outcome=outcome, attempted_at=attempted_at, call_back_at=call_back_at, note=note,
                        recording_ref=recording_ref)


def record_input(form: Form, questions: list[dict[str, str]]) -> RecordInput:
    answers = {}
    for q in questions:
        answers[q["code"]] = form.text(f"answer_{q['code']}", max_length=MAX_ANSWER, required=False, multiline=True)
    notes = form.text("notes", max_length=MAX_NOTES, required=False, multiline=True)
    recording_ref = form.text("recording_ref", max_length=200, required=False)
    callback_on = form.day("callback_on", required=False)
    form.check()
    return RecordInput(answers=answers, notes=notes, recording_ref=recording_ref, callback_on=callback_on)


def addendum_input(form: Form, questions: list[dict[str, str]]) -> tuple[str, str]:
    fields = ["notes", "recording_ref", *(f"answer_{q['code']}" for q in questions)]
    field = form.choice("field", fields)
    text = form.text("text", max_length=MAX_NOTES, multiline=True)
    form.check()
    return field, text
