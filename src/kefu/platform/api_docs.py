"""The JSON API's documentation as a page (/api/docs), read from the same OpenAPI schema that
/api/schema serves: every operation with its parameters, request body, answers and the
shapes they name. Server-rendered, no script: it works under the Content-Security-Policy and
without any CDN (Litestar's Swagger/ReDoc pages load their scripts from one)."""

from __future__ import annotations

from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema: dict[str, Any] | None) -> str:
    """A schema as one short line: its component's name, or its type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return f"[{_ref_name(schema.get('items'))}]"
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return " | ".join(_ref_name(s) for s in schema[key])
    kind = schema.get("type", "object")
    return f"{kind} ({schema['format']})" if schema.get("format") else str(kind)


def _body(content: dict[str, Any] | None) -> list[dict[str, str]]:
    return [{"media_type": media, "schema": _ref_name(spec.get("schema"))} for media, spec in (content or {}).items()]


def operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            found.append({
                "id": op.get("operationId", f"{method}-{path}"), "method": method.upper(), "path": path,
                "summary": op.get("summary", ""), "description": op.get("description", ""),
                "parameters": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                                "schema": _ref_name(p.get("schema")), "description": p.get("description", "")}
                               for p in op.get("parameters", [])],
                "body": _body((op.get("requestBody") or {}).get("content")),
                "responses": [{"code": code, "description": r.get("description", ""), "body": _body(r.get("content"))}
                              for code, r in sorted(op.get("responses", {}).items())],
            })
    return found


def components(schema: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for name, spec in sorted(schema.get("components", {}).get("schemas", {}).items()):
        required = set(spec.get("required", []))
        found.append({"name": name, "description": spec.get("description", ""), "properties": [
            {"name": prop, "schema": _ref_name(value), "required": prop in required,
             "description": value.get("description", "")}
            for prop, value in spec.get("properties", {}).items()]})
    return found


def page_context(schema: dict[str, Any]) -> dict[str, Any]:
    return {"info": schema.get("info", {}), "operations": operations(schema), "components": components(schema)}
