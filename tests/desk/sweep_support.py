"""What the tenant-isolation sweep (tests/isolation/test_sweep.py) needs from the desk: its
public pages — the price list of a centre's paid services, the order form a resident fills in,
and an order's status behind its secret link. They take the tenant from the slug and show only
that tenant's pack's catalogue and that tenant's order; their behaviour (another tenant's link
is a 404) is tested in tests/desk/test_public.py and tests/desk/test_public_orders.py."""

from __future__ import annotations

PUBLIC_ROUTES: set[tuple[str, str]] = {
    ("/p/{slug:str}/services", "GET"),
    ("/p/{slug:str}/services/order", "GET"),
    ("/p/{slug:str}/services/order", "POST"),
    ("/p/{slug:str}/services/orders/{token:str}", "GET"),
}
