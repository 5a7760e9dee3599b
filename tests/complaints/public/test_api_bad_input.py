"""Every input field's bad value: 400 (shape, type, date) or 422 (rules), naming the field, in
the app's JSON error shape, never a trace, and nothing created."""

from __future__ import annotations

import json

import pytest

from tests.complaints.public.conftest import bearer, complaint_count, payload


class _Missing:
    def __repr__(self) -> str:  # a stable test id (xdist workers must collect the same ids)
        return "MISSING"


MISSING = _Missing()


def body_with(path: str, value) -> dict:
    data = payload()
    target, *rest = path.split(".")
    if rest:
        inner = dict(data[target])
        if value is MISSING:
            inner.pop(rest[0])
        else:
            inner[rest[0]] = value
        data[target] = inner
    elif value is MISSING:
        data.pop(target)
    else:
        data[target] = value
    return data


CASES = [
    # (field, value, status)
    ("channel", MISSING, 400),
    ("channel", 1, 400),
    ("channel", "sms", 422),
    ("channel", "", 422),
    ("received_on", "2026-02-30", 400),
    ("received_on", "02/03/2026", 400),
    ("received_on", 20260302, 400),
    ("received_on", "2026-03-03", 422),  # tomorrow in Shanghai: not yet received
    ("complainant", MISSING, 400),
    ("complainant", "张三", 400),
    ("complainant.name", MISSING, 400),
    ("complainant.name", "", 422),
    ("complainant.name", "名" * 101, 422),
    ("complainant.name", ["张三"], 400),
    ("complainant.phone", "call me", 422),
    ("complainant.phone", "1" * 31, 422),
    ("complainant.phone", 13800138000, 400),
    ("complainant.email", "not-an-email", 422),
    ("complainant.email", "a" * 250 + "@x.cn", 422),
    ("complainant.relation", "friend", 422),
    ("complainant.relation", None, 400),
    ("complainant.age", 70, 400),  # unknown field
    ("subject", MISSING, 400),
    ("subject", "", 422),
    ("subject", "   ", 422),
    ("subject", "题" * 201, 422),
    ("subject", {"text": "x"}, 400),
    ("description", MISSING, 400),
    ("description", "", 422),
    ("description", "字" * 10_001, 422),
    ("category", MISSING, 400),
    ("category", "cars", 422),
    ("category", "repair", 422),  # a property centre's code, not an insurer's
    ("category", 3, 400),
    ("materials_complete", "maybe", 400),
    ("materials_complete", [], 400),
    ("customer_ref", "P" * 65, 422),
    ("idempotency_key", "short", 422),
    ("idempotency_key", "has space in it", 422),
    ("recieved_on", "2026-03-01", 400),  # misspelt: refused, not silently "today"
]


def expected_field(field: str) -> str:
    return field


@pytest.mark.parametrize(("field", "value", "status"), CASES, ids=lambda v: str(v)[:24])
async def test_bad_field_names_the_field_and_creates_nothing(client, shop, field, value, status):
    before = await complaint_count(shop.tenant.id)
    response = await client.http.post(
        shop.api(), json=body_with(field, value), headers=bearer(shop.agent_token)
    )
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    assert field in error["fields"], error
    assert error["fields"][field]
    assert "Traceback" not in response.text
    assert await complaint_count(shop.tenant.id) == before


async def test_no_way_to_reach_the_complainant_is_refused(client, shop):
    before = await complaint_count(shop.tenant.id)
    data = payload(complainant_phone="", complainant_email="")
    response = await client.http.post(shop.api(), json=data, headers=bearer(shop.agent_token))
    assert response.status_code == 422
    assert "complainant.phone" in response.json()["error"]["fields"]
    assert await complaint_count(shop.tenant.id) == before


async def test_a_regulator_transfer_needs_the_unit(client, shop):
    response = await client.http.post(
        shop.api(), json=payload(channel="regulator"), headers=bearer(shop.agent_token)
    )
    assert response.status_code == 422
    assert "regulator.unit" in response.json()["error"]["fields"]
    bad = await client.http.post(
        shop.api(), json=payload(channel="regulator", regulator={"unit": "某监管局", "report_due": "soon"}),
        headers=bearer(shop.agent_token),
    )
    assert bad.status_code == 400
    assert "regulator.report_due" in bad.json()["error"]["fields"]


async def test_every_error_is_reported_at_once(client, shop):
    data = payload(channel="sms", subject="", complainant_email="nope")
    response = await client.http.post(shop.api(), json=data, headers=bearer(shop.agent_token))
    assert response.status_code == 422
    assert {"channel", "subject", "complainant.email"} <= set(response.json()["error"]["fields"])


@pytest.mark.parametrize(
    "raw", ['{"channel": "hotline",', "not json", "", "[]", "null", '"text"', "{'a': 1}"],
    ids=["truncated", "text", "empty", "array", "null", "string", "single-quotes"],
)
async def test_a_body_that_is_not_a_json_object_is_400_about_the_body(client, shop, raw):
    before = await complaint_count(shop.tenant.id)
    response = await client.http.post(
        shop.api(), content=raw.encode(),
        headers={**bearer(shop.agent_token), "content-type": "application/json"},
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["fields"] == {"body": error["fields"]["body"]} and error["fields"]["body"]
    assert await complaint_count(shop.tenant.id) == before


async def test_header_and_body_keys_must_agree(client, shop):
    response = await client.http.post(
        shop.api(), json=payload(idempotency_key="body-key-0001"),
        headers={**bearer(shop.agent_token), "Idempotency-Key": "header-key-0002"},
    )
    assert response.status_code == 422
    assert "idempotency_key" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"),
        ("offset=-1", "offset"), ("status=lost", "status"), ("status=registered,lost", "status"),
        ("channel=pigeon", "channel"), ("category=cars", "category"),
        ("received_from=2026-13-01", "received_from"), ("received_to=yesterday", "received_to"),
        ("received_from=2026-03-02&received_to=2026-03-01", "received_to"),
    ],
)
async def test_bad_list_filters_name_the_parameter(client, shop, query, field):
    response = await client.http.get(f"{shop.api()}?{query}", headers=bearer(shop.viewer_token))
    assert response.status_code in (400, 422), response.text
    assert field in response.json()["error"]["fields"], response.text


def test_cases_cover_every_body_field():
    from kefu.complaints.controllers.api_schemas import ComplainantIn, ComplaintIn

    covered = {field for field, _, _ in CASES}
    top = set(ComplaintIn.__struct_fields__) - {"regulator"}  # tested on its own above
    inner = {f"complainant.{f}" for f in ComplainantIn.__struct_fields__} - {
        "complainant.address", "complainant.authorisation_doc",
    }
    assert top <= covered, top - covered
    assert inner <= covered, inner - covered
    assert json.dumps(payload())  # the base body itself is valid JSON


@pytest.mark.parametrize("field", ["subject", "description", "complainant.name", "customer_ref"])
async def test_a_nul_character_is_422_naming_the_field(client, shop, field):
    # PostgreSQL cannot store NUL in text; no person types one.
    before = await complaint_count(shop.tenant.id)
    response = await client.http.post(
        shop.api(), json=body_with(field, "理赔\x00款"), headers=bearer(shop.agent_token)
    )
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert await complaint_count(shop.tenant.id) == before
