"""The duties forms, read through the shared gate (kefu.core.forms): completing a task, recording
a training result, assigning a position. Each returns the parsed values or raises FieldErrors
with every bad field in the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kefu import i18n
from kefu.core import forms
from kefu.duties.policy.assignments import ROLES
from kefu.duties.policy.pack import EVIDENCE, RECORDS, RECURRENCES, Duty
from kefu.duties.policy.tasks import MAX_NOTE

MAX_USER_ID = 2**31 - 1


@dataclass(frozen=True)
class Completion:
    note: str
    checks: list[int]


def read_completion(form: forms.Form, items: int) -> Completion:
    note = form.text("note", max_length=MAX_NOTE, required=False, multiline=True)
    picked = form.choices("checks", [str(i) for i in range(items)])
    form.check()
    return Completion(note=note, checks=[int(i) for i in picked])


@dataclass(frozen=True)
class TrainingInput:
    user_id: int
    course: str
    session_on: date
    result: str
    score: int | None
    trainer: str
    certificate_no: str


def read_training(form: forms.Form, courses: list[str]) -> TrainingInput:
    user_id = form.integer("user_id", minimum=1, maximum=MAX_USER_ID)
    course = form.choice("course", courses)
    session_on = form.day("session_on")
    result = form.choice("result", ("passed", "failed"))
    score = form.integer("score", minimum=0, maximum=100, required=False)
    trainer = form.text("trainer", max_length=100, required=False)
    certificate_no = form.text("certificate_no", max_length=60, required=False)
    form.check()
    assert user_id is not None and session_on is not None
    return TrainingInput(user_id, course, session_on, result, score, trainer, certificate_no)


@dataclass(frozen=True)
class AssignmentInput:
    user_id: int
    position: str
    role: str
    starts_on: date
    ends_on: date | None
    note: str


def read_assignment(form: forms.Form, positions: list[str]) -> AssignmentInput:
    user_id = form.integer("user_id", minimum=1, maximum=MAX_USER_ID)
    position = form.choice("position", positions)
    role = form.choice("role", ROLES)
    starts_on = form.day("starts_on")
    ends_on = form.day("ends_on", required=False)
    note = form.text("note", max_length=200, required=False)
    if starts_on and ends_on and ends_on < starts_on:
        form.error("ends_on", i18n.gettext("The end date cannot be before the start date."))
    form.check()
    assert user_id is not None and starts_on is not None
    return AssignmentInput(user_id, position, role, starts_on, ends_on, note)


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    title: str
    held_on: date
    agenda: str
    attendees: str
    minutes: str


def read_meeting(form: forms.Form, kinds: tuple[str, ...]) -> MeetingInput:
    kind = form.choice("kind", kinds)
    title = form.text("title", max_length=200)
    held_on = form.day("held_on")
    agenda = form.text("agenda", max_length=10_000, required=False, multiline=True)
    attendees = form.text("attendees", max_length=10_000, required=False, multiline=True)
    minutes = form.text("minutes", max_length=10_000, required=False, multiline=True)
    form.check()
    assert held_on is not None
    return MeetingInput(kind, title, held_on, agenda, attendees, minutes)


@dataclass(frozen=True)
class ActionInput:
    title: str
    owner_id: int
    due_on: date


def read_action(form: forms.Form) -> ActionInput:
    title = form.text("title", max_length=200)
    owner_id = form.integer("owner_id", minimum=1, maximum=MAX_USER_ID)
    due_on = form.day("due_on")
    form.check()
    assert owner_id is not None and due_on is not None
    return ActionInput(title, owner_id, due_on)


@dataclass(frozen=True)
class NoteInput:
    kind: str
    noted_on: date
    reason: str
    cites_kind: str
    cites_id: int | None


def read_note(form: forms.Form, cite_kinds: list[str]) -> NoteInput:
    kind = form.choice("kind", ("commendation", "criticism"))
    noted_on = form.day("noted_on")
    reason = form.text("reason", max_length=2_000, multiline=True)
    cites_kind = form.choice("cites_kind", cite_kinds, required=False)
    cites_id = form.integer("cites_id", minimum=1, maximum=MAX_USER_ID, required=False)
    if bool(cites_kind) != (cites_id is not None):
        form.error("cites_id", i18n.gettext("Give both the kind of record and its number, or neither."))
    form.check()
    assert noted_on is not None
    return NoteInput(kind, noted_on, reason, cites_kind, cites_id)


@dataclass(frozen=True)
class SessionInput:
    course: str
    department: str
    session_on: date
    trainer: str
    place: str
    attended: list[int]
    passed: list[int]


def read_session(form: forms.Form, courses: list[str], departments: list[str], member_ids: list[int]) -> SessionInput:
    course = form.choice("course", courses)
    department = form.choice("department", departments, required=False)
    session_on = form.day("session_on")
    trainer = form.text("trainer", max_length=100, required=False)
    place = form.text("place", max_length=100, required=False)
    allowed = [str(i) for i in member_ids]
    attended = [int(i) for i in form.choices("attended", allowed)]
    passed = [int(i) for i in form.choices("passed", allowed)]
    if not attended and "attended" not in form.errors:
        form.error("attended", i18n.gettext("Choose at least one attendee."))
    if set(passed) - set(attended):
        form.error("passed", i18n.gettext("Only someone who attended can pass."))
    form.check()
    assert session_on is not None
    return SessionInput(course, department, session_on, trainer, place, attended, passed)


@dataclass(frozen=True)
class PlanInput:
    year: int
    department: str
    course: str
    month: int
    note: str


def read_plan_item(form: forms.Form, departments: list[str], courses: list[str]) -> PlanInput:
    year = form.integer("year", minimum=2000, maximum=2099)
    department = form.choice("department", departments)
    course = form.choice("course", courses)
    month = form.integer("month", minimum=1, maximum=12)
    note = form.text("note", max_length=200, required=False)
    form.check()
    assert year is not None and month is not None
    return PlanInput(year, department, course, month, note)


@dataclass(frozen=True)
class DepartmentInput:
    code: str
    name: str
    name_en: str
    parent: str


def read_department(form: forms.Form, departments: list[str]) -> DepartmentInput:
    code = form.text("code", max_length=40)
    name = form.text("name", max_length=100)
    name_en = form.text("name_en", max_length=100)
    parent = form.choice("parent", departments, required=False)
    form.check()
    return DepartmentInput(code, name, name_en, parent)


@dataclass(frozen=True)
class PositionInput:
    position: str
    department: str
    reports_to: str
    training: tuple[str, ...]


def read_position(form: forms.Form, positions: list[str], departments: list[str], courses: list[str]) -> PositionInput:
    position = form.choice("position", positions)
    department = form.choice("department", departments)
    reports_to = form.choice("reports_to", positions, required=False)
    training = tuple(form.choices("training", courses))
    form.check()
    return PositionInput(position, department, reports_to, training)


@dataclass(frozen=True)
class CourseInput:
    code: str
    name: str
    name_en: str
    valid_months: int


def read_course(form: forms.Form) -> CourseInput:
    code = form.text("code", max_length=40)
    name = form.text("name", max_length=100)
    name_en = form.text("name_en", max_length=100)
    valid_months = form.integer("valid_months", minimum=1, maximum=120)
    form.check()
    assert valid_months is not None
    return CourseInput(code, name, name_en, valid_months)


def read_permissions(form: forms.Form, positions: list[str], permissions: list[str]) -> tuple[str, tuple[str, ...]]:
    """A position and the permissions it is to grant (none ticked: it grants none)."""
    position = form.choice("position", positions)
    granted = tuple(form.choices("permissions", permissions))
    form.check()
    return position, granted


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def read_duty(form: forms.Form, positions: list[str]) -> tuple[str, Duty]:
    """The position and the duty item as a form states it; the pack's rules as field errors."""
    position = form.choice("position", positions)
    code = form.text("code", max_length=40)
    text = form.text("text", max_length=500, multiline=True)
    text_en = form.text("text_en", max_length=500, multiline=True)
    recurrence = form.choice("recurrence", RECURRENCES, required=False)
    evidence = form.choice("evidence", EVIDENCE, required=False)
    record = form.choice("record", RECORDS, required=False)
    checklist = _lines(form.text("checklist", max_length=5_000, required=False, multiline=True))
    checklist_en = _lines(form.text("checklist_en", max_length=5_000, required=False, multiline=True))
    if recurrence and not evidence and "evidence" not in form.errors:
        form.error("evidence", i18n.gettext("A recurring duty states the evidence that shows it done."))
    if (evidence == "record") != bool(record) and "record" not in form.errors:
        form.error("record", i18n.gettext("Choose the module record exactly when the evidence is a module record."))
    if (evidence == "checklist") != bool(checklist) and "checklist" not in form.errors:
        form.error("checklist", i18n.gettext("Give checklist items exactly when the evidence is a checklist."))
    if len(checklist) != len(checklist_en) and "checklist_en" not in form.errors:
        form.error("checklist_en", i18n.gettext("Give one English label per checklist item."))
    form.check()
    return position, Duty(code=code, text=text, text_en=text_en, recurrence=recurrence, evidence=evidence,
                          record=record, checklist=checklist, checklist_en=checklist_en)
