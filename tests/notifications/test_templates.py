import html

from kefu.audit.tables import AuditEvent
from kefu.db import transaction
from kefu.notifications import delivery
from kefu.notifications.services import Recipient
from kefu.notifications.tables import NoticeTemplate
from tests import factories as platform
from tests.fixtures import Client
from tests.notifications.factories import owe
from tests.notifications.support import notice_row

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def _signed_in_admin(app):
    tenant = await platform.tenant(name="丙保险")
    admin = await platform.member(tenant, ["admin"], name="管理员")
    client = Client(app)
    await client.signin(admin.email)
    return tenant, admin, client


async def _templates(tenant) -> list[dict]:
    async with transaction(tenant.id, write=False):
        return await NoticeTemplate.select().where(NoticeTemplate.tenant == tenant.id)


async def test_the_template_list_shows_every_default_kind(as_alice, cast):
    page = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices/templates")
    assert page.status_code == 200
    for label in ("Acceptance notice", "Materials notice", "Rejection notice", "Decision notice"):
        assert label in page.text


async def test_a_new_template_starts_from_the_default_wording(as_alice, cast):
    page = await as_alice.get(
        f"/t/{cast.tenant_a.slug}/notices/templates/new?kind=acceptance_notice&locale=zh_CN&channel=email"
    )
    assert page.status_code == 200
    assert "我司决定予以受理" in html.unescape(page.text)


async def test_an_unknown_channel_in_the_new_template_link_is_422_naming_it(as_alice, cast):
    page = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices/templates/new?kind=acceptance_notice&locale=zh_CN&channel=fax")
    assert page.status_code == 422
    assert "channel" in page.text


async def test_an_admin_edits_a_template_and_notices_use_it(app, smtp):
    tenant, admin, client = await _signed_in_admin(app)
    base = f"/t/{tenant.slug}/notices/templates"
    form = {"kind": "acceptance_notice", "locale": "zh_CN", "channel": "email",
            "subject": "受理通知 {{ complaint_number }}", "body": "{{ recipient_name }}，您的投诉已受理。"}

    saved = await client.post(f"{base}/", form)

    assert saved.status_code == 302
    [row] = await _templates(tenant)
    assert saved.headers["location"].endswith(f"/notices/templates/{row['id']}")
    address = f"templates-{tenant.id}@example.test"  # its own: other notices may reach the listener
    notice_id = await owe(tenant, recipient=Recipient(name="张三", email=address, locale="zh_CN"))
    await delivery.deliver(tenant.id, notice_id)
    [message] = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == address]
    assert message["Subject"] == "受理通知 TS-20261201-0007"
    assert message.get_content().strip() == "张三，您的投诉已受理。"
    async with transaction(tenant.id, write=False):
        events = await AuditEvent.select(AuditEvent.action, AuditEvent.actor).where(
            AuditEvent.tenant == tenant.id, AuditEvent.object_type == "notice_template"
        )
    assert events == [{"action": "notice_template.save", "actor_id": admin.id}]
    await client.aclose()


async def test_editing_again_replaces_and_reset_restores_the_default(app):
    tenant, _, client = await _signed_in_admin(app)
    base = f"/t/{tenant.slug}/notices/templates"
    form = {"kind": "rejection_notice", "locale": "en", "channel": "sms", "subject": "", "body": "No: {{ reason }}"}
    await client.post(f"{base}/", form)
    [row] = await _templates(tenant)

    updated = await client.post(f"{base}/{row['id']}", {"body": "Not accepted: {{ reason }}"})
    assert updated.status_code == 302
    [row] = await _templates(tenant)
    assert row["body"] == "Not accepted: {{ reason }}"

    reset = await client.post(f"{base}/{row['id']}/reset")
    assert reset.status_code == 302
    assert await _templates(tenant) == []
    await client.aclose()


async def test_bad_template_syntax_is_422_naming_the_field_and_nothing_is_saved(app):
    tenant, _, client = await _signed_in_admin(app)
    form = {"kind": "acceptance_notice", "locale": "zh_CN", "channel": "email",
            "subject": "受理通知", "body": "您好 {% if %} 未闭合"}

    response = await client.post(f"/t/{tenant.slug}/notices/templates/", form)

    assert response.status_code == 422
    assert 'id="body-error"' in response.text and ("Line 1:" in response.text or "第 1 行" in response.text)
    assert 'id="subject-error"' not in response.text
    assert await _templates(tenant) == []
    await client.aclose()


async def test_a_misspelt_variable_is_422_on_save_so_no_notice_goes_out_with_a_blank(app):
    tenant, _, client = await _signed_in_admin(app)
    form = {"kind": "acceptance_notice", "locale": "zh_CN", "channel": "email",
            "subject": "{{ complaint_numbr }}", "body": "ok"}

    response = await client.post(f"/t/{tenant.slug}/notices/templates/", form)

    assert response.status_code == 422
    assert 'id="subject-error"' in response.text and "complaint_numbr" in response.text
    assert await _templates(tenant) == []
    await client.aclose()


async def test_preview_renders_sample_data_as_a_fragment(as_alice, cast):
    form = {"kind": "decision_notice", "locale": "zh_CN", "channel": "email",
            "subject": "决定 {{ complaint_number }}", "body": "结果：{{ outcome }}，{{ received_on|date }}"}

    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/preview", form, htmx=True)

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="preview"')
    assert "决定 TS-20261201-0001" in response.text
    assert "结果：部分支持，2026年12月1日" in response.text


async def test_preview_of_bad_syntax_is_422_naming_the_field(as_alice, cast):
    form = {"kind": "decision_notice", "locale": "en", "channel": "email", "subject": "{{ outcome", "body": "x"}
    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/preview", form, htmx=True)
    assert response.status_code == 422
    assert 'id="preview-subject-error"' in response.text


async def test_template_text_cannot_reach_python_internals(as_alice, cast):
    form = {"kind": "custom_probe", "locale": "en", "channel": "email",
            "subject": "x", "body": "{{ ''.__class__.__mro__[1].__subclasses__() }}"}
    response = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/preview", form, htmx=True)
    assert response.status_code == 422
    assert "unsafe" in response.text and "subclasses" not in response.text.split("preview-body")[-1]


async def test_xss_in_template_body_and_notice_data_renders_escaped(as_alice, cast):
    form = {"kind": "custom_xss", "locale": "zh_CN", "channel": "email",
            "subject": XSS, "body": XSS + " {{ complaint_number }}"}
    preview = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/preview", form, htmx=True)
    assert preview.status_code == 200
    assert "<script>" not in preview.text and "&lt;script&gt;" in preview.text
    assert "<img src=x" not in preview.text

    saved = await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/", form)
    assert saved.status_code == 302
    edit = await as_alice.get(saved.headers["location"])
    assert "<script>" not in edit.text and "<img src=x" not in edit.text

    notice_id = await owe(cast.tenant_a, kind="custom_xss", data={"complaint_number": XSS})
    await delivery.deliver(cast.tenant_a.id, notice_id)  # rendered, whether or not mail is set up
    assert XSS in (await notice_row(cast.tenant_a, notice_id)).rendered_body
    detail = await as_alice.get(f"/t/{cast.tenant_a.slug}/notices/{notice_id}")
    assert detail.status_code == 200
    assert "<script>" not in detail.text and "<img src=x" not in detail.text
    assert "&lt;script&gt;alert" in detail.text


async def test_a_notice_with_no_template_for_its_kind_is_dead_with_the_reason(cast):
    notice_id = await owe(cast.tenant_a, kind="unheard_of_notice")
    assert await delivery.deliver(cast.tenant_a.id, notice_id) == "dead"
    assert "no template" in (await notice_row(cast.tenant_a, notice_id)).last_error


async def test_wording_stopped_by_the_clock_is_tried_again_not_dead(as_alice, cast, monkeypatch):
    """On a busy machine a wording that renders in time on a quiet one can hit the render's
    time budget: the notice fails this attempt and is retried, as after a channel's failure."""
    from kefu.notifications import sandbox

    form = {"kind": "custom_budget", "locale": "zh_CN", "channel": "email", "subject": "通知",
            "body": "{% for i in range(300) %}{{ i }}{% endfor %}"}
    assert (await as_alice.post(f"/t/{cast.tenant_a.slug}/notices/templates/", form)).status_code == 302
    notice_id = await owe(cast.tenant_a, kind="custom_budget")
    monkeypatch.setattr(sandbox, "TIME_BUDGET", 0.0)  # every render runs out of time
    assert await delivery.deliver(cast.tenant_a.id, notice_id) == "failed"
    row = await notice_row(cast.tenant_a, notice_id)
    assert row.state == "failed" and row.next_attempt_at is not None and row.sent_at is None
    assert "0 秒" in row.last_error or "0 s" in row.last_error


async def test_staff_without_the_permission_cannot_edit_templates(as_bob, cast):
    form = {"kind": "acceptance_notice", "locale": "zh_CN", "channel": "email", "subject": "x", "body": "y"}
    assert (await as_bob.get(f"/t/{cast.tenant_a.slug}/notices/templates")).status_code == 403
    assert (await as_bob.post(f"/t/{cast.tenant_a.slug}/notices/templates/", form)).status_code == 403


INSURANCE_WORDS = ("理赔", "保险", "监管", "95500")


async def test_a_property_centres_preview_speaks_of_its_own_work(app):
    """Packs decide: the sample a wording is previewed with comes from the tenant kind's pack
    where it has its own (tenants/property/notice_samples.toml), not an insurer's."""
    for kind, expect_insurance in (("property", False), ("insurance", True)):
        tenant = await platform.tenant(kind=kind, name="物业中心" if kind == "property" else "某保险")
        admin = await platform.member(tenant, ["admin"], name="管理员")
        client = Client(app)
        await client.signin(admin.email)
        texts = []
        for notice_kind in ("decision_notice", "materials_notice", "transfer_notice", "extension_notice",
                            "deadline_reminder", "assignment_notice"):
            page = await client.get(f"/t/{tenant.slug}/notices/templates/new", params={"kind": notice_kind, "locale": "zh_CN", "channel": "email"})
            assert page.status_code == 200, (notice_kind, page.status_code)
            form = {"kind": notice_kind, "locale": "zh_CN", "channel": "email",
                    "subject": "{{ subject|default('') }}", "body": "{{ decision|default('') }}{{ remedies|default([])|join('；') }}"
                    "{{ missing_materials|default('') }}{{ transferred_to|default('') }}{{ reason|default('') }}"
                    "{{ report_name|default('') }}{{ contact_phone }}"}
            preview = await client.post(f"/t/{tenant.slug}/notices/templates/preview", form, htmx=True)
            assert preview.status_code == 200, (notice_kind, preview.text[:500])
            texts.append(html.unescape(preview.text))
        seen = [w for w in INSURANCE_WORDS if any(w in t for t in texts)]
        assert bool(seen) == expect_insurance, (kind, seen)
    assert any("电梯" in t for t in texts) is False  # the insurer's own samples are untouched
