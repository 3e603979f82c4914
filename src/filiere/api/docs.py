"""The API's reference page at ``/api/v1/docs``: the OpenAPI document as plain, accessible HTML.

Swagger UI failed the accessibility checks every page must pass (contrast, nested controls, no
``lang``, no ``<main>``) and needs inline script under our strict CSP. This page is rendered on
the server from the same document that ``/api/v1/openapi.json`` serves, in the site's layout.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

METHODS = ("get", "post", "put", "patch", "delete")
ENUM_SHOWN = 12  # a long list of accepted values is cut, the document has them all


def _type(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        values = [str(v) for v in schema["enum"]]
        more = len(values) - ENUM_SHOWN
        shown = ", ".join(values[:ENUM_SHOWN])
        return f"{shown}, … (+{more})" if more > 0 else shown
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_type(branch) for branch in schema["anyOf"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"array of {_type(schema.get('items', {}))}"
    return kind + (f" ({schema['format']})" if "format" in schema else "")


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per operation, in the document's order, with what a caller needs to know."""
    rows = []
    for path, item in document["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            security = operation.get("security", [])
            rows.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "public": {} in security or not security,
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "where": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": _type(parameter.get("schema", {})),
                            "description": parameter.get("description", ""),
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "body": _body(operation),
                    "answers": [
                        {"status": status, "description": answer.get("description", "")}
                        for status, answer in sorted(operation.get("responses", {}).items())
                    ],
                }
            )
    return rows


def _body(operation: dict[str, Any]) -> str:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type, details in content.items():
        return f"{media_type}: {_type(details.get('schema', {}))}"
    return ""


class ReadableDocs(DocsBase):
    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        document = api.get_openapi_schema(path_params=kwargs)
        return render(
            request,
            "api/docs.html",
            {
                "title": document["info"]["title"],
                "version": document["info"]["version"],
                "description": document["info"].get("description", ""),
                "openapi_url": self.get_openapi_url(api, kwargs),
                "operations": operations(document),
            },
        )
