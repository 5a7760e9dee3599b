"""Absolute links to the public answer page, for notices and posters made without a request."""

from __future__ import annotations

from kefu.settings import get_settings


def answer_url(tenant_slug: str, token: str) -> str:
    """The link an invitee (their invitation token) or anyone (a round's open token) opens."""
    return f"{get_settings().public_url.rstrip('/')}/p/{tenant_slug}/s/{token}"
