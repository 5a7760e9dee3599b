"""A valid new complaint in the service's (API) shape, for every complaints test folder."""

from __future__ import annotations

from typing import Any

_DROP = object()


def complaint_payload(**over: Any) -> dict[str, Any]:
    """`complainant_x=` sets complainant.x; a value of `DROP` leaves the field out."""
    data: dict[str, Any] = {
        "channel": "hotline",
        "complainant": {"name": "张三", "phone": "13800138000", "email": "zhang@example.test",
                        "relation": "consumer"},
        "customer_ref": "P-2026-0001",
        "subject": "理赔款迟迟未到账",
        "description": "三月初报案，至今未收到理赔款。",
        "category": "claims",
        "materials_complete": False,
    }
    for key, value in over.items():
        if key.startswith("complainant_"):
            data["complainant"] = {**data["complainant"], key[len("complainant_"):]: value}
        elif value is _DROP:
            data.pop(key, None)
        else:
            data[key] = value
    return data


DROP = _DROP
