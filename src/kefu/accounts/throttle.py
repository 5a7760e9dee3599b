"""Sign-in throttling: attempts counted per (email, client address) in a time window.

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


async def take_attempt(email: str, client: str) -> bool:
    """Count this attempt; False when the limit for this email and client is used up."""
    settings = get_settings()
    return await ratelimit.hit(
        SCOPE, _key(email, client), limit=settings.signin_max_failures,
        window=settings.signin_window_seconds, fail_open=False,
    )


async def clear_failures(email: str, client: str) -> None:
    settings = get_settings()
    await ratelimit.reset(SCOPE, _key(email, client), limit=settings.signin_max_failures,
                          window=settings.signin_window_seconds)
