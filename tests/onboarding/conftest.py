"""An intake still open (orientation in a month, with runs after it) and one already begun."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_intake
from pathwise.catalog.models import Intake, Offering, ProgramVersion
from pathwise.notifications.background import run_ready_tasks

TODAY = timezone.localdate


@pytest.fixture
def open_intake(publish_run: Callable[..., Offering]) -> Intake:
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    starts = TODAY() + dt.timedelta(days=30)
    intake = publish_intake(Actor("staff"), version, "NEW27", starts)
    publish_run("ORIENT-NEW27", "ORIENT", starts_on=starts, intake=intake)
    publish_run("MW-CV-NEW27", "MW-CORE-VALUES", starts_in=40)
    publish_run("CODE-NEW27", "CODE", starts_in=60)
    return intake


@pytest.fixture
def begun_intake(publish_run: Callable[..., Offering]) -> Intake:
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    starts = TODAY() - dt.timedelta(days=3)
    intake = publish_intake(Actor("staff"), version, "OLD26", starts)
    publish_run("ORIENT-OLD26", "ORIENT", starts_on=starts, intake=intake)
    return intake


def invitation_link(to: str) -> str:
    """The set-password link in the last invitation e-mail sent to `to` (after the worker)."""
    run_ready_tasks()
    sent = [m for m in mail.outbox if m.to == [to] and "invitation" in m.subject]
    assert sent, f"no invitation e-mail to {to}"
    found = re.search(r"https?://\S+/welcome/invitation/(\S+)/", sent[-1].body)
    assert found is not None
    return f"/welcome/invitation/{found.group(1)}/"


INTEREST: dict[str, Any] = {
    "name": "Lin Chen", "email": "lin@example.org", "organization": "Open Science Lab",
    "timezone": "Europe/Berlin", "courses": ["CODE"], "payment": "invoice",
    "w1_days": ["MO", "WE"], "w1_from": "09:00", "w1_to": "20:00", "message": "",
    "website": "",
}
