"""POST /api/t/{slug}/complaints/{id}/{action}: each action of the complaint's page through the
JSON API, with the pages' permissions and rules; the complaint JSON in the answer; refusals as
409 with the refusal's code or 422 naming the field, writing nothing; every route documented
in the OpenAPI schema."""

from __future__ import annotations

import pytest

from kefu.audit.tables import AuditEvent
from kefu.complaints.controllers.api_actions import ComplaintActionsApiController
from kefu.core.scoping import scoped_count
from kefu.db import transaction
from tests import factories
from tests.complaints.ui.support import notice_kinds, register, reload


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class Api:
    def __init__(self, office, http) -> None:
        self.office, self.http, self.tokens = office, http, {}

    async def ready(self, *who: str) -> None:
        """Tokens made ahead (making one writes its own audit event)."""
        for name in who:
            if name not in self.tokens:
                self.tokens[name] = await factories.api_token(self.office.tenant, self.office.users[name])

    async def post(self, who: str, complaint_id: int, action: str, body: dict | None = None):
        await self.ready(who)
        url = f"/api/t/{self.office.slug}/complaints/{complaint_id}/{action}"
        kwargs = {"json": body} if body is not None else {}
        return await self.http.post(url, headers=bearer(self.tokens[who]), **kwargs)


@pytest.fixture
def api(office, client):
    return Api(office, client.http)


def _ok(response, status: str) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == status, body
    return body


async def _audit_count(tenant) -> int:
    async with transaction(tenant.id, write=False):
        return await scoped_count(AuditEvent, tenant.id)


async def test_the_regulated_path_through_the_api(office, api):
    c = await register(await office.ctx("agent"))
    body = _ok(await api.post("agent", c.id, "request-materials", {"missing": "保单复印件"}),
               "materials_incomplete")
    assert body["id"] == c.id and body["deadlines"]["materials_notice_due"] == "2026-03-09"
    body = _ok(await api.post("agent", c.id, "materials-complete", {"complete_on": "2026-03-02"}),
               "under_review")
    assert body["materials_complete_on"] == "2026-03-02"
    assert body["deadlines"]["acceptance_notice_due"] == "2026-03-16"
    _ok(await api.post("head", c.id, "accept"), "accepted")
    _ok(await api.post("head", c.id, "assign", {"handler_id": office.users["handler"].id}), "investigating")
    _ok(await api.post("handler", c.id, "note", {"body": "已致电客户核实"}), "investigating")
    _ok(await api.post("handler", c.id, "pause", {"reason": "第三方鉴定"}), "investigating")
    assert (await reload(office.tenant, c.id)).paused_since is not None
    _ok(await api.post("handler", c.id, "resume"), "investigating")
    assert (await reload(office.tenant, c.id)).paused_since is None
    _ok(await api.post("handler", c.id, "request-extension", {"reason": "案情复杂"}), "investigating")
    before = (await reload(office.tenant, c.id)).decision_due
    _ok(await api.post("head", c.id, "approve-extension"), "investigating")
    after = await reload(office.tenant, c.id)
    assert after.extensions_granted == 1 and after.decision_due > before
    _ok(await api.post("handler", c.id, "decide", {
        "decision": "partly", "text": "理赔延误属实。", "remedy": "赔付利息 120 元"}), "decided")
    _ok(await api.post("handler", c.id, "close"), "closed")
    assert {"materials_notice", "acceptance_notice", "decision_notice", "extension_notice"} <= set(
        await notice_kinds(office.tenant, c.id))


async def test_not_accepted_transferred_and_withdrawn(office, api):
    ctx = await office.ctx("agent")
    a, b, d = [await register(ctx, materials_complete=True) for _ in range(3)]
    grounds = [g.code for g in (await _policy(office)).grounds]
    body = _ok(await api.post("head", a.id, "not-accept", {"ground": grounds[0], "reason": "非本公司保单"}),
               "not_accepted")
    assert body["closed_on"] is not None
    _ok(await api.post("head", b.id, "transfer-internal", {"department": "理赔部"}), "transferred_internal")
    _ok(await api.post("agent", d.id, "withdraw", {"reason": "客户撤回"}), "withdrawn")


async def _policy(office):
    from kefu.complaints.policy import policy_for

    return policy_for(office.tenant.kind, office.tenant.settings)


async def test_an_agents_complaint_is_refused_until_the_authorisation_is_recorded(office, api):
    c = await register(await office.ctx("agent"), materials_complete=True, complainant_relation="agent")
    await api.ready("head", "agent")
    events = await _audit_count(office.tenant)
    refused = await api.post("head", c.id, "accept")
    assert refused.status_code == 409, refused.text
    assert refused.json()["error"]["code"] == "authorisation_missing"
    assert (await reload(office.tenant, c.id)).status == "under_review"
    assert await _audit_count(office.tenant) == events  # the refusal wrote nothing
    _ok(await api.post("agent", c.id, "authorisation"), "under_review")
    _ok(await api.post("head", c.id, "accept"), "accepted")


async def test_a_state_refusal_is_a_409_with_its_code(office, api):
    c = await register(await office.ctx("agent"))
    refused = await api.post("handler", c.id, "close")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "state"
    assert (await reload(office.tenant, c.id)).status == "registered"


@pytest.mark.parametrize(("action", "body", "field"), [
    ("request-materials", {"missing": ""}, "missing"),
    ("request-materials", {"missing": "a\x00b"}, "missing"),
    ("decide", {"decision": "maybe", "text": "x"}, "decision"),
    ("pause", {"reason": "   "}, "reason"),
    ("merge", {"into_id": 1, "new_facts": ""}, "new_facts"),
])
async def test_a_value_the_rules_refuse_is_a_422_naming_the_field(office, api, action, body, field):
    c = await register(await office.ctx("agent"))
    await api.ready("head")
    events = await _audit_count(office.tenant)
    response = await api.post("head", c.id, action, body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field and field in error["fields"] and error["code"] == "invalid"
    assert await _audit_count(office.tenant) == events
    assert (await reload(office.tenant, c.id)).status == "registered"


@pytest.mark.parametrize(("body", "field"), [
    ({}, "missing"), ({"missing": 5}, "missing"), ({"missing": "x", "extra": 1}, "extra"),
])
async def test_a_body_of_the_wrong_shape_is_a_400_naming_the_field(office, api, body, field):
    c = await register(await office.ctx("agent"))
    response = await api.post("agent", c.id, "request-materials", body)
    assert response.status_code == 400, response.text
    assert field in response.json()["error"]["fields"]
    assert (await reload(office.tenant, c.id)).status == "registered"


async def test_the_pages_permissions_hold(office, api):
    c = await register(await office.ctx("agent"), materials_complete=True)
    refused = await api.post("qa", c.id, "accept")  # 质检岗: view only
    assert refused.status_code == 403
    refused = await api.post("agent", c.id, "extend", {"reason": "x"})
    assert refused.status_code == 403
    assert (await reload(office.tenant, c.id)).status == "under_review"


async def test_the_merge_answers_with_the_earlier_complaint(office, api, travel):
    from datetime import date

    ctx = await office.ctx("agent")
    first = await register(ctx, materials_complete=True)
    travel(date(2026, 3, 4))
    later = await register(ctx, materials_complete=True, received_on="2026-03-04")
    response = await api.post("head", later.id, "merge", {"into_id": first.id, "new_facts": "新的票据"})
    assert response.status_code == 200, response.text
    assert response.json()["id"] == first.id
    assert (await reload(office.tenant, later.id)).status == "merged"


async def test_another_tenants_complaint_is_a_404_and_untouched(office, api, cast):
    theirs = await register(await _ctx_b(cast), category="repair", customer_ref="3-2-1501")
    response = await api.post("head", theirs.id, "request-materials", {"missing": "x"})
    assert response.status_code == 404
    assert (await reload(cast.tenant_b, theirs.id)).status == "registered"


async def _ctx_b(cast):
    from tests.fixtures import context

    return await context(cast.tenant_b, cast.carol)


async def test_every_action_is_in_the_openapi_schema(client):
    schema = (await client.http.get("/api/schema/openapi.json")).json()
    paths = {p for p in schema["paths"] if p.startswith("/api/t/{slug}/complaints/{complaint_id}/")}
    routes = {h.paths.pop().strip("/") for h in (getattr(ComplaintActionsApiController, n)
              for n in dir(ComplaintActionsApiController)) if hasattr(h, "paths")}
    expected = {f"/api/t/{{slug}}/complaints/{{complaint_id}}/{r}" for r in routes}
    assert len(expected) == 20 and expected <= paths
    for path in expected:
        answers = schema["paths"][path]["post"]["responses"]
        assert {"200", "403", "404", "409", "422"} <= set(answers), path
    decide = schema["paths"]["/api/t/{slug}/complaints/{complaint_id}/decide"]["post"]
    assert decide["requestBody"]["content"]["application/json"]["schema"]["required"] == ["decision", "text"]
