"""Words the bulletin pages show for codes (kefu.core.labels: an unknown code shows "—")."""

from __future__ import annotations

from typing import Any

from kefu import i18n
from kefu.bulletins import policy
from kefu.core.labels import Labels

KINDS = Labels({"notice": i18n.lazy("Notice"), "event": i18n.lazy("Community event")})
STATES = Labels({"draft": i18n.lazy("Draft"), "published": i18n.lazy("Published"),
                 "withdrawn": i18n.lazy("Withdrawn")})


def helpers(tenant_kind: str) -> dict[str, Any]:
    pack = policy.bulletins_pack(tenant_kind)
    return {"kinds": policy.KINDS, "kind_label": KINDS, "states": policy.STATES, "state_label": STATES,
            "categories": pack.codes(), "category_label": pack.labels(), "max_people": policy.MAX_PEOPLE}
