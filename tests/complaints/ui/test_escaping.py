"""Script in any free text a complainant or staff can type is shown as text, never run: on the
worklist, the register form's 422 page and the complaint's page."""

from __future__ import annotations

from markupsafe import escape

from kefu.complaints import services
from tests.complaints.ui.support import form, register, worklist_ids

PAYLOADS = [
    '<script>alert("kefu")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg/onload=alert(2)>",
]


def assert_escaped(html: str, payload: str, where: str) -> None:
    assert payload not in html, f"{where}: the payload is in the page unescaped"
    assert str(escape(payload)) in html, f"{where}: the payload is not shown escaped"


async def test_every_free_text_field_is_escaped_on_the_list_and_the_page(office):
    client = await office.client("agent")
    for p in PAYLOADS:
        response = await client.post(office.url("/"), form(**{
            "complainant.name": p, "complainant.address": f"地址 {p}", "customer_ref": p[:60],
            "subject": f"主题 {p}", "description": f"经过 {p}",
            "channel": "regulator", "regulator.unit": f"监管 {p}",
            "regulator.reference": p, "regulator.report_requested": f"报告 {p}",
        }))
        assert response.status_code == 303, response.text[:1000]
        listing = await client.get(office.url("/?status=all"))
        for text in (p, f"主题 {p}"):
            assert_escaped(listing.text, text, "worklist")
        page = await client.get(response.headers["location"])
        for text in (p, f"地址 {p}", f"主题 {p}", f"经过 {p}", f"监管 {p}", f"报告 {p}"):
            assert_escaped(page.text, text, f"detail ({text[:8]})")
        lookup = await client.get(office.url("/lookup?phone=13800138000"), headers={"hx-request": "true"})
        assert_escaped(lookup.text, f"主题 {p}", "caller lookup")


async def test_typed_text_is_escaped_on_the_422_page(office):
    client = await office.client("agent")
    p = PAYLOADS[1]
    response = await client.post(office.url("/"), form(subject=p, description=p, category="bad", **{
        "complainant.name": p, "complainant.email": p}))
    assert response.status_code == 422
    assert p not in response.text
    assert str(escape(p)) in response.text


async def test_staff_text_is_escaped_on_the_page(office):
    agent, head = await office.ctx("agent"), await office.ctx("head")
    p = PAYLOADS[0]
    c = await register(agent, materials_complete=True)
    await services.add_note(agent, c.id, body=f"备注 {p}")
    await services.review_complaint(head, c.id, outcome="transfer_internal", department=f"部门 {p}",
                                    reason=f"理由 {p}")
    other = await register(agent, materials_complete=True, subject="另一件")
    await services.review_complaint(head, other.id, outcome="accept")
    await services.assign_handler(head, other.id, handler_id=office.users["handler"].id)
    handler = await office.ctx("handler")
    await services.grant_extension(head, other.id, reason=f"延期 {p}")
    await services.record_decision(handler, other.id, decision="upheld", text=f"决定 {p}",
                                   remedy=f"补救 {p}")
    client = await office.client("head")
    page = await client.get(office.url(f"/{c.id}"))
    for text in (f"备注 {p}", f"部门 {p}", f"理由 {p}"):
        assert_escaped(page.text, text, text[:2])
    page = await client.get(office.url(f"/{other.id}"))
    for text in (f"决定 {p}", f"补救 {p}", f"延期 {p}"):
        assert_escaped(page.text, text, text[:2])
    assert other.id in worklist_ids((await client.get(office.url("/?status=all"))).text)


async def test_a_file_name_is_escaped(office):
    c = await register(await office.ctx("agent"))
    client = await office.client("agent")
    name = '<img src=x onerror=alert(3)>.pdf'
    response = await client.post(office.url(f"/{c.id}/attachments"), {},
                                 files={"file": (name, b"%PDF-1.4 x", "application/pdf")})
    assert response.status_code == 303
    page = await client.get(office.url(f"/{c.id}"))
    assert "<img src=x onerror=alert(3)>" not in page.text
    assert str(escape("<img src=x onerror=alert(3)>.pdf")) in page.text
