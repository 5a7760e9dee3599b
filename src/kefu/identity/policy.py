"""Pure rules of sign-in through a tenant's identity provider: who may be admitted."""

from __future__ import annotations

import re
from dataclasses import dataclass

INVITED = "invited"
AUTOMATIC = "automatic"
ADMISSIONS = (INVITED, AUTOMATIC)
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$")
SCOPE_RE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,64}$")  # RFC 6749 scope-token characters


def parse_domains(text: str) -> tuple[list[str], list[str]]:
    """(domains, invalid entries) from text separated by spaces, commas or new lines."""
    items = [d.strip().lower().lstrip("@") for d in re.split(r"[\s,;]+", text) if d.strip()]
    return sorted(set(d for d in items if DOMAIN_RE.match(d))), [d for d in items if not DOMAIN_RE.match(d)]


def parse_scopes(text: str) -> list[str] | None:
    """The scopes with openid first, or None when one is not a valid scope token."""
    items = [s for s in text.split() if s]
    if any(not SCOPE_RE.match(s) for s in items):
        return None
    rest = [s for s in dict.fromkeys(items) if s != "openid"]
    return ["openid", *rest]


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def domain_allowed(email: str, domains: list[str]) -> bool:
    """Any domain when none is listed; else the email's domain (exactly) must be listed."""
    return not domains or email_domain(email) in domains


@dataclass(frozen=True)
class Seen:
    """What the provider told us and what kefu already knows about that person."""

    email: str
    email_verified: bool
    linked_user: int | None  # the account linked to this subject in this tenant
    email_user: int | None  # the account of this email
    email_user_is_member: bool
    linked_user_is_member: bool
    invited: bool = False  # an open invitation of this email in the tenant


def admit(seen: Seen, *, domains: list[str], admission: str) -> tuple[str, str]:
    """(outcome, reason): ("signin", ""), ("link", "") for an existing account, ("join", "")
    for an existing account made a member, ("create", "") for a new account, or ("refuse", reason)."""
    if seen.email and not domain_allowed(seen.email, domains):
        return "refuse", "domain"
    if seen.linked_user is not None:
        return ("signin", "") if seen.linked_user_is_member else ("refuse", "not_member")
    if not seen.email or not seen.email_verified:
        return "refuse", "email_unverified"
    if seen.email_user is not None and seen.email_user_is_member:
        return "link", ""
    if admission != AUTOMATIC and not seen.invited:
        return "refuse", "not_member"
    return ("join", "") if seen.email_user is not None else ("create", "")
