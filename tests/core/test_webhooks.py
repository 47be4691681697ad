"""The webhook rules without Django: addresses, events, payloads and the signature."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

import pytest

from pathwise.core.webhooks import (
    EVENTS,
    WebhookError,
    body,
    check_events,
    check_url,
    payload,
    signature,
)


@pytest.mark.parametrize("url", [
    "https://crm.example.org/hooks/pathwise?source=cm",
    "http://127.0.0.1:8080/in",
    "https://[2001:db8::1]:8443/in",
    "HTTPS://Example.org/",
])
def test_http_and_https_addresses_with_a_host_are_accepted(url: str) -> None:
    assert check_url(f"  {url} ") == url


@pytest.mark.parametrize(("url", "words"), [
    ("mailto:ops@example.org", "must start with https:// or http://"),
    ("//example.org/in", "must start with https:// or http://"),
    ("https://example.org/in#top", "no #fragment"),
    ("https://example.org:99999/", "not a valid address"),
    ("https://example.org/\nX-Injected: 1", "no spaces or line breaks"),
    (None, "give the address"),
])
def test_other_addresses_are_refused_saying_why(url: object, words: str) -> None:
    with pytest.raises(WebhookError, match=words):
        check_url(url)


def test_events_come_back_in_the_fixed_order_and_unknown_ones_are_named() -> None:
    assert check_events(["credential.revoked", "seat.enrolled"]) == [
        "seat.enrolled", "credential.revoked"]
    assert check_events(list(EVENTS)) == list(EVENTS)
    with pytest.raises(WebhookError, match="'ping' is not an event"):
        check_events(["ping"])


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body() -> None:
    document = payload("e1", "seat.enrolled", dt.datetime(2026, 3, 2, 14, 5, tzinfo=dt.UTC),
                       {"seat": 12})
    content = body(document)
    assert content == (b'{"id":"e1","type":"seat.enrolled","created":'
                       b'"2026-03-02T14:05:00+00:00","data":{"seat":12}}')
    expected = hmac.new(b"whsec_k", b"1772460300." + content, hashlib.sha256).hexdigest()
    assert signature("whsec_k", 1772460300, content) == f"v1={expected}"


def test_an_event_time_without_its_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="offset"):
        payload("e1", "seat.enrolled", dt.datetime(2026, 3, 2), {})  # noqa: DTZ001
