"""What the tenant-isolation sweep (tests/isolation/test_sweep.py) needs from the identity
module: the public pages. A tenant's sign-in pages show the tenant's name and its provider's
button label; an invitation link opens only its own invitation (an unknown, used, revoked or
expired one is a 404). Their failures are tested in this folder."""

from __future__ import annotations

PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("/t/{slug:str}/signin", "GET"),
    ("/t/{slug:str}/signin/oidc", "POST"),
    ("/t/{slug:str}/signin/oidc/callback", "GET"),
    ("/invite/{token:str}", "GET"),
    ("/invite/{token:str}", "POST"),
    # Forgotten passwords: the same answer for every email; a reset link opens only its own reset.
    ("/password/forgot", "GET"),
    ("/password/forgot", "POST"),
    ("/password/reset/{token:str}", "GET"),
    ("/password/reset/{token:str}", "POST"),
}
