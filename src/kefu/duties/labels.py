"""The duties module's words for its codes (kefu.core.labels.Labels), and the pack's own words
for its positions, duties, courses and departments."""

from __future__ import annotations

from kefu import i18n
from kefu.core.labels import Labels, declare_audit
from kefu.core.packs import Pack
from kefu.duties.policy.pack import DutyPack

RECURRENCE = Labels({
    "daily": i18n.lazy("Daily"), "weekly": i18n.lazy("Weekly"), "monthly": i18n.lazy("Monthly"),
    "quarterly": i18n.lazy("Quarterly"), "half_yearly": i18n.lazy("Half-yearly"), "yearly": i18n.lazy("Yearly"),
    "event": i18n.lazy("On an event"),
})
STATUS = Labels({"open": i18n.lazy("To do"), "done": i18n.lazy("Done")})
EVIDENCE = Labels({
    "note": i18n.lazy("A written note"), "checklist": i18n.lazy("A checklist"), "upload": i18n.lazy("An uploaded file"),
    "record": i18n.lazy("A module record (closes by itself)"),
})
ROLE = Labels({"holder": i18n.lazy("Holder"), "acting": i18n.lazy("Acting"), "deputy": i18n.lazy("Deputy")})
RESULT = Labels({"passed": i18n.lazy("Passed"), "failed": i18n.lazy("Failed")})
MEETING_KIND = Labels({"department": i18n.lazy("Department meeting"), "owners_assembly": i18n.lazy("Owners' assembly"),
                       "canteen": i18n.lazy("Canteen committee meeting")})
NOTE_KIND = Labels({"commendation": i18n.lazy("Commendation"), "criticism": i18n.lazy("Criticism")})
ACTION_STATUS = Labels({"open": i18n.lazy("Open"), "done": i18n.lazy("Closed")})


def positions(pack: Pack) -> Labels:
    return Labels({code: {"zh_CN": p.name, "en": p.name_en} for code, p in pack.positions.items()})


def duties(pack: DutyPack) -> Labels:
    return Labels({d.code: {"zh_CN": d.text, "en": d.text_en} for s in pack.sets.values() for d in s.duties})


def courses(pack: DutyPack) -> Labels:
    return Labels({code: {"zh_CN": c.name, "en": c.name_en} for code, c in pack.courses.items()})


def departments(pack: DutyPack) -> Labels:
    return Labels({code: {"zh_CN": d.name, "en": d.name_en} for code, d in pack.departments.items()})


def checklist(pack: DutyPack, duty_code: str) -> list[str]:
    found = pack.duty(duty_code)
    if found is None:
        return []
    duty = found[1]
    return list(duty.checklist_en if i18n.current_locale() == "en" else duty.checklist)


def helpers(pack: Pack, duty_pack: DutyPack) -> dict[str, object]:
    """Everything the duties templates name codes with."""
    return {
        "recurrence_label": RECURRENCE, "status_label": STATUS, "evidence_label": EVIDENCE, "role_label": ROLE,
        "result_label": RESULT, "meeting_kind_label": MEETING_KIND, "action_status_label": ACTION_STATUS, "note_kind_label": NOTE_KIND, "position_label": positions(pack), "duty_label": duties(duty_pack),
        "course_label": courses(duty_pack), "department_label": departments(duty_pack),
    }


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"duty_task": i18n.lazy("Duty task"), "training_record": i18n.lazy("Training record"),
    "training": i18n.lazy("Training record"), "meeting": i18n.lazy("Meeting")})
