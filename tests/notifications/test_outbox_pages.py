import io
import re

from openpyxl import load_workbook

from kefu.notifications import delivery
from kefu.notifications.services import Recipient
from tests import factories as platform
from tests.fixtures import Client
from tests.notifications.factories import owe


async def _admin_of_new_tenant(app):
    tenant = await platform.tenant()
    admin = await platform.member(tenant, ["admin"])
    client = Client(app)
    await client.signin(admin.email)
    return tenant, client


def _ids(page: str, table: str = "outbox") -> list[int]:
    section = page.split(f'id="{table}"')[1].split("</table>")[0]
    return [int(n) for n in re.findall(r"/notices/(\d+)\"", section)]


async def test_the_outbox_pages_fifty_newest_first_and_filters_by_state_and_kind(app, accepting_sms):
    tenant, client = await _admin_of_new_tenant(app)
    ids = [await owe(tenant, channel="sms") for _ in range(51)]
    materials = await owe(tenant, channel="sms", kind="materials_notice")
    await delivery.deliver(tenant.id, materials)

    first = await client.get(f"/t/{tenant.slug}/notices")
    assert first.status_code == 200
    assert _ids(first.text) == [materials, *reversed(ids)][:50]
    second = await client.get(f"/t/{tenant.slug}/notices?page=2")
    assert _ids(second.text) == [ids[1], ids[0]]

    sent = await client.get(f"/t/{tenant.slug}/notices?state=sent", headers={"hx-request": "true"})
    assert sent.text.lstrip().startswith('<section id="results"')
    assert _ids(sent.text) == [materials]
    by_kind = await client.get(f"/t/{tenant.slug}/notices?kind=materials_notice")
    assert _ids(by_kind.text) == [materials]
    await client.aclose()


async def test_failed_and_dead_notices_come_first_with_their_reason(app):
    tenant, client = await _admin_of_new_tenant(app)
    fine = await owe(tenant, channel="sms")
    dead = await owe(tenant, channel="sms", recipient=Recipient(name="无号码"))
    await delivery.deliver(tenant.id, dead)
    newer = await owe(tenant, channel="sms")

    page = await client.get(f"/t/{tenant.slug}/notices")

    assert _ids(page.text, "attention") == [dead]
    assert "The recipient has no mobile phone number." in page.text.split('id="attention"')[1]
    assert _ids(page.text) == [newer, dead, fine]
    await client.aclose()


async def test_the_notice_page_shows_due_date_sent_time_and_whether_on_time(as_alice, cast, accepting_sms):
    notice_id = await owe(cast.tenant_a, channel="sms")
    await delivery.deliver(cast.tenant_a.id, notice_id)
    page = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices/{notice_id}")
    assert page.status_code == 200
    assert 'id="notice-state">Sent' in page.text
    assert "张三" in page.text


async def test_the_excel_export_holds_the_filtered_outbox_with_formulas_kept_as_text(app):
    tenant, client = await _admin_of_new_tenant(app)
    formula = '=HYPERLINK("http://evil.test","点我")'
    await owe(tenant, channel="sms", recipient=Recipient(name=formula, phone="13800000000"))
    await owe(tenant, channel="sms", kind="materials_notice")

    response = await client.get(f"/t/{tenant.slug}/notices/export.xlsx?kind=acceptance_notice")

    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=False))
    assert [c.value for c in rows[0]][:5] == ["Notice", "Kind", "Channel", "State", "Recipient"]
    assert len(rows) == 2
    name_cell = rows[1][4]
    assert name_cell.value == formula and name_cell.data_type == "s"
    await client.aclose()


async def test_a_large_outbox_export_is_written_by_a_job(app, monkeypatch):
    from tests.jobs import large_export

    # Given an outbox over the size a request writes itself (the limit lowered to 0),
    tenant, client = await _admin_of_new_tenant(app)
    await owe(tenant, channel="sms", recipient=Recipient(name="王五", phone="13800000000"))
    await owe(tenant, channel="sms", kind="materials_notice")
    # when the export is asked for, a job writes it with the outbox's filters.
    _, got = await large_export(client, f"/t/{tenant.slug}/notices/export.xlsx", tenant.id, monkeypatch,
                                params={"kind": "acceptance_notice"})
    rows = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][4] == "王五"
    await client.aclose()


async def test_staff_without_the_permission_get_403_on_the_outbox(as_bob, cast):
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/notices")).status_code == 403
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/notices/export.xlsx")).status_code == 403
