"""The registry's staff pages: list, search, filters, paging, empty state, Excel export, the
new and edit forms with their per-field errors, and a customer's page."""

from __future__ import annotations

from datetime import UTC, datetime

from kefu.customers import policy, queries, services
from kefu.i18n import using_locale
from tests.customers import factories
from tests.customers.support import (
    audit_actions,
    count,
    customer_page_with_sections,
    field_invalid,
    listed_ids,
    reload,
    tags,
    xlsx_rows,
)


async def test_empty_list_says_how_to_start(estate):
    page = await (await estate.client()).get(estate.url("/"))
    assert page.status_code == 200
    assert 'id="customers-empty"' in page.text and "No customers yet" in page.text
    assert 'id="export-link"' not in page.text
    assert 'id="import-link"' in page.text


async def test_search_by_name_phone_email_number_and_building(estate):
    a = await factories.customer(estate.tenant, "张三丰", phone="13800138000", building="1栋",
                                 unit="101", kind="owner")
    b = await factories.customer(estate.tenant, "李四", email="lisi@example.cn", building="2栋",
                                 external_ref="Y-2002", kind="resident")
    client = await estate.client()
    for q, wanted in (
        ("张三", [a.id]), ("138 0013 8000", [a.id]), ("+86 13800138000", [a.id]),
        ("LISI@", [b.id]), ("y-2002", [b.id]), ("2栋", [b.id]), ("王", []),
    ):
        page = await client.get(estate.url("/"), params={"q": q})
        assert listed_ids(page.text) == wanted, q
    page = await client.get(estate.url("/"), params={"q": "王"})
    assert "No customers match these filters." in page.text


async def test_the_front_desk_finds_a_flat_typed_as_building_entrance_flat(estate):
    flat = await factories.customer(estate.tenant, "王芳", building="3栋", unit="2单元1501室", kind="owner")
    await factories.customer(estate.tenant, "赵六", building="3栋", unit="1-1501", kind="owner")
    client = await estate.client()
    for q in ("3-2-1501", "3栋-2-1501"):
        page = await client.get(estate.url("/"), params={"q": q})
        assert listed_ids(page.text) == [flat.id], q


async def test_filters_kind_tag_building_and_htmx_fragment(estate):
    owner = await factories.customer(estate.tenant, "业主甲", kind="owner", building="1栋", tags=["VIP"])
    resident = await factories.customer(estate.tenant, "住户乙", kind="resident", building="2栋",
                                        tags=["老年客户", "VIP"])
    other = await factories.customer(estate.tenant, "业主丙", kind="owner", building="2栋")
    client = await estate.client()
    for params, wanted in (
        ({"kind": "owner"}, [other.id, owner.id]),  # by name: 业主丙 < 业主甲 in code points
        ({"kind": "resident"}, [resident.id]),
        ({"tag": "VIP"}, [resident.id, owner.id]),
        ({"tag": "VIP", "kind": "owner"}, [owner.id]),
        ({"building": "2栋"}, [resident.id, other.id]),
        ({"kind": "policyholder"}, None),  # not a kind here: ignored
    ):
        page = await client.get(estate.url("/"), params=params)
        assert page.status_code == 200
        if wanted is not None:
            assert sorted(listed_ids(page.text)) == sorted(wanted), params
    page = await client.get(estate.url("/"), params={"tag": "VIP"}, headers={"hx-request": "true"})
    assert page.text.lstrip().startswith('<section id="results">')
    assert "tag=VIP" in page.text  # the export link keeps the filter


async def test_paging_fifty_a_page(insurer):
    for i in range(51):
        await factories.customer(insurer.tenant, f"客户{i:03d}")
    client = await insurer.client()
    first = await client.get(insurer.url("/"))
    assert len(listed_ids(first.text)) == 50 and 'rel="next"' in first.text
    second = await client.get(insurer.url("/"), params={"page": "2"})
    assert len(listed_ids(second.text)) == 1 and 'rel="prev"' in second.text
    assert "客户050" in second.text
    assert (await client.get(insurer.url("/"), params={"page": "x\x00"})).status_code == 200


async def test_export_is_the_filtered_list_and_imports_again(estate):
    await factories.customer(estate.tenant, "=HYPERLINK(\"x\")", kind="owner", building="1栋",
                             phone="13800138000", tags=["VIP", "商铺"], consent_contact=True)
    await factories.customer(estate.tenant, "不在筛选里", kind="resident", building="9栋")
    response = await (await estate.client()).get(estate.url("/export.xlsx"), params={"building": "1栋"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = xlsx_rows(response.content)
    assert len(rows) == 2
    header, row = rows
    assert header[:3] == ["Full name", "Kind", "Phone"]
    assert row[0] == '=HYPERLINK("x")' and row[1] == "Property owner" and row[2] == "13800138000"
    assert "VIP，商铺" in row
    # The export's own headers and words read back as a clean import.
    from kefu.customers import schemas

    parsed = schemas.parse_file("export.xlsx", response.content)
    assert policy.check_rows(parsed.rows, "property") == []


async def test_export_shows_consent_time_on_the_tenants_clock_and_is_not_cached(estate):
    # Given consent given at 02:30 UTC, the Shanghai desk reads 10:30 in Excel.
    await factories.customer(estate.tenant, "同意的人", kind="owner", consent_contact=True,
                             consent_at=datetime(2026, 3, 2, 2, 30, tzinfo=UTC))
    response = await (await estate.client()).get(estate.url("/export.xlsx"))
    assert response.headers["cache-control"] == "private, no-store"
    assert "attachment" in response.headers["content-disposition"]
    header, row = xlsx_rows(response.content)
    assert row[header.index("Consent given at")] == datetime(2026, 3, 2, 10, 30)


async def test_create_with_tags_and_consent(estate):
    client = await estate.client()
    response = await client.post(estate.url("/"), {
        "name": "王芳", "kind": "owner", "phone": "139-0013-9000", "building": "3栋", "unit": "1501",
        "consent": "1", "preferred_channel": "sms", "tags": "VIP，老年客户",
    })
    assert response.status_code == 303, response.text
    customer_id = int(response.headers["location"].rsplit("/", 1)[1])
    c = await reload(estate.tenant, customer_id)
    assert (c.phone, c.household, c.consent_contact) == ("13900139000", "3|1501", True)
    assert c.consent_at is not None
    assert await tags(estate.tenant, c.id) == ["VIP", "老年客户"]
    assert await audit_actions(estate.tenant, "customer") == ["customer.create"]
    page = await client.get(response.headers["location"])
    assert "王芳" in page.text and "The customer is saved." in page.text and "VIP" in page.text


async def test_bad_fields_are_named_and_nothing_is_saved(insurer):
    client = await insurer.client()
    before = await count(insurer.tenant)
    response = await client.post(insurer.url("/"), {
        "name": "", "kind": "owner", "phone": "12ab", "email": "x@", "preferred_channel": "fax",
    })
    assert response.status_code == 422
    for name in ("name", "kind", "phone", "email", "preferred_channel"):
        assert field_invalid(response.text, name), name
    assert "Nothing was saved." in response.text
    assert await count(insurer.tenant) == before


async def test_errors_in_chinese_for_a_chinese_reader(insurer, app):
    from kefu.tenancy.services import add_member
    from tests import factories as base
    from tests.fixtures import Client

    person = await base.user(name="中文 员工", locale="zh_CN")
    await add_member(tenant=insurer.tenant, user=person, positions=["admin"])
    client = Client(app)
    await client.signin(person.email)
    response = await client.post(insurer.url("/"), {"name": "", "kind": "policyholder", "phone": "abc"})
    await client.aclose()
    assert response.status_code == 422
    with using_locale("zh_CN"):
        from kefu import i18n

        assert i18n.gettext("This field is required.") in response.text
        assert i18n.gettext("Enter a phone number (digits, may start with +).") in response.text
    assert "添加客户" in response.text


async def test_duplicate_number_is_refused(insurer):
    await factories.customer(insurer.tenant, "甲", external_ref="P-777")
    response = await (await insurer.client()).post(insurer.url("/"), {
        "name": "乙", "kind": "policyholder", "external_ref": "P-777", "phone": "13800138000",
    })
    assert response.status_code == 422 and field_invalid(response.text, "external_ref")
    assert "Another customer has this number." in response.text


async def test_edit_keeps_the_form_on_errors_and_saves_changes(estate):
    c = await factories.customer(estate.tenant, "赵六", kind="owner", phone="13600136000",
                                 building="1栋", unit="101", tags=["VIP"])
    client = await estate.client()
    form = await client.get(estate.url(f"/{c.id}/edit"))
    assert form.status_code == 200 and 'value="赵六"' in form.text and 'value="VIP"' in form.text
    bad = await client.post(estate.url(f"/{c.id}"), {"name": "赵六", "kind": "owner", "phone": "1"})
    assert bad.status_code == 422 and field_invalid(bad.text, "phone")
    assert (await reload(estate.tenant, c.id)).phone == "13600136000"
    good = await client.post(estate.url(f"/{c.id}"), {
        "name": "赵六", "kind": "resident", "phone": "13600136000", "building": "2栋", "unit": "202",
        "tags": "商铺", "consent": "1", "is_active": "1",
    })
    assert good.status_code == 303
    after = await reload(estate.tenant, c.id)
    assert (after.kind, after.household, after.consent_contact, after.is_active) == (
        "resident", "2|202", True, True)
    assert await tags(estate.tenant, c.id) == ["商铺"]
    assert await audit_actions(estate.tenant, "customer") == ["customer.update"]
    # Unticked "active": the customer stays, marked inactive.
    await client.post(estate.url(f"/{c.id}"), {"name": "赵六", "kind": "resident", "phone": "13600136000"})
    assert (await reload(estate.tenant, c.id)).is_active is False


async def test_viewer_sees_but_cannot_change(insurer):
    c = await factories.customer(insurer.tenant, "钱七")
    viewer = await insurer.client("viewer")
    assert (await viewer.get(insurer.url("/"))).status_code == 200
    page = await viewer.get(insurer.url(f"/{c.id}"))
    assert page.status_code == 200 and 'id="edit-link"' not in page.text
    for path in ("/new", f"/{c.id}/edit", "/import/"):
        assert (await viewer.get(insurer.url(path))).status_code == 403, path
    assert (await viewer.post(insurer.url("/"), {"name": "x", "kind": "policyholder"})).status_code == 403
    assert (await viewer.post(insurer.url(f"/{c.id}"), {"name": "x", "kind": "agent"})).status_code == 403
    assert (await reload(insurer.tenant, c.id)).name == "钱七"


async def test_detail_shows_contact_complaints_and_surveys(insurer):
    from kefu.db import transaction
    from kefu.surveys.tables import SurveyInvitation
    from tests.complaints.ui.support import register
    from tests.surveys import factories as survey_factories

    c = await factories.customer(insurer.tenant, "孙八", phone="13500135000", email="sun@example.cn",
                                 consent_contact=True, tags=["VIP"])
    complaint = await register(await insurer.ctx(), complainant_phone="135 0013 5000",
                               complainant_email="")
    round_row = await survey_factories.survey_round(insurer.tenant, title="2026年上半年满意度调查")
    invitation = await survey_factories.invitation(insurer.tenant, round_row, name="孙八")
    async with transaction(insurer.tenant.id):
        await SurveyInvitation.update({SurveyInvitation.customer: c.id}).where(
            SurveyInvitation.tenant == insurer.tenant.id, SurveyInvitation.id == invitation.id)
    page = await customer_page_with_sections(await insurer.client(), insurer.slug, c.id)
    for text in ("孙八", "13500135000", "sun@example.cn", "VIP", complaint.number,
                 f"/t/{insurer.slug}/complaints/{complaint.id}", "2026年上半年满意度调查",
                 f"/t/{insurer.slug}/surveys/rounds/{round_row.id}", "Not answered yet"):
        assert text in page, text


async def test_detail_sections_open_as_pages_without_javascript(insurer):
    c = await factories.customer(insurer.tenant, "李九", phone="13700137000")
    client = await insurer.client("viewer")
    for module, empty in (("complaints", "No complaints from this customer."),
                          ("surveys", "Not invited to any survey yet.")):
        page = await client.get(f"/t/{insurer.slug}/{module}/customers/{c.id}")
        assert page.status_code == 200, module
        assert empty in page.text, module
        # The whole page, with the way back to the customer.
        assert "<html" in page.text and f'href="/t/{insurer.slug}/customers/{c.id}"' in page.text
        assert "李九" in page.text
    for path in ("/999999999", "/0"):
        assert (await client.get(f"/t/{insurer.slug}/complaints/customers{path}")).status_code == 404
        assert (await client.get(f"/t/{insurer.slug}/surveys/customers{path}")).status_code == 404


async def test_unknown_customer_is_404(insurer):
    client = await insurer.client()
    for path in ("/999999999", "/0", "/2147483648/edit"):
        assert (await client.get(insurer.url(path))).status_code == 404, path


async def test_nav_shows_customers(insurer):
    page = await (await insurer.client("viewer")).get(f"/t/{insurer.slug}")
    assert f'href="/t/{insurer.slug}/customers"' in page.text


async def test_match_customer_needs_exactly_one_active(estate):
    await factories.customer(estate.tenant, "父", phone="13100131000")
    await factories.customer(estate.tenant, "母", phone="13100131000")
    only = await factories.customer(estate.tenant, "子", phone="13200132000", email="zi@example.cn")
    await factories.customer(estate.tenant, "旧", phone="13300133000", is_active=False)
    from kefu.db import transaction

    async with transaction(estate.tenant.id, write=False):
        assert await queries.match_customer(estate.tenant.id, "13100131000", "") is None
        assert await queries.match_customer(estate.tenant.id, "+86 132 0013 2000", "") == only.id
        assert await queries.match_customer(estate.tenant.id, "", "ZI@example.cn") == only.id
        assert await queries.match_customer(estate.tenant.id, "13300133000", "") is None
        assert await queries.match_customer(estate.tenant.id, "", "") is None


async def test_number_taken_by_a_concurrent_save_is_a_field_error(insurer, monkeypatch):
    # Given two saves that both passed the check (as two concurrent requests on PostgreSQL
    # can), when the second reaches the unique index, it answers like the check would.
    await factories.customer(insurer.tenant, "先到", external_ref="P-race")
    checked, _ = policy.check_customer(
        {"name": "后到", "kind": "policyholder", "external_ref": "P-race", "phone": "13800138000"},
        "insurance")

    async def passed(ctx, raw, customer_id):
        return checked

    monkeypatch.setattr(services.customers, "_check", passed)
    before = await count(insurer.tenant)
    response = await (await insurer.client()).post(insurer.url("/"), {"name": "后到", "kind": "policyholder"})
    assert response.status_code == 422 and field_invalid(response.text, "external_ref")
    assert await count(insurer.tenant) == before


async def test_a_large_export_is_written_by_a_job_and_fetched_from_its_page(estate, monkeypatch):
    from tests.jobs import finish

    # Given a list larger than what a request writes itself (the limit lowered to 2 rows)
    monkeypatch.setattr(queries, "SYNC_EXPORT_ROWS", 2)
    for name in ("甲一", "乙二", "丙三"):
        await factories.customer(estate.tenant, name, kind="owner", building="1栋")
    await factories.customer(estate.tenant, "别栋", kind="owner", building="9栋")
    client = await estate.client()
    listing = await client.get(estate.url("/"), params={"building": "1栋"})
    assert 'id="export-job"' in listing.text and 'id="export-link"' not in listing.text
    # The request's own export refuses to write it and sends the user back to the list's button.
    direct = await client.get(estate.url("/export.xlsx"), params={"building": "1栋"})
    assert direct.status_code == 303 and "building=" in direct.headers["location"]
    assert "prepared in the background" in (await client.get(direct.headers["location"])).text
    # When the export is asked for, a job writes it and its page offers the file.
    started = await client.post(estate.url("/export?building=1%E6%A0%8B"))
    page = await finish(client, started, estate.tenant.id)
    assert page.status_code == 200 and 'id="job-file"' in page.text and "customers-" in page.text
    job_id = started.headers["location"].rsplit("/", 1)[1]
    got = await client.get(f"/t/{estate.slug}/jobs/{job_id}/file")
    assert got.status_code == 200 and got.headers["cache-control"] == "no-store"
    rows = xlsx_rows(got.content)
    assert rows[0][:2] == ["Full name", "Kind"]
    assert sorted(r[0] for r in rows[1:]) == ["丙三", "乙二", "甲一"]  # the filter held: not 别栋
