"""A tenant's edits of its departments, positions' duty sets and duty items (pure): each edit
takes the duties document (the shape of tenants/<kind>/duties.toml) and returns the changed
one; pack.parse_duties then validates the result exactly as it validates a pack file."""

from __future__ import annotations

from typing import Any

import msgspec

from kefu.core.errors import FieldError
from kefu.core.packs import ADMIN_POSITION, Pack
from kefu.duties.policy.pack import Course, Department, DutiesFile, Duty, DutyPack, DutySet, Grants

CODE_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_")


def document_of(pack: DutyPack) -> DutiesFile:
    return DutiesFile(departments=tuple(pack.departments.values()), courses=tuple(pack.courses.values()),
                      duty_sets=tuple(pack.sets.values()),
                      permissions=tuple(Grants(position=p, permissions=c) for p, c in pack.permissions.items()),
                      grading=pack.grading)


def to_json(file: DutiesFile) -> str:
    return msgspec.json.encode(file).decode()


def from_json(text: str) -> Any:
    return msgspec.json.decode(text)


def check_code(field: str, code: str) -> str:
    code = (code or "").strip()
    if not code or len(code) > 40 or not set(code) <= CODE_CHARS or not code[0].isalpha():
        raise FieldError(field, "Use lower-case letters, digits and _, starting with a letter (at most 40).")
    return code


def _descendants(file: DutiesFile, code: str) -> set[str]:
    found = {code}
    grew = True
    while grew:
        more = {d.code for d in file.departments if d.parent in found} - found
        found |= more
        grew = bool(more)
    return found


def set_department(file: DutiesFile, code: str, name: str, name_en: str, parent: str) -> DutiesFile:
    """Add the department `code`, or rename it and move it under `parent`."""
    known = {d.code for d in file.departments}
    if parent and parent not in known | {code}:
        raise FieldError("parent", "Choose one of the listed values.")
    if parent and code in known and parent in _descendants(file, code):
        raise FieldError("parent", "A department cannot sit under itself or a department below it.")
    if parent == code:
        raise FieldError("parent", "A department cannot sit under itself or a department below it.")
    made = Department(code=code, name=name, name_en=name_en, parent=parent)
    if code in known:
        departments = tuple(made if d.code == code else d for d in file.departments)
    else:
        departments = (*file.departments, made)
    return msgspec.structs.replace(file, departments=departments)


def _set_of(file: DutiesFile, position: str) -> DutySet | None:
    return next((s for s in file.duty_sets if s.position == position), None)


def _replace_set(file: DutiesFile, new: DutySet) -> DutiesFile:
    if _set_of(file, new.position) is None:
        return msgspec.structs.replace(file, duty_sets=(*file.duty_sets, new))
    return msgspec.structs.replace(file, duty_sets=tuple(new if s.position == new.position else s for s in file.duty_sets))


def set_position(file: DutiesFile, position: str, department: str, reports_to: str,
                 training: tuple[str, ...]) -> DutiesFile:
    """The position's department, whom it reports to and the training it requires (its duty set
    is made, empty, if it had none)."""
    if reports_to == position:
        raise FieldError("reports_to", "A position cannot report to itself.")
    found = _set_of(file, position)
    if found is None:
        return _replace_set(file, DutySet(position=position, department=department, reports_to=reports_to,
                                          training=training))
    return _replace_set(file, msgspec.structs.replace(found, department=department, reports_to=reports_to,
                                                      training=training))


def set_duty(file: DutiesFile, position: str, duty: Duty) -> DutiesFile:
    """Add `duty` to the position's set, or change the duty of that code there. A code another
    position's set uses is refused."""
    found = _set_of(file, position)
    if found is None:
        raise FieldError("position", "Give this position its department first.")
    if found.same_as:
        raise FieldError("position", "This position does the duties of another; edit those instead.")
    if any(d.code == duty.code for s in file.duty_sets if s.position != position for d in s.duties):
        raise FieldError("code", "Another position's duty has this code.")
    if any(d.code == duty.code for d in found.duties):
        duties = tuple(duty if d.code == duty.code else d for d in found.duties)
    else:
        duties = (*found.duties, duty)
    return _replace_set(file, msgspec.structs.replace(found, duties=duties))


def remove_duty(file: DutiesFile, position: str, code: str) -> DutiesFile:
    found = _set_of(file, position)
    if found is None or all(d.code != code for d in found.duties):
        raise FieldError("code", "Choose one of the listed values.")
    return _replace_set(file, msgspec.structs.replace(found, duties=tuple(d for d in found.duties if d.code != code)))


def own_of(file: DutiesFile) -> dict[str, list[str]]:
    """The document's own permissions per position, as the tenant's settings keep them."""
    return {g.position: list(g.permissions) for g in file.permissions}


def set_permissions(file: DutiesFile, base: Pack, position: str, permissions: tuple[str, ...]) -> DutiesFile:
    """The permissions `position` grants in this tenant, in the pack's order; the pack's own set
    takes the position back to the pack. The admin position always grants every permission (the
    tenant's administrators can always reach this page and the members page, so an edit never
    leaves the tenant unable to undo it)."""
    if position == ADMIN_POSITION:
        raise FieldError("permissions", "The administrator position always grants every permission.")
    ordered = tuple(code for code in base.permissions if code in set(permissions))
    kept = tuple(g for g in file.permissions if g.position != position)
    if set(ordered) != set(base.positions[position].permissions):
        kept = (*kept, Grants(position=position, permissions=ordered))
    return msgspec.structs.replace(file, permissions=kept)


def set_course(file: DutiesFile, course: Course) -> DutiesFile:
    """Add the course, or rename it and change how long a pass stays valid (passes already
    recorded keep the expiry they were given)."""
    if any(c.code == course.code for c in file.courses):
        courses = tuple(course if c.code == course.code else c for c in file.courses)
    else:
        courses = (*file.courses, course)
    return msgspec.structs.replace(file, courses=courses)


def remove_course(file: DutiesFile, code: str) -> DutiesFile:
    """Take a course off the list (its sessions and results stay); refused while a position
    requires it."""
    if all(c.code != code for c in file.courses):
        raise FieldError("code", "Choose one of the listed values.")
    if any(code in s.training for s in file.duty_sets):
        raise FieldError("code", "A position requires this course; take it off the position first.")
    return msgspec.structs.replace(file, courses=tuple(c for c in file.courses if c.code != code))
