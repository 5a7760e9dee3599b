"""The callbacks module's words for its codes, and the pack's own words for its kinds and
positions."""

from __future__ import annotations

from kefu import i18n
from kefu.callbacks.policy.pack import CallbackPack
from kefu.core.labels import Labels
from kefu.core.packs import Pack

METHOD = Labels({"phone": i18n.lazy("Phone callback"), "onsite": i18n.lazy("On-site callback"),
                 "online": i18n.lazy("Online questionnaire")})
STATUS = Labels({"open": i18n.lazy("To do"), "done": i18n.lazy("Done"), "unreachable": i18n.lazy("Unreachable"),
                 "refused": i18n.lazy("Declined"), "cancelled": i18n.lazy("Cancelled")})
OUTCOME = Labels({"reached": i18n.lazy("Reached"), "no_answer": i18n.lazy("No answer"), "busy": i18n.lazy("Busy"),
                  "wrong_number": i18n.lazy("Wrong number"), "refused": i18n.lazy("Refused"),
                  "call_back": i18n.lazy("Call back later")})
CAMPAIGN_STATUS = Labels({"draft": i18n.lazy("Scheduled"), "open": i18n.lazy("Open"), "closed": i18n.lazy("Closed")})
TARGET = Labels({"segment": i18n.lazy("A customer segment (tag)"),
                 "complaints": i18n.lazy("Complainants of complaints closed in a period"),
                 "list": i18n.lazy("An uploaded list"), "none": i18n.lazy("No one yet (tasks added later)")})
ORIGIN = Labels({"campaign": i18n.lazy("Campaign"), "complaint": i18n.lazy("Complaint closed"),
                 "api": i18n.lazy("API"), "manual": i18n.lazy("Added by hand"), "policy": i18n.lazy("New policy")})
FIELD = Labels({"notes": i18n.lazy("Notes"), "recording_ref": i18n.lazy("Call recording reference")})


def kinds(pack: CallbackPack) -> Labels:
    return Labels({code: {"zh_CN": k.name, "en": k.name_en} for code, k in pack.kinds.items()})


def positions(pack: Pack) -> Labels:
    return Labels({code: {"zh_CN": p.name, "en": p.name_en} for code, p in pack.positions.items()})


def helpers(pack: Pack, callbacks: CallbackPack) -> dict[str, object]:
    """Everything the callbacks templates name codes with."""
    return {"method_label": METHOD, "status_label": STATUS, "outcome_label": OUTCOME,
            "campaign_status_label": CAMPAIGN_STATUS, "target_label": TARGET, "origin_label": ORIGIN,
            "field_label": FIELD, "kind_label": kinds(callbacks), "position_label": positions(pack),
            "callback_products": bool(callbacks.products)}
