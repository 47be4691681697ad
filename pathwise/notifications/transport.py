"""One webhook POST over HTTP(S), with the standard library's client.

Redirects are not followed: a receiver that moved says so with a 3xx, which
counts as a failure to fix on the endpoint, and a signed body is never re-sent
somewhere its owner did not register.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

#: Enough of an answer to know it came; the rest is not read.
READ_AT_MOST = 64 * 1024


@dataclass(frozen=True)
class Answer:
    status: int | None  # None when no HTTP answer came
    error: str  # empty when an HTTP answer came
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx is returned as an HTTPError instead


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, content: bytes, headers: dict[str, str], *, timeout: float) -> Answer:
    """POST `content` to `url`; what came back (or why nothing did), and how long it took."""
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError(f"{url!r}: webhooks go over http(s) only")
    request = urllib.request.Request(  # noqa: S310  # http(s) only, checked above
        url, data=content, method="POST", headers={
            "Content-Type": "application/json", "User-Agent": "Pathwise-Webhooks/1", **headers})
    started = time.monotonic()
    try:
        with _opener.open(request, timeout=timeout) as response:
            response.read(READ_AT_MOST)
            status: int | None = response.status
            error = ""
    except urllib.error.HTTPError as exc:
        status, error = exc.code, ""
        exc.close()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        status, error = None, f"{type(reason).__name__}: {reason}"[:300]
    return Answer(status, error, round((time.monotonic() - started) * 1000))
