"""Materials: uploaded within the type and size limits, stored outside the web root, served
only to the tenant's staff."""

from __future__ import annotations

import re

import pytest

from kefu.core.files import MAX_BYTES
from tests.complaints.ui.support import context, register

PDF = b"%PDF-1.4\n% kefu\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def _upload(client, url: str, name: str, content: bytes, content_type: str):
    return await client.post(url, {}, files={"file": (name, content, content_type)})


def _attachment_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r"/complaints/attachments/(\d+)\"", html)]


async def test_upload_then_download_as_the_same_file(office):
    c = await register(await office.ctx("agent"))
    agent = await office.client("agent")
    response = await _upload(agent, office.url(f"/{c.id}/attachments"), "保单复印件.pdf", PDF,
                             "application/pdf")
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"].endswith(f"/complaints/{c.id}#materials")

    page = await agent.get(office.url(f"/{c.id}"))
    assert "保单复印件.pdf" in page.text
    [attachment_id] = _attachment_ids(page.text)
    download = await (await office.client("qa")).get(office.url(f"/attachments/{attachment_id}"))
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in download.headers["cache-control"]


@pytest.mark.parametrize(("name", "content", "content_type"), [
    ("virus.exe", b"MZ\x90\x00", "application/x-msdownload"),  # a type not accepted
    ("invoice.pdf", b"MZ\x90\x00 renamed", "application/pdf"),  # content does not match
    ("empty.txt", b"", "text/plain"),
    ("huge.txt", b"x" * (MAX_BYTES + 1), "text/plain"),
], ids=["type", "magic", "empty", "too-large"])
async def test_refused_uploads_are_named_and_nothing_is_stored(office, name, content, content_type):
    c = await register(await office.ctx("agent"))
    agent = await office.client("agent")
    response = await _upload(agent, office.url(f"/{c.id}/attachments"), name, content, content_type)
    assert response.status_code == 422, response.text[:500]
    assert 'id="file-error"' in response.text and 'aria-invalid="true"' in response.text
    assert _attachment_ids(response.text) == []


async def test_an_upload_beyond_the_body_limit_is_413(office):
    c = await register(await office.ctx("agent"))
    agent = await office.client("agent")
    response = await _upload(agent, office.url(f"/{c.id}/attachments"), "big.txt",
                             b"x" * (MAX_BYTES + 512 * 1024), "text/plain")
    assert response.status_code == 413


async def test_a_post_without_a_file_is_named(office):
    c = await register(await office.ctx("agent"))
    response = await (await office.client("agent")).post(office.url(f"/{c.id}/attachments"), {})
    assert response.status_code == 422 and 'id="file-error"' in response.text


async def test_viewers_may_not_upload(office):
    c = await register(await office.ctx("agent"))
    response = await _upload(await office.client("qa"), office.url(f"/{c.id}/attachments"),
                             "a.pdf", PDF, "application/pdf")
    assert response.status_code == 403


async def test_downloads_are_for_the_tenants_staff_only(cast, as_alice, as_bob, as_carol, make_client):
    c = await register(await context(cast.tenant_a, cast.alice))
    a_url = f"/t/{cast.tenant_a.slug}/complaints"
    response = await _upload(as_alice, f"{a_url}/{c.id}/attachments", "secret.pdf", PDF,
                             "application/pdf")
    assert response.status_code == 303
    [attachment_id] = _attachment_ids((await as_alice.get(f"{a_url}/{c.id}")).text)

    assert (await as_bob.get(f"{a_url}/attachments/{attachment_id}")).content == PDF
    b_url = f"/t/{cast.tenant_b.slug}/complaints"
    theirs = await as_carol.get(f"{b_url}/attachments/{attachment_id}")
    missing = await as_carol.get(f"{b_url}/attachments/999999999")
    assert theirs.status_code == missing.status_code == 404
    assert PDF not in theirs.content and "secret.pdf" not in theirs.text
    assert (await as_carol.get(f"{a_url}/attachments/{attachment_id}")).status_code == 404
    stranger = await make_client().get(f"{a_url}/attachments/{attachment_id}")
    assert stranger.status_code in (302, 303) and stranger.headers["location"].startswith("/signin")
    # Stored outside the web root: nothing under /static serves it.
    assert (await as_alice.get(f"/static/../var/attachments/{attachment_id}")).status_code == 404

