"""A token opens only in its own tenant: under another tenant's slug it is the same 404 as an
unknown token, and shows none of the round's questionnaire."""

from __future__ import annotations

from tests import factories
from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, good_form, open_page, responses, url


async def test_a_token_of_tenant_a_under_tenant_b_is_a_404(client, estate):
    other = await factories.tenant(kind="property", name=f"别家物业 Other {factories.unique('o')}")
    marker = factories.unique("秘密问卷")
    round_row = await sf.survey_round(estate, title=marker, open_link=True)
    invite = await sf.invitation(estate, round_row)
    for token in (invite.token, round_row.open_token):
        own = await client.get(url(estate, token))
        assert own.status_code == 200 and marker in own.text
        for suffix in ("", "/thanks"):
            crossed = await client.get(url(other, token, suffix))
            unknown = await client.get(url(other, "no-such-token", suffix))
            assert crossed.status_code == unknown.status_code == 404
            assert marker not in crossed.text and estate.name not in crossed.text
        hidden = await open_page(client, estate, token)
        posted = await client.http.post(url(other, token), data={**hidden, **good_form()})
        assert posted.status_code == 404 and marker not in posted.text
    assert await responses(estate, round_row) == []
    assert (await answer(client, estate, invite.token)).status_code == 303
