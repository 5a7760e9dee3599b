"""What the tenant-isolation sweep (tests/isolation/test_sweep.py) needs from the public answer
page: its routes, for the sweep's PUBLIC list. They take the tenant from the slug in /p/{slug}/…
and show only what the token opens (the round's questionnaire); a token of another tenant is
the same 404 as an unknown one (tests/surveys/public/test_isolation.py)."""

from __future__ import annotations

PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("/p/{slug:str}/s/{token:str}", "GET"),
    ("/p/{slug:str}/s/{token:str}", "POST"),
    ("/p/{slug:str}/s/{token:str}/thanks", "GET"),
    ("/p/{slug:str}/s/{token:str}/opt-out", "GET"),
    ("/p/{slug:str}/s/{token:str}/opt-out", "POST"),
}
