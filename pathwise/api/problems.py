"""Every API error as `application/problem+json` (RFC 9457).

A problem has `type`, `title`, `status` and `detail`, and `errors`: one
`{field, rule, message}` per thing wrong, naming the field of the request and
the rule it breaks, in the same sentences the pages show. DRF's own errors
(a serializer's, a missing login, an unknown method) are turned into the same
shape here, so a client reads one format whatever went wrong.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_TYPE = "application/problem+json"
# A name for each kind of problem, stable for clients to match on (RFC 9457 allows a URI
# that is not an address; a made-up domain would look like documentation that is not there).
TYPE_BASE = "urn:pathwise:problem:"

TITLES = {
    400: "The request is not valid",
    401: "Authentication needed",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "The request cannot be carried out",
    429: "Too many requests",
}


def field_error(field: str, rule: str, message: str) -> dict[str, str]:
    return {"field": field, "rule": rule, "message": message}


class Problem(exceptions.APIException):
    """An error with the fields and rules it concerns; `extra` adds members (a fee, say)."""

    def __init__(self, status_code: int, detail: str, *,
                 errors: list[dict[str, str]] | None = None, kind: str | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.errors = errors or []
        self.kind = kind
        self.extra = extra


def invalid(field: str, rule: str, message: str, *, status_code: int = 400) -> Problem:
    """One field is wrong: the problem saying so."""
    return Problem(status_code, f"{field}: {message}", errors=[field_error(field, rule, message)],
                   kind="invalid" if status_code == 400 else None)


def _flatten(detail: Any, path: str = "") -> list[dict[str, str]]:
    """DRF's nested error details as `{field, rule, message}` rows."""
    if isinstance(detail, dict):
        rows = []
        for key, value in detail.items():
            name = path if key in ("non_field_errors", "__all__") else (
                f"{path}.{key}" if path else str(key))
            rows.extend(_flatten(value, name))
        return rows
    if isinstance(detail, list):
        rows = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            rows.extend(_flatten(value, f"{path}[{index}]" if nested else path))
        return rows
    code = getattr(detail, "code", None) or "invalid"
    return [field_error(path or "body", str(code), str(detail))]


def body(status_code: int, detail: str, *, kind: str | None = None,
         errors: list[dict[str, str]] | None = None, **extra: Any) -> dict[str, Any]:
    title = TITLES.get(status_code, "Error")
    slug = kind or title.lower().replace(" ", "-")
    return {"type": TYPE_BASE + slug, "title": title, "status": status_code, "detail": detail,
            "errors": errors or [], **extra}


def problem_response(status_code: int, detail: str, **kwargs: Any) -> Response:
    return Response(body(status_code, detail, **kwargs), status=status_code,
                    content_type=PROBLEM_TYPE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's hook: every exception a view lets out, as a problem (None: a real server error)."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
        exc.status_code = status.HTTP_401_UNAUTHORIZED
    if isinstance(exc, Problem):
        data = body(exc.status_code, str(exc.detail), kind=exc.kind, errors=exc.errors,
                    **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors) or "invalid request"
        data = body(400, detail, kind="invalid", errors=errors)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        data = body(exc.status_code, str(detail))
    return Response(data, status=exc.status_code, headers=headers, content_type=PROBLEM_TYPE)
