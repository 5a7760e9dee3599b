"""Customer rules as plain functions: kinds per tenant kind, contact channels, normalised
emails, the household key (kefu.customers.households), the check of one customer's fields (the staff form and each row of
an import use the same check), the checks across an import file's rows, and what may be done
with an import.

Nothing here touches the database; tests/customers/test_rules.py tables them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import msgspec

from kefu import i18n
from kefu.core import phones
from kefu.core.errors import FieldError
from kefu.core.forms import INVALID, TOO_LONG, clean_text, has_control
from kefu.core.labels import Labels, declare_audit
from kefu.core.packs import PackError, read_struct

# The household rules, where their callers have always found them.
from kefu.customers.households import HOUSEHOLD_KINDS as HOUSEHOLD_KINDS
from kefu.customers.households import compact
from kefu.customers.households import flat_query_household as flat_query_household
from kefu.customers.households import household_key as household_key
from kefu.customers.households import normalise_building as normalise_building
from kefu.customers.households import normalise_unit as normalise_unit
from kefu.customers.schemas import LIMITS, MAX_TAG, MAX_TAGS, CustomerInput
from kefu.settings import get_settings

KIND_MSGIDS = {
    "policyholder": i18n.lazy("Policyholder"),
    "insured": i18n.lazy("Insured person"),
    "beneficiary": i18n.lazy("Beneficiary"),
    "agent": i18n.lazy("Agent"),
    "owner": i18n.lazy("Property owner"),
    "resident": i18n.lazy("Resident"),
}
KIND_LABELS = Labels(KIND_MSGIDS)
# Every customer kind the product knows; which ones a tenant serves is its pack's
# (tenants/<kind>/customers.toml, `kinds`).
ALL_KINDS = tuple(KIND_MSGIDS)
# The Chinese words an import file may use for a kind (the codes and English labels work too).
KIND_WORDS = {
    "投保人": "policyholder", "被保险人": "insured", "被保人": "insured", "受益人": "beneficiary",
    "代理人": "agent", "业主": "owner", "住户": "resident", "租户": "resident",
}
# Kinds whose household is their flat: one answer per household counts building|unit.

CHANNELS = ("sms", "email", "letter", "none")
CHANNEL_MSGIDS = {
    "sms": i18n.lazy("SMS"),
    "email": i18n.lazy("Email"),
    "letter": i18n.lazy("Letter"),
    "none": i18n.lazy("Do not contact"),
}
CHANNEL_LABELS = Labels(CHANNEL_MSGIDS)
CHANNEL_WORDS = {
    "短信": "sms", "手机短信": "sms", "邮件": "email", "电子邮件": "email", "邮箱": "email",
    "信函": "letter", "信件": "letter", "纸质信函": "letter", "不联系": "none", "无": "none",
}
# channel -> (the field it needs, the message when that field is empty)
CHANNEL_NEEDS = {
    "sms": ("phone", i18n.lazy("SMS needs a phone number.")),
    "email": ("email", i18n.lazy("Email needs an email address.")),
    "letter": ("postal_address", i18n.lazy("A letter needs a postal address.")),
}
YES = frozenset({"1", "y", "yes", "true", "on", "是", "同意", "已同意", "√", "✓"})
NO = frozenset({"", "0", "n", "no", "false", "off", "否", "不同意", "未同意", "×"})

# An address copied from a spreadsheet cell may keep its line breaks.
MULTILINE = frozenset({"postal_address", "notes"})
TAG_SPLIT = re.compile(r"[,，、;；]")

EMAIL_RE = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")
class Words(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    label: str
    label_en: str


class CustomersPack(msgspec.Struct, forbid_unknown_fields=True):
    kinds: list[str] = msgspec.field(default_factory=list)
    # What the customer's reference is called on the pages (an insurer's policy number, a
    # centre's owner number), and the column headers an import file may give it; the product's
    # own words where the pack names none.
    external_ref: Words | None = None
    external_ref_headers: str = "保单号 / 客户编号"


@cache
def _pack(path: Path) -> CustomersPack:
    pack = read_struct(path, CustomersPack, default=CustomersPack())
    for i, kind in enumerate(pack.kinds):
        if kind not in KIND_MSGIDS:
            raise PackError(f"{path}: $.kinds[{i}]: expected one of {ALL_KINDS}, got {kind!r}")
    return pack


def kinds_for(tenant_kind: str) -> tuple[str, ...]:
    """The customer kinds a tenant of this kind serves, from its pack (none without a file)."""
    return tuple(_pack(get_settings().tenants_dir / tenant_kind / "customers.toml").kinds)


def pack_for(tenant_kind: str) -> CustomersPack:
    """The kind's customers pack (tenants/<kind>/customers.toml)."""
    return _pack(get_settings().tenants_dir / tenant_kind / "customers.toml")


def uses_flats(tenant_kind: str) -> bool:
    """Whether this tenant's customers live in flats (the pages show building and flat)."""
    return any(k in HOUSEHOLD_KINDS for k in kinds_for(tenant_kind))


def normalise_email(raw: str) -> str | None:
    """Trimmed and lower-cased; "" for none; None if it is not an address."""
    text = unicodedata.normalize("NFKC", raw or "").strip().lower()
    if not text:
        return ""
    return text if EMAIL_RE.match(text) and len(text) <= LIMITS["email"] else None


def parse_consent(raw: str) -> bool | None:
    """Yes/no as people type it (是/否, Y/N, 同意…); None if neither."""
    text = compact(raw)
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def _code(text: str, words: Mapping[str, str], msgids: Mapping[str, str]) -> str | None:
    """A code from its Chinese word, the code itself or its English msgid (any case)."""
    lowered = text.lower()
    if text in words:
        return words[text]
    return next((c for c, msgid in msgids.items() if lowered in (c, msgid.lower())), None)


def parse_kind(raw: str, tenant_kind: str) -> str | None:
    """A kind code, its English label or its Chinese word -> the code, if this tenant has it."""
    code = _code(unicodedata.normalize("NFKC", raw or "").strip(), KIND_WORDS, KIND_MSGIDS)
    return code if code in kinds_for(tenant_kind) else None


def parse_channel(raw: str) -> str | None:
    """A channel code, label or Chinese word -> the code; "" when not given; None if unknown."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        return ""
    return _code(text, CHANNEL_WORDS, CHANNEL_MSGIDS)


def parse_tags(raw: str) -> list[str]:
    """"VIP，老年客户, 商铺" -> ["VIP", "老年客户", "商铺"]: split on Chinese or Latin commas,
    trimmed, duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for part in TAG_SPLIT.split(unicodedata.normalize("NFKC", raw or "")):
        tag = part.strip()
        if tag:
            seen.setdefault(tag, None)
    return list(seen)


def _text(raw: Mapping[str, Any], name: str, errors: dict[str, FieldError], required: bool = False) -> str:
    value = raw.get(name)
    text, problem = clean_text("" if value is None else str(value), max_length=LIMITS[name],
                               required=required, multiline=name in MULTILINE)
    if problem == TOO_LONG:
        errors[name] = FieldError(name, problem, max=LIMITS[name])
    elif problem:
        errors[name] = FieldError(name, problem)
    return "" if problem == INVALID else text


def _channel(data: CustomerInput, raw: Mapping[str, Any], errors: dict[str, FieldError]) -> None:
    channel = parse_channel(raw.get("preferred_channel") or "")
    if channel is None:
        errors["preferred_channel"] = FieldError(
            "preferred_channel", "Choose SMS, email, letter or do not contact."
        )
        return
    if not channel:  # not given: the first way we have to reach them
        channel = "sms" if data.phone else "email" if data.email else (
            "letter" if data.postal_address else "none")
    data.preferred_channel = channel
    needs = CHANNEL_NEEDS.get(channel)
    if needs and not getattr(data, needs[0]) and needs[0] not in errors:
        errors["preferred_channel"] = FieldError("preferred_channel", needs[1])


def _contact(data: CustomerInput, raw: Mapping[str, Any], errors: dict[str, FieldError]) -> None:
    phone = phones.normalise(_text(raw, "phone", errors))
    if phone is None:
        errors["phone"] = FieldError("phone", "Enter a phone number (digits, may start with +).")
    data.phone = phone or ""
    email = normalise_email(_text(raw, "email", errors))
    if email is None:
        errors["email"] = FieldError("email", "Enter an email address such as name@example.com.")
    data.email = email or ""
    _channel(data, raw, errors)


def _tags(raw: Mapping[str, Any], errors: dict[str, FieldError]) -> list[str]:
    value = str(raw.get("tags") or "")
    if has_control(value):
        errors["tags"] = FieldError("tags", "Enter a valid value.")
        return []
    tags = parse_tags(value)
    if len(tags) > MAX_TAGS:
        errors["tags"] = FieldError("tags", "At most %(max)s tags.", max=MAX_TAGS)
    elif any(len(t) > MAX_TAG for t in tags):
        errors["tags"] = FieldError("tags", "A tag has at most %(max)s characters.", max=MAX_TAG)
    return tags


def check_customer(raw: Mapping[str, Any], tenant_kind: str) -> tuple[CustomerInput, dict[str, FieldError]]:
    """Every field of one customer at once: (the clean input, errors by field name).

    `raw` holds text as typed: name, kind, phone, email, postal_address, external_ref,
    building, unit, consent ("1", "是", "yes"…), preferred_channel, tags, notes."""
    errors: dict[str, FieldError] = {}
    data = CustomerInput()
    data.name = _text(raw, "name", errors, required=True)
    kind = parse_kind(raw.get("kind") or "", tenant_kind)
    if kind is None:
        labels = "、".join(KIND_LABELS(k) for k in kinds_for(tenant_kind))
        errors["kind"] = FieldError("kind", "Choose one of: %(kinds)s.", kinds=labels)
    data.kind = kind or ""
    data.postal_address = _text(raw, "postal_address", errors)
    data.external_ref = _text(raw, "external_ref", errors)
    data.building = _text(raw, "building", errors)
    data.unit = _text(raw, "unit", errors)
    data.notes = _text(raw, "notes", errors)
    _contact(data, raw, errors)
    consent = parse_consent(raw.get("consent") or "")
    if consent is None:
        errors["consent"] = FieldError("consent", "Enter yes or no (是/否).")
    data.consent_contact = bool(consent)
    data.tags = _tags(raw, errors)
    return data, errors


def check_rows(parsed_rows: list[dict[str, Any]], tenant_kind: str) -> list[dict[str, Any]]:
    """Per-row errors of an import file: [{"row": n, "field": f, "message": msgid, "vars": {...}}],
    in row order. The same check as the staff form, plus: an external_ref given twice in the file."""
    errors: list[dict[str, Any]] = []
    first_row: dict[str, int] = {}
    for item in parsed_rows:
        values = item["values"]
        _, problems = check_customer(values, tenant_kind)
        for name, problem in problems.items():
            errors.append({"row": item["row"], "field": name, "message": problem.message,
                           "vars": {k: str(v) for k, v in problem.variables.items()}})
        ref = (values.get("external_ref") or "").strip()
        if ref and "external_ref" not in problems:
            if ref in first_row:
                errors.append({
                    "row": item["row"], "field": "external_ref",
                    "message": i18n.lazy("The number %(ref)s is also on row %(first)s."),
                    "vars": {"ref": ref, "first": str(first_row[ref])},
                })
            else:
                first_row[ref] = item["row"]
    return errors


# The audit trail's words for this module's codes (kefu.core.labels.declare_audit).
declare_audit(None, {"customer": i18n.lazy("Customer"), "customer_import": i18n.lazy("Customer import")})
