"""The bad inputs the attack run turned into 500s, each now a 4xx in the user's language that
changes nothing: invalid UTF-8 in a multipart form, a non-ASCII digit in a bearer token, ids past
the integer range in a path, a JSON body nested 100,000 deep, a notice template without its kind.
"""

from __future__ import annotations

import pytest

from kefu.complaints.tables import Complaint
from kefu.core.forms import MAX_JSON_DEPTH, json_depth_exceeds
from kefu.core.scoping import scoped
from kefu.db import transaction
from kefu.notifications.tables import NoticeTemplate
from kefu.tenancy.services import token_tenant_id
from tests.complaints.payloads import complaint_payload
from tests.surveys import factories as sf


def multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    body = b"".join(
        b'--B\r\nContent-Disposition: form-data; name="' + k.encode() + b'"\r\n\r\n' + v + b"\r\n"
        for k, v in fields.items()
    )
    return body + b"--B--\r\n", "multipart/form-data; boundary=B"


async def _count(model, tenant_id: int) -> int:
    async with transaction(tenant_id, write=False):
        return len(await scoped(model, tenant_id, model.id))


async def test_invalid_utf8_multipart_is_a_400_everywhere(cast, as_alice, make_client):
    body, kind = multipart({"email": b"\xff\xfe", "password": b"x"})
    stranger = make_client()
    headers = {"x-csrftoken": await stranger.csrf(), "content-type": kind}
    response = await stranger.http.post("/signin", content=body, headers=headers)
    assert response.status_code == 400
    assert "无法读取所提交的表单" in response.text  # the default language, no user yet
    assert "kefu_session" not in response.cookies

    tenant = cast.tenant_a
    before = await _count(Complaint, tenant.id)
    body, kind = multipart({"subject": b"\xc3(", "description": b"\xff"})
    response = await stranger.http.post(f"/p/{tenant.slug}/complain", content=body, headers=headers)
    assert response.status_code == 400
    assert await _count(Complaint, tenant.id) == before

    # staff forms that read the raw form (uploads, survey rounds): 400, not a UnicodeDecodeError
    for path in ("customers/import", "surveys/schedule"):
        response = await as_alice.http.post(
            f"/t/{tenant.slug}/{path}", content=body,
            headers={"x-csrftoken": await as_alice.csrf(), "content-type": kind})
        assert response.status_code in (400, 403), (path, response.status_code)


async def test_invalid_utf8_on_the_survey_page_is_a_400(make_client, cast):
    from kefu.tenancy.services import create_tenant
    from tests.factories import unique

    estate = await create_tenant(slug=unique("t"), name="Gate estate", kind="property")
    invite = await sf.invitation(estate, await sf.survey_round(estate))
    client = make_client()
    body, kind = multipart({"q_overall": b"\xff\xfe"})
    response = await client.http.post(f"/p/{estate.slug}/s/{invite.token}", content=body,
                                      headers={"x-csrftoken": await client.csrf(), "content-type": kind})
    assert response.status_code == 400


@pytest.mark.parametrize("token", [
    "kf_²_" + "a" * 30, "kf_١٢_" + "a" * 30, "kf_99999999999999999999_" + "a" * 30,
    "kf_2147483648_" + "a" * 30, "kf_0_" + "a" * 30, "kf_1_" + "é" * 30, "kf_+1_" + "a" * 30,
])
def test_token_tenant_id_refuses_what_cannot_be_a_tenant(token):
    assert token_tenant_id(token) is None


def test_token_tenant_id_reads_a_real_prefix():
    assert token_tenant_id("kf_42_" + "a" * 30) == 42


async def test_a_non_ascii_bearer_token_is_a_401(cast, client):
    for raw in ("Bearer kf_\xb2_" + "a" * 30, "Bearer kf_1_" + "\xe9" * 30):
        response = await client.http.get(f"/api/t/{cast.tenant_a.slug}/me",
                                         headers={"authorization": raw.encode("latin-1")})
        assert response.status_code == 401, raw
        assert response.json()["error"]["status"] == 401


@pytest.mark.parametrize("value", ["2147483648", "9223372036854775808", "99999999999999999999999", "-2147483648"])
async def test_ids_past_the_integer_range_are_404(cast, as_alice, value):
    slug = cast.tenant_a.slug
    for path in (f"/t/{slug}/audit/{value}", f"/t/{slug}/notices/{value}/letter.pdf",
                 f"/t/{slug}/complaints/{value}"):
        response = await as_alice.get(path)
        assert response.status_code == 404, (path, response.status_code)
    response = await as_alice.post(f"/t/{slug}/notices/{value}/posted", {"posted_on": "2026-01-05"})
    assert response.status_code == 404


def test_json_depth_is_measured_without_decoding():
    assert not json_depth_exceeds(b'{"a": [1, {"b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}]}')
    assert not json_depth_exceeds(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH)
    assert json_depth_exceeds(b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1))
    assert json_depth_exceeds(b"[" * 100_000)
    assert not json_depth_exceeds(b'{"s": "\\" [[[["}' + b",[]" * 1000)


async def test_a_deeply_nested_json_body_is_a_400_that_names_the_problem(cast, client):
    from tests import factories

    token = await factories.api_token(cast.tenant_a, cast.alice)
    before = await _count(Complaint, cast.tenant_a.id)
    for body in (b"[" * 100_000 + b"]" * 100_000, b'{"a":' * 5000 + b"1" + b"}" * 5000):
        response = await client.http.post(
            f"/api/t/{cast.tenant_a.slug}/complaints", content=body,
            headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
        assert response.status_code == 400
        assert response.json()["error"]["status"] == 400
    # a valid complaint still goes through
    response = await client.http.post(
        f"/api/t/{cast.tenant_a.slug}/complaints", json=complaint_payload(),
        headers={"authorization": f"Bearer {token}"})
    assert response.status_code == 201, response.text
    assert await _count(Complaint, cast.tenant_a.id) == before + 1


async def test_a_notice_template_without_its_kind_is_a_422_naming_it(cast, as_alice):
    before = await _count(NoticeTemplate, cast.tenant_a.id)
    for path in ("notices/templates", "notices/templates/preview"):
        response = await as_alice.post(f"/t/{cast.tenant_a.slug}/{path}", {"subject": "x", "body": "y"})
        assert response.status_code == 422, (path, response.status_code)
        assert 'name="kind"' in response.text or "kind" in response.text
    assert await _count(NoticeTemplate, cast.tenant_a.id) == before


async def test_adding_a_member_reveals_no_account_of_another_tenant(as_alice, cast):
    """carol is a member of tenant B: alice adding her email to A gets the answer an unknown
    email gets (an invitation sent, kefu.identity), sees no name, and attaches nobody."""
    from kefu.tenancy.tables import Membership

    url = f"/t/{cast.tenant_a.slug}/members"
    unknown = await as_alice.post(url, {"email": "nobody-at-all@example.test", "position": "agent"}, htmx=True)
    foreign = await as_alice.post(url, {"email": cast.carol.email, "position": "agent"}, htmx=True)
    assert unknown.status_code == foreign.status_code == 200
    assert cast.carol.name not in foreign.text
    # The same answer: an invitation sent to the address typed, and nothing about the account.
    for response, email in ((unknown, "nobody-at-all@example.test"), (foreign, cast.carol.email)):
        assert f"An invitation was sent to {email}." in response.text
    async with transaction(cast.tenant_a.id, write=False):
        attached = await Membership.exists().where(
            Membership.tenant == cast.tenant_a.id, Membership.user == cast.carol.id)
        assert await Membership.exists().where(Membership.tenant == cast.tenant_a.id, Membership.user == cast.alice.id)
    assert not attached


async def test_a_form_of_900000_fields_is_refused_before_it_is_parsed(cast, make_client, monkeypatch):
    # The attack run's body: 8 MB, 900,000 fields, posted to a public form. Parsing it held the
    # server for 3.3 s; now its size (413) or its field count (400) refuses it first.
    import time

    import litestar.connection.request as litestar_request

    parsed = []
    real_parse = litestar_request.parse_url_encoded_form_data

    def counting_parse(body):
        parsed.append(len(body))
        return real_parse(body)

    monkeypatch.setattr(litestar_request, "parse_url_encoded_form_data", counting_parse)
    stranger = make_client()
    await stranger.csrf()  # the cookie; the token itself is not sent: CSRF would parse the body
    form = {"content-type": "application/x-www-form-urlencoded"}
    huge = "&".join(f"f{i}=x" for i in range(900_000)).encode()
    many = b"a=&" * 600_000  # under the size limit, over the field limit
    assert len(huge) > 8_000_000 and len(many) < 2 * 1024 * 1024
    before = await _count(Complaint, cast.tenant_a.id)
    for path in ("/signin", f"/p/{cast.tenant_a.slug}/complain"):
        for body, status, words in ((huge, 413, "The form is too large."),
                                    (many, 400, "The form has too many fields.")):
            started = time.perf_counter()
            response = await stranger.http.post(path, content=body, headers=form)
            print(f"{path} {len(body):,} bytes: {response.status_code} in {time.perf_counter() - started:.3f} s")
            assert response.status_code == status, (path, len(body))
            assert words in response.text or "表单" in response.text
    assert parsed == []  # refused before anything parsed a field
    assert await _count(Complaint, cast.tenant_a.id) == before

    # Multipart: Litestar's part limit stops the parse as the body streams.
    body, kind = multipart({f"f{i}": b"x" for i in range(5000)})
    response = await stranger.http.post(f"/p/{cast.tenant_a.slug}/complain", content=body,
                                        headers={"content-type": kind})
    assert response.status_code == 400

    # A form of ordinary size still reaches its handler (a sign-in that fails on the password).
    response = await stranger.post("/signin", {"email": "nobody@example.cn", "password": "x"})
    assert 'id="signin-error"' in response.text and len(parsed) == 1
