async def test_member_sees_tenant_home(as_alice, cast):
    response = await as_alice.get(f"/t/{cast.tenant_a.slug}/")
    assert response.status_code == 200
    assert cast.tenant_a.name in response.text


async def test_healthz_reports_db_and_broker(client):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "db": "ok", "broker": "ok"}
