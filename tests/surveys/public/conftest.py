"""The public answer page: a property tenant per module with an open round and invitations
(tests/survey_factories.py), and helpers that answer as a browser would (the CSRF token and
the signed start time taken from the page's hidden fields)."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pytest_asyncio

from kefu.core import clock
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.surveys.schemas import answers as answer_form
from kefu.surveys.tables import SurveyInvitation, SurveyResponse
from tests import factories
from tests.fixtures import Client
from tests.surveys import factories as sf


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def estate():
    """A property tenant of this module's own."""
    return await factories.tenant(kind="property", name=f"问卷物业 Survey Estate {factories.unique('e')}")


def url(tenant, token: str, suffix: str = "") -> str:
    return f"/p/{tenant.slug}/s/{token}{suffix}"


def hidden_fields(page: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    fields = {name: html.unescape(value) for name, value in found}
    fields.pop("next", None)
    return fields


def good_form(**over) -> dict[str, list[str] | str]:
    """A form answering tests/survey_factories.DEFINITION as GOOD_ANSWERS does."""
    data: dict[str, list[str] | str] = {
        "q_overall": "4", "q_services__front_desk": "5", "q_services__cleaning": "3",
        "q_services__security": "4", "q_channel": "phone", "q_recommend": "9",
        "q_comments": "保洁可以再加强",
    }
    data.update(over)
    return data


async def open_page(client: Client, tenant, token: str) -> dict[str, str]:
    page = await client.get(url(tenant, token))
    assert page.status_code == 200, page.text
    return hidden_fields(page.text)


async def answer(client: Client, tenant, token: str, form: dict | None = None, *, hidden: dict | None = None,
                 started_ago: int | None = 120):
    """Post an answer as a browser would: the page's hidden fields (CSRF, signed start time);
    `started_ago` re-signs the start time that many seconds back (None keeps the page's)."""
    hidden = dict(hidden) if hidden is not None else await open_page(client, tenant, token)
    if started_ago is not None:
        hidden[answer_form.STARTED] = answer_form.sign_started(token, clock.now() - timedelta(seconds=started_ago))
    return await client.http.post(url(tenant, token), data={**hidden, **(form if form is not None else good_form())})


async def responses(tenant, round_row) -> list[dict]:
    async with transaction(tenant.id, write=False):
        rows = await scoped(SurveyResponse, tenant.id).where(SurveyResponse.round == round_row.id).order_by(SurveyResponse.id)
    for row in rows:
        if isinstance(row["answers"], str):
            row["answers"] = json.loads(row["answers"])
    return rows


async def invitation_row(tenant, invitation) -> dict:
    async with transaction(tenant.id, write=False):
        rows = await scoped(SurveyInvitation, tenant.id).where(SurveyInvitation.id == invitation.id)
    return rows[0]


__all__ = ["sf"]
