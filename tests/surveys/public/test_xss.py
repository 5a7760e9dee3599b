"""Free text is stored as the text typed and escaped wherever it is shown again."""

from __future__ import annotations

from tests.surveys import factories as sf
from tests.surveys.public.conftest import answer, good_form, responses

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_script_in_free_text_is_stored_as_text_and_escaped_when_shown(client, estate):
    round_row = await sf.survey_round(estate)
    invite = await sf.invitation(estate, round_row)
    # Shown again after an error (the required rating left out): escaped.
    form = good_form(q_comments=XSS, q_used=["other"], q_used__other=XSS[:100])
    del form["q_overall"]
    page = await answer(client, estate, invite.token, form)
    assert page.status_code == 422
    assert XSS not in page.text and "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.text
    # Stored exactly as typed.
    done = await answer(client, estate, invite.token, good_form(q_comments=XSS, q_used=["other"], q_used__other=XSS[:100]))
    assert done.status_code == 303
    stored = (await responses(estate, round_row))[0]["answers"]
    assert stored["comments"] == XSS and stored["used__other"] == XSS[:100]
    # The thank-you and already-answered pages never echo an answer.
    for path in (done.headers["location"], f"/p/{estate.slug}/s/{invite.token}"):
        shown = await client.get(path)
        assert shown.status_code == 200
        assert "alert(" not in shown.text and "onerror" not in shown.text


async def test_a_questionnaire_written_with_markup_is_escaped_too(client, estate):
    definition = {"intro": "<b>intro</b>", "thanks": "<i>thanks</i>", "sections": [
        {"key": "s", "title": "<em>section</em>", "questions": [
            {"key": "pick", "type": "single", "title": "<u>title</u>", "help": "<s>help</s>",
             "options": [{"value": "a\"b", "label": "<a href=x>label</a>"}, {"value": "c", "label": "c"}]}]}]}
    round_row = await sf.survey_round(estate, await sf.template(estate, definition=definition))
    invite = await sf.invitation(estate, round_row)
    page = await client.get(f"/p/{estate.slug}/s/{invite.token}")
    for raw in ("<b>intro</b>", "<em>section</em>", "<u>title</u>", "<s>help</s>", "<a href=x>", 'value="a"b"'):
        assert raw not in page.text, raw
    assert "&lt;u&gt;title&lt;/u&gt;" in page.text and 'value="a&#34;b"' in page.text
    done = await answer(client, estate, invite.token, {"q_pick": 'a"b'})
    assert done.status_code == 303
    thanks = await client.get(done.headers["location"])
    assert "<i>thanks</i>" not in thanks.text and "&lt;i&gt;thanks&lt;/i&gt;" in thanks.text
