"""The default wordings kefu ships, and what each kind of notice declares about itself.

One TOML file per kind in defaults/: a `label`, `[sample]` data for previews, and per locale a
`subject`, a `body` for email and letters and an `sms` text; optionally its `audience`
("staff": internal notices, outside the customers' sending hours), `sms_carries_it` and an
`opt_out` line. Read once (cached); rendering them is kefu.notifications.templating's.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from kefu import i18n
from kefu.core.packs import read_toml
from kefu.notifications.policy import LOCALES
from kefu.notifications.templating import Wording, notice_context
from kefu.settings import get_settings

DEFAULTS_DIR = Path(__file__).parent / "defaults"
SAMPLES_FILE = "notice_samples.toml"
COMMON_SAMPLE = {
    "complaint_number": "TS-20261201-0001",
    "received_on": "2026-12-01",
    "contact_phone": "95500",
}
SAMPLE_RECIPIENT = {"zh_CN": "张三", "en": "Zhang San"}


@dataclass(frozen=True)
class DefaultKind:
    kind: str
    label: str  # an English msgid
    sample: dict[str, Any]
    wording: dict[str, dict[str, Wording]]  # locale -> channel -> wording
    audience: str = "customer"  # "staff": internal notices, outside the customers' sending hours
    sms_carries_it: bool = True  # False: what the notice must tell does not fit an SMS
    opt_out: dict[str, str] = field(default_factory=dict)  # locale -> the 退订 line its SMS carries


def _load(path: Path) -> DefaultKind:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    wording: dict[str, dict[str, Wording]] = {}
    for locale in LOCALES:
        texts = raw.get(locale)
        if not texts:
            continue
        letter = Wording(subject=texts["subject"], body=texts["body"])
        wording[locale] = {
            "email": letter,
            "letter": letter,
            "sms": Wording(subject="", body=texts.get("sms", texts["body"])),
        }
    return DefaultKind(
        kind=path.stem, label=raw.get("label", path.stem), sample=raw.get("sample", {}), wording=wording,
        audience=raw.get("audience", "customer"), sms_carries_it=raw.get("sms_carries_it", True),
        opt_out={loc: raw[loc]["sms_opt_out"] for loc in LOCALES if raw.get("opt_out") and raw.get(loc, {}).get("sms_opt_out")},
    )


@cache
def default_kinds() -> dict[str, DefaultKind]:
    return {path.stem: _load(path) for path in sorted(DEFAULTS_DIR.glob("*.toml"))}


def default_wording(kind: str, locale: str, channel: str) -> Wording | None:
    """The shipped wording: in the notice's locale, else in Chinese, else none."""
    found = default_kinds().get(kind)
    if found is None:
        return None
    by_locale = found.wording.get(locale) or found.wording.get("zh_CN") or {}
    return by_locale.get(channel)


def to_customer(kind: str) -> bool:
    """A notice to a customer (quiet hours apply); a kind without defaults counts as one."""
    found = default_kinds().get(kind)
    return found is None or found.audience != "staff"


def needs_letter_with_sms(kind: str) -> bool:
    """An SMS of this kind cannot carry what the regulation requires: a letter goes with it."""
    found = default_kinds().get(kind)
    return found is not None and not found.sms_carries_it


def with_opt_out(kind: str, locale: str, body: str) -> str:
    """An SMS of a survey or marketing kind ends with its opt-out (退订) line; statutory notices
    carry none."""
    found = default_kinds().get(kind)
    line = (found.opt_out.get(locale) or found.opt_out.get("zh_CN", "")) if found else ""
    return body if not line or line.strip() in body else body + line


def kind_label(kind: str) -> str:
    found = default_kinds().get(kind)
    return i18n.gettext(found.label) if found else kind


@cache
def pack_samples(tenant_kind: str) -> dict[str, dict[str, Any]]:
    """The tenant kind's own sample data (tenants/<kind>/notice_samples.toml, optional): a
    property centre's preview speaks of lifts and leaks, not claims."""
    if not tenant_kind:
        return {}
    raw = read_toml(get_settings().tenants_dir / tenant_kind / SAMPLES_FILE, optional=True) or {}
    return {key: value for key, value in raw.items() if isinstance(value, dict)}


def sample_context(kind: str, locale: str, tenant_name: str, today: date, tenant_kind: str = "") -> dict[str, Any]:
    """Made-up data for a preview: the common fields, then the kind's own sample, each with
    the tenant kind's replacements."""
    found = default_kinds().get(kind)
    own = pack_samples(tenant_kind)
    data = COMMON_SAMPLE | own.get("common", {}) | (found.sample if found else {}) | own.get(kind, {})
    return notice_context(
        data, tenant_name=tenant_name, recipient_name=SAMPLE_RECIPIENT.get(locale, "张三"),
        due_on=today, today=today,
    )


# Labels of the default kinds, for the extractor (the TOML files hold the same msgids).
KIND_LABELS = [
    i18n.lazy("Materials notice"), i18n.lazy("Acceptance notice"), i18n.lazy("Rejection notice"),
    i18n.lazy("Decision notice"), i18n.lazy("Extension notice"), i18n.lazy("Pause notice"),
    i18n.lazy("Transfer notice"),
]
