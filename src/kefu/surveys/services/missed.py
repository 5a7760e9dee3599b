"""C.d: a past half-year without a round that counts for it (closed, with a valid response)
notifies the members who manage surveys (the supervisor and the manager) through the outbox,
once per half-year and member (the notice's unique key). Checked once a day per tenant and
process, so the minute's tick stays one read when nothing is due."""

from __future__ import annotations

from datetime import date

from kefu import i18n
from kefu.core import clock
from kefu.core.packs import get_pack
from kefu.core.tenancy import TenantRow
from kefu.db import transaction
from kefu.notifications.services import Recipient, nudge, owe_notice
from kefu.surveys.policy.schedule import label_text
from kefu.surveys.queries import dashboard
from kefu.tenancy.queries import members_with

PERMISSION = "surveys.manage"
_checked: dict[int, date] = {}


async def notify_missed(tenant: TenantRow, *, force: bool = False) -> list[int]:
    """Owe the missed-half-year notices not owed yet; the ids written."""
    today = clock.today_in(tenant.timezone)
    if not force and _checked.get(tenant.id) == today:
        return []
    ids: list[int] = []
    async with transaction(tenant.id):
        status = await dashboard.half_year_status(tenant)
        members = await members_with(tenant.id, get_pack(tenant.kind), PERMISSION) if status.missed_all else []
        for half in status.missed_all:
            for user in members:
                locale = user.locale if user.locale in ("zh_CN", "en") else "zh_CN"
                with i18n.using_locale(locale):
                    text = label_text(half)
                found = await owe_notice(
                    tenant_id=tenant.id, kind="survey_missed", subject_type="survey_half_year", subject_id=0,
                    recipient=Recipient(name=user.name, email=user.email, locale=locale), channel="email",
                    data={"half_year": text, "half_year_code": half}, due_on=None,
                    unique_key=f"survey_missed:{half}:{user.id}",
                )
                ids += [found] if found is not None else []
    _checked[tenant.id] = today
    await nudge(tenant.id, ids)
    return ids
