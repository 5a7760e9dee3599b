"""The identity provider settings form, read and checked field by field."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from kefu import i18n
from kefu.core.forms import Form
from kefu.identity.policy import ADMISSIONS, AUTOMATIC, parse_domains, parse_scopes


@dataclass(frozen=True)
class ProviderInput:
    label: str
    issuer: str
    client_id: str
    client_secret: str  # empty: keep the stored one
    scopes: list[str]
    allowed_domains: list[str]
    admission: str
    default_position: str
    password_signin: bool
    is_enabled: bool


def _issuer(form: Form) -> str:
    value = form.text("issuer", max_length=500).rstrip("/")
    value = value.removesuffix("/.well-known/openid-configuration")
    parts = urlsplit(value)
    if value and (parts.scheme not in ("https", "http") or not parts.hostname or parts.query or parts.fragment):
        form.error("issuer", i18n.gettext("Enter the provider's issuer URL, such as https://login.example.com."))
    return value


def read_provider_form(form: Form, positions: list[str]) -> ProviderInput:
    """The form's values; errors by field stay on the form (form.ok is False)."""
    scopes = parse_scopes(form.text("scopes", max_length=300, required=False) or "openid email profile")
    if scopes is None:
        form.error("scopes", i18n.gettext("Scopes are words separated by spaces, such as: openid email profile."))
    domains, invalid = parse_domains(form.text("allowed_domains", max_length=1000, required=False, multiline=True))
    if invalid:
        form.error("allowed_domains", i18n.gettext("Not a domain name: %(items)s", items=", ".join(invalid[:5])))
    admission = form.choice("admission", ADMISSIONS)
    default_position = form.choice("default_position", positions, required=admission == AUTOMATIC)
    return ProviderInput(
        label=form.text("label", max_length=100),
        issuer=_issuer(form),
        client_id=form.text("client_id", max_length=200),
        client_secret=form.text("client_secret", max_length=500, required=False),
        scopes=scopes or [],
        allowed_domains=domains,
        admission=admission,
        default_position=default_position,
        password_signin=form.flag("password_signin"),
        is_enabled=form.flag("is_enabled"),
    )
