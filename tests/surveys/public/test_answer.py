"""Answering through an invitation link: the form, a stored answer, the thank-you page, and a
second submit that keeps the first answer."""

from __future__ import annotations

from tests.surveys import factories as sf
from tests.surveys.public.conftest import (
    answer,
    good_form,
    invitation_row,
    open_page,
    responses,
    url,
)


async def test_the_form_shows_every_question_with_its_field_names(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    page = await client.get(url(estate, invite.token))
    assert page.status_code == 200
    text = page.text
    assert '<html lang="zh-CN">' in text
    for name in ("q_overall", "q_why_low", "q_services__front_desk", "q_used", "q_used__other",
                 "q_channel", "q_recommend", "q_comments"):
        assert f'name="{name}"' in text, name
    assert "非常满意" in text and "2026年下半年满意度调查" in text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["x-robots-tag"] == "noindex"
    assert page.headers["referrer-policy"] == "no-referrer"
    # The show-if note, readable without JavaScript; its number is one the script can renumber.
    assert '仅当第 <span class="sq-ref" data-ref="overall">1</span> 题' in text


async def test_an_answer_is_stored_then_thanked(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row, building="3栋", household="3栋|1201")
    response = await answer(client, estate, invite.token)
    assert response.status_code == 303
    assert response.headers["location"] == url(estate, invite.token, "/thanks")
    stored = await responses(estate, round_row)
    assert len(stored) == 1
    row = stored[0]
    assert row["answers"] == sf.GOOD_ANSWERS
    assert row["is_valid"] and row["invalid_reason"] == ""
    assert row["via"] == "invite" and row["invitation_id"] == invite.id
    assert (row["building"], row["household"]) == ("3栋", "3栋|1201")
    assert 119 <= row["duration_seconds"] <= 121
    assert (await invitation_row(estate, invite))["state"] == "answered"
    thanks = await client.get(response.headers["location"])
    assert thanks.status_code == 200
    assert "感谢您的宝贵意见！" in thanks.text


async def test_a_second_submit_says_already_answered_and_keeps_the_first(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    hidden = await open_page(client, estate, invite.token)
    first = await answer(client, estate, invite.token, hidden=hidden)
    assert first.status_code == 303
    second = await answer(client, estate, invite.token, good_form(q_overall="1", q_comments="改了主意"),
                          hidden=hidden)
    assert second.status_code == 409
    assert "您已经提交过" in second.text
    stored = await responses(estate, round_row)
    assert len(stored) == 1 and stored[0]["answers"] == sf.GOOD_ANSWERS
    again = await client.get(url(estate, invite.token))
    assert again.status_code == 200 and "您已经提交过" in again.text
    assert 'name="q_overall"' not in again.text


async def test_the_english_page_uses_english_titles_where_set(client, estate):
    definition = {**sf.DEFINITION, "sections": [
        {"key": "s", "title": "服务", "title_en": "Service", "questions": [
            {"key": "overall", "type": "rating", "title": "总体满意度", "title_en": "Overall satisfaction",
             "required": True}]}]}
    round_row = await sf.survey_round(estate, await sf.template(estate, definition=definition))
    invite = await sf.invitation(estate, round_row)
    client.http.cookies.set("kefu_lang", "en")
    page = await client.get(url(estate, invite.token))
    assert '<html lang="en">' in page.text
    assert "Overall satisfaction" in page.text and "Very satisfied" in page.text


async def test_an_inactive_tenant_takes_no_answer_though_its_id_was_kept(client, estate):
    # Given an answer already taken (the slug's tenant id is now kept without a query)
    from kefu.tenancy.tables import Tenant

    round_row = await sf.survey_round(estate)
    first, second = await sf.invitation(estate, round_row), await sf.invitation(estate, round_row)
    assert (await answer(client, estate, first.token)).status_code == 303
    hidden = await open_page(client, estate, second.token)
    # When the tenant is deactivated, the next answer is the 404 of an unknown link
    await Tenant.update({Tenant.is_active: False}).where(Tenant.id == estate.id)
    try:
        response = await answer(client, estate, second.token, hidden=hidden)
    finally:
        await Tenant.update({Tenant.is_active: True}).where(Tenant.id == estate.id)
    assert response.status_code == 404
    assert len(await responses(estate, round_row)) == 1
    assert (await invitation_row(estate, second))["state"] == "invited"
