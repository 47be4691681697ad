"""The API's conventions, in one place: pages, money, times, conditional reads, idempotent writes.

- Lists come in pages: `{count, next, previous, results}` (`?page=`, `?page_size=`).
- Money is `{"amount": "100.00", "currency": "USD"}`: a decimal string, never a float.
- Times are ISO 8601 with their offset, in the viewer's zone (a participant's own, or
  `?tz=`; UTC otherwise).
- The lists clients poll answer `ETag` and `Last-Modified`, and 304 to a matching
  `If-None-Match` (or, without it, `If-Modified-Since`).
- A write sent with `Idempotency-Key` is carried out once: the same key with the same
  request within 24 hours gets the first response again; with another request, a problem.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from pathwise.api.actions import remember_response
from pathwise.api.models import ApiToken, IdempotentResponse
from pathwise.api.problems import invalid
from pathwise.core.fees import Money
from pathwise.core.inputs import text_problem

IDEMPOTENCY_WINDOW = dt.timedelta(hours=24)
IDEMPOTENCY_KEY_MAX = 200


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def money(value: Money) -> dict[str, str]:
    return {"amount": str(value.amount), "currency": value.currency}


def viewer_zone(request: Request) -> zoneinfo.ZoneInfo:
    """`?tz=` if given (an IANA zone), else a participant's own zone, else UTC."""
    asked = request.query_params.get("tz")
    if asked:
        problem = text_problem(asked, max_length=64)
        try:
            if problem is None:
                return zoneinfo.ZoneInfo(asked)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
            pass
        raise invalid("tz", "timezone", f"{asked!r} is not a known time zone "
                                        "(an IANA name such as Europe/London)")
    participant = getattr(request.user, "participant", None)
    return zoneinfo.ZoneInfo(participant.timezone if participant is not None else "UTC")


def iso(moment: dt.datetime | None, zone: dt.tzinfo) -> str | None:
    return moment.astimezone(zone).isoformat() if moment is not None else None


def _rendered(data: Any) -> bytes:
    return JSONRenderer().render(data)


def conditional(request: Request, response: Response,
                last_modified: dt.datetime | None) -> Response:
    """Add `ETag` (of the body) and `Last-Modified`; answer 304 when the client is current."""
    etag = quote_etag(hashlib.sha256(_rendered(response.data)).hexdigest()[:32])
    headers = {"ETag": etag, "Vary": "Authorization, Cookie"}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified.timestamp())
    matches = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if matches is not None:
        fresh = etag in [t.strip() for t in matches.split(",")] or matches.strip() == "*"
    else:
        fresh = (since is not None and last_modified is not None
                 and int(last_modified.timestamp()) <= since)
    if fresh:
        response = Response(status=304)
    for name, value in headers.items():
        response[name] = value
    return response


def principal(request: Request) -> str:
    token = request.auth
    if isinstance(token, ApiToken):
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    """Make a write replayable under an `Idempotency-Key` (see the module's docstring).

    Only a write that was carried out (2xx) is remembered: a refused one changed
    nothing, so sending it again asks again.
    """

    @functools.wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get("Idempotency-Key")
        if key is None:
            return method(view, request, *args, **kwargs)
        problem = text_problem(key, max_length=IDEMPOTENCY_KEY_MAX)
        if problem is not None:
            raise invalid("Idempotency-Key", "idempotency-key", problem)
        who, now = principal(request), timezone.now()
        fingerprint = hashlib.sha256(json.dumps(
            [request.method, request.path, request.data], sort_keys=True, default=str)
            .encode()).hexdigest()
        seen = IdempotentResponse.objects.filter(principal=who, key=key,
                                                 created_at__gte=now - IDEMPOTENCY_WINDOW).first()
        if seen is not None:
            if seen.fingerprint != fingerprint:
                raise invalid("Idempotency-Key", "idempotency-key-reused",
                              "this key was already used for another request in the last 24 "
                              "hours; use a new key for a new request", status_code=422)
            replay = Response(json.loads(seen.body), status=seen.status)
            replay["Idempotent-Replayed"] = "true"
            return replay
        response = method(view, request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            remember_response(who, key, fingerprint, status=response.status_code,
                              body=_rendered(response.data).decode(), now=now)
        return response

    return wrapper
