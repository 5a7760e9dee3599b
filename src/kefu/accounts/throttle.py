"""Sign-in throttling: attempts counted per (email, client address) in a time window, and per
email across all addresses (a higher limit).

Each attempt is counted atomically *before* the password is checked, and a successful
sign-in clears the count, so what accumulates is failures. Counting first is what makes the
limit hold when attempts arrive in parallel: checking the count and recording the failure
after the (slow) password hash let every one of 20 concurrent guesses through.

The counting is kefu.core.ratelimit's (Redis across processes, memory when embedded); unlike
the public form's limit it does not fail open: no Redis, no sign-in.
"""

from __future__ import annotations

from kefu.core import ratelimit
from kefu.settings import get_settings

SCOPE = "signin"


def _key(email: str, client: str) -> str:
    return f"{email.strip().lower()}|{client}"


ACCOUNT_SCOPE = "signin-account"


async def take_attempt(email: str, client: str) -> bool:
    """Count this attempt; False when the limit for this email and client is used up, or the
    account's own limit across every address (a guesser rotating addresses)."""
    settings = get_settings()
    per_client = await ratelimit.hit(
        SCOPE, _key(email, client), limit=settings.signin_max_failures,
        window=settings.signin_window_seconds, fail_open=False,
    )
    if "@" not in email:  # no address, no account to protect: the per-client count is enough
        return per_client
    per_account = await ratelimit.hit(
        ACCOUNT_SCOPE, email.strip().lower(), limit=settings.signin_account_max_failures,
        window=settings.signin_window_seconds, fail_open=False,
    )
    return per_client and per_account


async def clear_failures(email: str, client: str) -> None:
    settings = get_settings()
    await ratelimit.reset(SCOPE, _key(email, client), limit=settings.signin_max_failures,
                          window=settings.signin_window_seconds)
    await ratelimit.reset(ACCOUNT_SCOPE, email.strip().lower(), limit=settings.signin_account_max_failures,
                          window=settings.signin_window_seconds)
