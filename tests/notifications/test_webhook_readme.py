"""The README's signature check, run as printed, accepts a real delivery and refuses a
forged, altered or replayed one."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from pathwise.auditlog.log import Actor
from pathwise.notifications.background import run_ready_tasks
from pathwise.notifications.webhooks import notify, register_endpoint
from tests.notifications.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)
README = Path(__file__).resolve().parents[2] / "README.md"


def readme_verify() -> Callable[..., bool]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("**Checking the signature.**"):]
    [code] = re.findall(r"^```python\n(.*?)^```", section, re.DOTALL | re.MULTILINE)[:1]
    assert len(code.strip().splitlines()) <= 10
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # noqa: S102  # the README's own snippet, as a reader would paste it
    verify: Callable[..., bool] = namespace["verify"]
    return verify


def test_the_readme_snippet_verifies_a_real_delivery_and_nothing_else(
    receiver: Receiver,
) -> None:
    verify = readme_verify()
    secret = register_endpoint(receiver.url, ["seat.enrolled"], Actor("sam")).secret
    with transaction.atomic():
        notify("seat.enrolled", "/api/v1/seats/12/", participant="P-001", seat=12,
               offering="CODE26A")
    run_ready_tasks()
    [request] = receiver.requests

    assert verify(secret, request.headers, request.body)
    assert not verify("whsec_someone-else", request.headers, request.body)
    assert not verify(secret, request.headers, request.body.replace(b"P-001", b"P-002"))
    stale = {**request.headers,
             "Pathwise-Timestamp": str(int(time.time()) - 3600)}
    assert not verify(secret, stale, request.body)
