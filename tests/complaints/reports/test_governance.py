"""The art. 19 register: four kinds of document, each versioned with the day it was filed with
the regulator; new versions need complaints.settings; printable as PDF."""

from __future__ import annotations

import pytest

from kefu.complaints.queries import reports as q
from tests import factories
from tests.complaints.reports.conftest import base
from tests.complaints.reports.support import assert_pdf_shows
from tests.fixtures import Client
from tests.jobs import job_file

RULES = "第一条 为规范投诉处理工作，根据《银行业保险业消费投诉处理管理办法》制定本办法。"


async def versions(tenant, kind: str) -> list[dict]:
    return dict(await q.governance_register(tenant.id))[kind]


async def test_an_empty_register_lists_the_four_kinds(as_admin, seeded):
    html = (await as_admin.get(f"{base(seeded)}/governance")).text
    for kind, label in (("complaint_rules", "Complaint handling rules"), ("evaluation_rules", "Evaluation rules"),
                        ("accountability_rules", "Accountability rules"), ("responsible_persons", "Responsible persons")):
        assert f'id="{kind}"' in html and label in html
    assert 'name="body"' in html  # the admin may add versions


async def test_each_new_version_is_numbered_and_keeps_its_filing_date(as_admin, seeded):
    url = f"{base(seeded)}/governance"
    first = await as_admin.post(url, {"kind": "complaint_rules", "title": "投诉处理办法", "body": RULES,
                                      "filed_with_regulator_on": "2026-01-15"})
    assert first.status_code == 303 and first.headers["location"].endswith("/governance#complaint_rules")
    second = await as_admin.post(url, {"kind": "complaint_rules", "title": "投诉处理办法（修订）",
                                       "body": RULES + "\n第二条 修订。", "filed_with_regulator_on": ""})
    assert second.status_code == 303

    rows = await versions(seeded.tenant, "complaint_rules")
    assert [(r["version"], r["filed_with_regulator_on"]) for r in rows] == [(2, None), (1, rows[1]["filed_with_regulator_on"])]
    assert str(rows[1]["filed_with_regulator_on"]) == "2026-01-15"
    html = (await as_admin.get(url)).text
    assert "Version 2" in html and "投诉处理办法（修订）" in html and "Not filed with the regulator yet" in html
    assert "Earlier versions (1)" in html and "Jan 15, 2026" in html
    assert "is in the register" in html  # the flash after the redirect


@pytest.mark.parametrize(("form", "field"), [
    ({"kind": "complaint_rules", "body": "  "}, "body"),
    ({"kind": "house_rules", "body": RULES}, "kind"),
    ({"kind": "evaluation_rules", "body": RULES, "filed_with_regulator_on": "2026-02-30"}, "filed_with_regulator_on"),
    ({"kind": "evaluation_rules", "body": RULES, "filed_with_regulator_on": "2026-04-16"}, "filed_with_regulator_on"),
    ({"kind": "evaluation_rules", "body": RULES, "title": "x" * 201}, "title"),
])
async def test_bad_input_is_422_naming_the_field_and_saves_nothing(as_admin, seeded, form, field):
    before = {kind: len(rows) for kind, rows in await q.governance_register(seeded.tenant.id)}
    response = await as_admin.post(f"{base(seeded)}/governance", form)

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert RULES[:10] in response.text or form["body"].strip() == ""  # what was typed is kept
    after = {kind: len(rows) for kind, rows in await q.governance_register(seeded.tenant.id)}
    assert after == before


async def test_text_is_shown_escaped(as_admin, seeded):
    payload = '<script>alert("x")</script>'
    await as_admin.post(f"{base(seeded)}/governance", {"kind": "responsible_persons", "title": payload,
                                                        "body": f"负责人：赵强 {payload}"})
    html = (await as_admin.get(f"{base(seeded)}/governance")).text
    assert payload not in html and "&lt;script&gt;" in html


async def test_only_complaints_settings_may_add_a_version(app, as_agent, seeded):
    # The head of operations may read the reports but not change the register.
    ops = await factories.member(seeded.tenant, ["ops_head"], name="Ops 运营")
    client = Client(app)
    await client.signin(ops.email)
    page = await client.get(f"{base(seeded)}/governance")
    assert page.status_code == 200 and 'name="body"' not in page.text
    form = {"kind": "accountability_rules", "body": RULES}
    assert (await client.post(f"{base(seeded)}/governance", form)).status_code == 403
    assert (await as_agent.post(f"{base(seeded)}/governance", form)).status_code == 403
    assert await versions(seeded.tenant, "accountability_rules") == []
    await client.aclose()


async def test_another_tenant_cannot_add_to_this_register(as_carol, seeded):
    response = await as_carol.post(f"{base(seeded)}/governance", {"kind": "evaluation_rules", "body": RULES})
    assert response.status_code == 404


async def test_the_register_prints_as_pdf_with_chinese_text(as_admin, seeded):
    await as_admin.post(f"{base(seeded)}/governance", {"kind": "evaluation_rules", "title": "考核办法",
                                                        "body": "投诉处理考核按季度进行。", "filed_with_regulator_on": "2026-03-02"})
    page = await as_admin.get(f"{base(seeded)}/governance")
    assert f'action="{base(seeded)}/governance.pdf"' in page.text  # the button posts: a print job
    response = await job_file(as_admin, await as_admin.post(f"{base(seeded)}/governance.pdf"), seeded.tenant.id)

    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert_pdf_shows(response.content, "Governance register", "考核办法", "投诉处理考核按季度进行。", "Mar 2, 2026")
