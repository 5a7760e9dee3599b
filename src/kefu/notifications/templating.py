"""The wording of notices: the sandbox tenant templates render in, and the default templates.

Tenant admins write templates, so they render in Jinja's SandboxedEnvironment, with the
operators that can allocate without bound checked and the output capped. An undefined variable
is an error, not a blank: a notice must never go out without the complaint number it is about.
Defaults ship as one TOML file per kind in defaults/ (a `label`, `[sample]` data for previews,
and per locale a `subject`, a `body` for email and letters and an `sms` text).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from kefu import i18n
from kefu.notifications.policy import LOCALES

MAX_OUTPUT = 50_000
MAX_RANGE = 1_000
DEFAULTS_DIR = Path(__file__).parent / "defaults"
COMMON_SAMPLE = {
    "complaint_number": "TS-20261201-0001",
    "received_on": "2026-12-01",
    "contact_phone": "95500",
}
SAMPLE_RECIPIENT = {"zh_CN": "张三", "en": "Zhang San"}


class TemplateProblem(ValueError):
    """A template that does not compile or render; `field` is "subject" or "body"."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.detail = detail


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


@dataclass(frozen=True)
class DefaultKind:
    kind: str
    label: str  # an English msgid
    sample: dict[str, Any]
    wording: dict[str, dict[str, Wording]]  # locale -> channel -> wording


def _too_big(value: Any, limit: int) -> bool:
    return isinstance(value, int | float) and abs(value) > limit


class NoticeSandbox(SandboxedEnvironment):
    """No `'x' * 10**9`: repetition and powers are bounded (the output is capped as well)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and (_too_big(right, 64) or _too_big(left, 10**6)):
            raise SecurityError("the power is too large")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and _too_big(n, MAX_OUTPUT // max(len(seq), 1)):
                    raise SecurityError("the repetition is too large")
        return super().call_binop(context, operator, left, right)


def format_day(value: Any) -> str:
    """`{{ received_on|date }}`: an ISO date (as notice data carries it) in the notice's language."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        return str(value)
    return format_date(value, format="long", locale=Locale.parse(i18n.current_locale()))


def _small_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise SecurityError(f"a range may have at most {MAX_RANGE} items")
    return numbers


@cache
def sandbox() -> NoticeSandbox:
    env = NoticeSandbox(undefined=StrictUndefined, autoescape=False)
    env.filters["date"] = format_day
    env.globals["range"] = _small_range
    return env


def _describe(exc: Exception) -> str:
    if isinstance(exc, TemplateSyntaxError):
        return f"line {exc.lineno}: {exc.message}"
    return str(exc) or type(exc).__name__


def check_syntax(field: str, source: str) -> None:
    try:
        sandbox().parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(field, _describe(exc)) from None


def render_source(field: str, source: str, context: dict[str, Any]) -> str:
    chunks: list[str] = []
    size = 0
    try:
        for chunk in sandbox().from_string(source).generate(context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateProblem(field, f"the text is longer than {MAX_OUTPUT} characters")
            chunks.append(chunk)
    except (TemplateError, SecurityError, ArithmeticError, TypeError, ValueError) as exc:
        if isinstance(exc, TemplateProblem):
            raise
        raise TemplateProblem(field, _describe(exc)) from None
    text = "".join(chunks)
    # Optional blocks leave blank lines behind; keep paragraphs, drop the gaps.
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip()


def render_wording(wording: Wording, context: dict[str, Any], locale: str) -> Wording:
    with i18n.using_locale(locale):
        subject = render_source("subject", wording.subject, context) if wording.subject else ""
        body = render_source("body", wording.body, context)
    return Wording(subject=" ".join(subject.split()), body=body)


def notice_context(
    data: dict[str, Any], *, tenant_name: str, recipient_name: str, due_on: date | None, today: date
) -> dict[str, Any]:
    """What a template sees: the notice's data, plus who it is from and to and the dates."""
    base = {
        "tenant_name": tenant_name,
        "recipient_name": recipient_name,
        "due_on": due_on.isoformat() if due_on else "",
        "today": today.isoformat(),
    }
    return base | dict(data)


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
        kind=path.stem, label=raw.get("label", path.stem), sample=raw.get("sample", {}), wording=wording
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


def kind_label(kind: str) -> str:
    found = default_kinds().get(kind)
    return i18n.gettext(found.label) if found else kind


def sample_context(kind: str, locale: str, tenant_name: str, today: date) -> dict[str, Any]:
    """Made-up data for a preview: the common fields, then the kind's own sample."""
    found = default_kinds().get(kind)
    data = COMMON_SAMPLE | (found.sample if found else {})
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
