"""The dashboard's response rate counts invitees who answered over invitations; open-link
answers are counted beside it (the demo showed 133.3% with one poster answer inside)."""

from __future__ import annotations

from kefu.db import transaction
from kefu.surveys.queries import dashboard
from tests import factories
from tests.surveys import factories as sf


async def test_open_link_answers_are_beside_the_response_rate_never_inside():
    tenant = await factories.tenant(kind="property")
    round_row = await sf.survey_round(tenant, open_link=True)
    for n in range(3):
        await sf.response(tenant, round_row, invitation_row=await sf.invitation(tenant, round_row, name=f"业主{n}"))
    await sf.response(tenant, round_row)  # through the poster's open link
    await sf.response(tenant, round_row, is_valid=False, invalid_reason="too_fast")  # another, invalid

    async with transaction(tenant.id, write=False):
        rows = await dashboard.list_rounds(tenant.id)
        counts = (await dashboard.counts(tenant.id, rows))[round_row.id]

    assert (counts.invited, counts.responded, counts.via_open, counts.valid) == (3, 5, 2, 4)
    assert counts.invited_responded == 3 and counts.response_rate == 100.0
