"""The estate's public bulletin pages, for the isolation sweep's PUBLIC list. They take the
tenant from the slug in /p/{slug}/… and show only its bulletins shown today; another tenant's
bulletin id is the same 404 as an unknown one (tests/bulletins/test_public.py)."""

from __future__ import annotations

PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("/p/{slug:str}/bulletins", "GET"),
    ("/p/{slug:str}/bulletins/{bulletin_id:int}", "GET"),
    ("/p/{slug:str}/bulletins/{bulletin_id:int}", "POST"),
}
