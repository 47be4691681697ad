"""The planner page and turning a plan into enrollments in one step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from pathwise.auditlog.log import Actor
from pathwise.catalog.actions import publish_offering
from pathwise.catalog.models import Offering, ProgramVersion
from pathwise.enrollment.models import Seat
from pathwise.participants import models as m


def weekly(start: dt.date, *, twice: bool) -> list[str]:
    """The start's weekday, and for a course the day two later as well (12+ meetings)."""
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    return [days[start.weekday()], days[(start.weekday() + 2) % 7]][: 2 if twice else 1]


pytestmark = pytest.mark.django_db


@pytest.fixture
def grace_client(grace: m.Participant) -> Client:
    client = Client()
    assert client.login(username="grace", password="grace-password-1")
    return client


@pytest.fixture
def run(grace: m.Participant) -> Callable[..., Offering]:
    version = ProgramVersion.objects.get(program_id="cscce-cm", version="2023")
    today = timezone.now().date()

    def make(code: str, component: str, starts_in: int, days: int = 48,
             capacity: int = 25) -> Offering:
        start = today + dt.timedelta(days=starts_in)
        return publish_offering(
            Actor("staff"), version, code, component=component, starts_on=start,
            ends_on=start + dt.timedelta(days=days), capacity=capacity,
            meeting_days=weekly(start, twice=days > 0),
            meeting_time=dt.time(12), meeting_minutes=90, timezone="Europe/London")

    return make


def test_the_plan_lists_steps_and_enrolls_in_one_go_checking_each(
    grace_client: Client, run: Callable[..., Offering]
) -> None:
    run("PBK-A", "PBK", 30)
    for i, code in enumerate(("MW-FEEDBACK", "MW-MEETINGS", "MW-ROLES", "MW-METRICS",
                              "MW-CONFLICT")):
        run(f"{code}-X", code, 40 + i, days=0, capacity=20)
    run("QSS-X", "QSS", 60, days=0, capacity=60)
    page = grace_client.get("/plan/").content.decode()
    assert 'data-feasible="yes"' in page
    assert 'data-offering="PBK-A"' in page
    assert 'data-offering="QSS-X"' in page

    response = grace_client.post("/plan/", follow=True)
    text = response.content.decode()
    assert "PBK-A: enrolled" in text
    assert Seat.objects.filter(participant__public_id="P-002",
                               status=Seat.ENROLLED).count() >= 6


def test_a_plan_that_cannot_finish_says_which_requirement_lacks_a_run(
    grace_client: Client,
) -> None:
    page = grace_client.get("/plan/").content.decode()
    assert 'data-feasible="no"' in page
    assert "pbk" in page.lower()
