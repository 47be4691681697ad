"""Webhooks' rules, without Django: the events, what an endpoint's address may be, how a
delivery is signed, and when a failed one is tried again.

A receiver checks `Pathwise-Signature` by recomputing `signature` with the secret it
was shown once; the README has the scheme and a verification snippet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from pathwise.core.errors import PathwiseError
from pathwise.core.inputs import control_character, show_value

#: Every event an endpoint may subscribe to, in the order pages list them.
EVENTS: tuple[str, ...] = (
    "seat.enrolled", "seat.waitlisted", "seat.promoted", "seat.dropped",
    "record.created", "standing.changed", "credential.issued", "credential.revoked",
)
#: Sent on request from the staff page to one endpoint, whatever it subscribes to.
PING = "ping"

URL_MAX = 500
SIGNATURE_VERSION = "v1"

#: Waits after the 1st, 2nd, … failed attempt; the last one repeats.
RETRY_WAITS: tuple[dt.timedelta, ...] = tuple(dt.timedelta(minutes=m) for m in (
    1, 5, 30, 2 * 60, 6 * 60, 12 * 60, 24 * 60))
#: No attempt is made later than this after the first one.
GIVE_UP_AFTER = dt.timedelta(hours=72)


class WebhookError(PathwiseError):
    """An endpoint's address or events are not acceptable; the message says why."""


def check_url(value: object) -> str:
    """`value` as an endpoint address: an absolute http(s) URL with a host, one line,
    no user name or password in it (they would sit in logs and pages), no fragment."""
    if not isinstance(value, str) or not value.strip():
        raise WebhookError("give the address to send to, such as https://example.org/hooks")
    url = value.strip()
    if len(url) > URL_MAX:
        raise WebhookError(f"the address is {len(url)} characters long; at most {URL_MAX}")
    control = control_character(url)
    if control is not None or any(c.isspace() for c in url):
        raise WebhookError(f"{show_value(url)}: an address has no spaces or line breaks")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise WebhookError(f"{show_value(url)} is not a valid address: {exc}") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise WebhookError(f"{show_value(url)}: the address must start with https:// "
                           "or http://")
    if not parts.hostname:
        raise WebhookError(f"{show_value(url)}: the address names no host")
    if parts.username is not None or parts.password is not None:
        raise WebhookError(f"{show_value(url)}: leave the user name and password out of "
                           "the address; check the signature instead")
    if parts.fragment or url.endswith("#"):
        raise WebhookError(f"{show_value(url)}: an address to send to has no #fragment")
    if port == 0:
        raise WebhookError(f"{show_value(url)}: port 0 is not a port to send to")
    return url


def check_events(values: Sequence[object]) -> list[str]:
    """The events chosen, in the fixed order; at least one, each one we send."""
    unknown = [v for v in values if v not in EVENTS]
    if unknown:
        raise WebhookError(f"{show_value(unknown[0])} is not an event; the events are "
                           + ", ".join(EVENTS))
    chosen = [e for e in EVENTS if e in values]
    if not chosen:
        raise WebhookError("choose at least one event to send")
    return chosen


def payload(event_id: str, event: str, created: dt.datetime,
            data: dict[str, Any]) -> dict[str, Any]:
    """What every delivery carries: ids and where to fetch the rest, never personal data."""
    if created.utcoffset() is None:
        raise ValueError("an event's time needs its offset")
    return {"id": event_id, "type": event, "created": created.isoformat(), "data": data}


def body(document: dict[str, Any]) -> bytes:
    """The exact bytes sent, and so signed: compact JSON in UTF-8."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, content: bytes) -> str:
    """`Pathwise-Signature`: HMAC-SHA256 of `<timestamp>.<body>`, keyed by the secret."""
    signed = str(timestamp).encode() + b"." + content
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def next_attempt(first: dt.datetime, failed: int, last: dt.datetime, *,
                 waits: Sequence[dt.timedelta] = RETRY_WAITS,
                 give_up_after: dt.timedelta = GIVE_UP_AFTER) -> dt.datetime | None:
    """When to try again after `failed` failed attempts, the first at `first` and the
    latest at `last`; None once that would be more than `give_up_after` after the first."""
    wait = waits[min(failed, len(waits)) - 1]
    when = last + wait
    return when if when <= first + give_up_after else None
