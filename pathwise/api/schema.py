"""The OpenAPI document's additions: the bearer scheme, and every operation's problems."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from pathwise.api.problems import PROBLEM_TYPE, TITLES


class BearerScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "pathwise.api.auth.BearerTokenAuthentication"
    name = "bearer"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer",
                "description": "A token from staff (/staff/api-tokens/ or `pathwise api-token "
                               "create`): `Authorization: Bearer pw_…`."}


PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "errors"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "rule", "message"],
            "properties": {"field": {"type": "string"}, "rule": {"type": "string"},
                           "message": {"type": "string"}}}},
        "rule": {"type": "string", "description": "An enrollment refusal's rule id."},
        "fee": {"$ref": "#/components/schemas/Money"},
    },
}
MONEY_SCHEMA = {"type": "object", "required": ["amount", "currency"],
                "properties": {"amount": {"type": "string", "example": "100.00"},
                               "currency": {"type": "string", "example": "USD"}}}
READS = ("400", "401", "403", "404", "406")
WRITES = (*READS, "409", "415", "422")
POLLED = ("/api/v1/offerings/", "/api/v1/seats/", "/api/v1/participants/",
          "/api/v1/audit-entries/")


def add_problems(result: dict[str, Any], generator: Any, request: Any,
                 public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: each operation's error answers as problems."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    schemas["Money"] = MONEY_SCHEMA
    problem = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in WRITES if method in ("post", "put", "patch", "delete") else READS:
                responses.setdefault(code, {
                    "description": TITLES[int(code)],
                    "content": {PROBLEM_TYPE: {"schema": problem}}})
            if method == "get" and path in POLLED:
                responses.setdefault("304", {"description": "Not modified since the ETag "
                                                            "or date the client sent."})
    return result
