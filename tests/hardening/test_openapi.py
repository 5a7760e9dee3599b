"""The JSON API's OpenAPI schema at /api/schema: every /api/ operation of the route table is in
it with its parameters, request body, success answer and error answers; no HTML page is; every
$ref resolves."""

from __future__ import annotations

import re
from typing import Any

from litestar.routes import HTTPRoute

PARAM = re.compile(r"\{(\w+):[^}]*\}")


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _api_operations(app) -> set[tuple[str, str]]:
    found = set()
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/t/"):
            continue
        for handler in route.route_handlers:
            for method in handler.http_methods - {"HEAD", "OPTIONS"}:
                found.add((PARAM.sub(r"{\1}", route.path), method.lower()))
    return found


# Complaint actions that take nothing but the complaint (the API says so by having no body).
BODILESS = ("/accept", "/approve-extension", "/authorisation", "/close", "/resume")


async def test_the_schema_documents_every_api_operation(client, app):
    response = await client.get("/api/schema")
    assert response.status_code == 200
    assert "json" in response.headers["content-type"]  # application/vnd.oai.openapi+json
    schema = response.json()
    assert (await client.get("/api/schema/openapi.json")).json() == schema
    assert schema["openapi"].startswith("3.") and schema["info"]["title"] and schema["info"]["version"]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"

    documented = {(path, method) for path, ops in schema["paths"].items() for method in ops}
    wanted = _api_operations(app)
    assert wanted, "no /api/ route found in the route table"
    assert documented == wanted, f"missing {wanted - documented}, extra {documented - wanted}"
    assert all(path.startswith("/api/t/") for path, _ in documented), "an HTML page is in the API schema"

    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            responses = op["responses"]
            success = [code for code in responses if code.startswith("2")]
            assert success, f"{where}: no success answer"
            for code in (*success, "400", "401", "404"):
                assert "application/json" in responses[code]["content"], f"{where} {code}: no JSON schema"
            for code in ("400", "401", "403", "404", "422"):
                assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ApiError"}
            names = {p["name"] for p in op.get("parameters", []) if p["in"] == "path"}
            assert names == set(re.findall(r"\{(\w+)\}", path)), f"{where}: path parameters {names}"
            if method == "post" and not path.endswith(BODILESS):
                body = op["requestBody"]["content"]["application/json"]["schema"]
                assert body.get("$ref") or body.get("properties"), f"{where}: the body is not described"

    components = schema["components"]["schemas"]
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in components, ref
    created = schema["paths"]["/api/t/{slug}/complaints"]["post"]["responses"]["201"]
    out = components[created["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"id", "number", "status", "status_url", "complainant"} <= set(out["properties"])


async def test_the_schema_page_needs_no_token_and_shows_no_tenant(client, cast):
    response = await client.get("/api/schema")
    assert cast.tenant_a.slug not in response.text and cast.tenant_a.name not in response.text


async def test_the_documentation_page_renders_every_operation_without_a_script(client, app):
    schema = (await client.get("/api/schema")).json()
    page = await client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    operations = [(path, method) for path, ops in schema["paths"].items() for method in ops]
    assert operations
    for path, method in operations:
        op = schema["paths"][path][method]
        assert f'<section id="{op["operationId"]}"' in page.text, (method, path)
        assert f"<code>{method.upper()} {path}</code>" in page.text
    for name in schema["components"]["schemas"]:
        assert f'id="schema-{name}"' in page.text, name
    assert "<script>" not in page.text and "cdn" not in page.text.lower()  # works under the CSP, offline
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_options_allows_every_method_the_path_serves(app):
    """Litestar's automatic OPTIONS handler read the methods of the first route object built for
    a path; a path whose GET and POST come from different handlers answered without one of them."""
    stale = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if handler.handler_name == "options_handler":
                allow = set(handler.fn(None).headers["Allow"].split(", "))
                if allow != set(route.methods):
                    stale.append((route.path, sorted(allow), sorted(route.methods)))
    assert stale == []


async def test_the_options_answer_of_the_complaints_api_names_get_and_post(client):
    response = await client.http.options("/api/t/any/complaints")
    assert response.status_code == 204
    assert set(response.headers["allow"].split(", ")) == {"GET", "OPTIONS", "POST"}


async def test_bodies_that_refuse_unknown_fields_are_closed_in_the_schema(client):
    schema = (await client.get("/api/schema/openapi.json")).json()
    for name in ("ComplaintIn", "ComplainantIn", "RegulatorIn"):
        assert schema["components"]["schemas"][name]["additionalProperties"] is False
    for path, method in (("/api/t/{slug}/bills/{bill_id}/payments", "post"),
                         ("/api/t/{slug}/complaints/{complaint_id}/pause", "post"),
                         ("/api/t/{slug}/callbacks/tasks/{task_id}/attempts", "post")):
        body = schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
        assert body["additionalProperties"] is False, path
